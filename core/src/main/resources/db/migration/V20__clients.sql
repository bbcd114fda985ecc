-- IdBroker schema, version 20: applications that sign in through the broker (OpenID Connect clients).

create table clients (
    id                        text primary key,
    name                      text not null,
    confidential              boolean not null,
    redirect_uris             text[] not null default '{}',
    post_logout_redirect_uris text[] not null default '{}',
    backchannel_logout_uri    text,
    grant_types               text[] not null,
    -- true when only members of client_teams may use the client; a restricted client whose teams were all
    -- deleted lets nobody in (it never silently opens to everyone)
    team_restricted           boolean not null default false,
    groups_claim              text not null default 'teams',
    access_token_seconds      integer not null,
    id_token_seconds          integer not null,
    refresh_token_seconds     integer not null,
    created                   timestamptz not null default now(),
    updated                   timestamptz not null default now()
);

create table client_teams (
    client_id text not null references clients (id) on delete cascade,
    team_id   uuid not null references teams (id) on delete cascade,
    primary key (client_id, team_id)
);
create index client_teams_team_idx on client_teams (team_id);

-- a client's secrets: only their SHA-256; a rotated-out secret keeps working until expires_at
create table client_secrets (
    id          uuid primary key default gen_random_uuid(),
    client_id   text not null references clients (id) on delete cascade,
    secret_hash bytea not null,
    created     timestamptz not null default now(),
    expires_at  timestamptz
);
create index client_secrets_client_idx on client_secrets (client_id);

update roles set permissions = array_append(permissions, 'configure-clients')
    where id = 'system-administrator' and not ('configure-clients' = any (permissions));
insert into roles (id, name, description, builtin, permissions) values
    ('client-manager', 'Application manager', 'Register and change the applications that sign in through the broker.', true,
     array['configure-clients']);
