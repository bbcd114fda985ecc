-- IdBroker schema, version 1: accounts, external identities, teams, providers, sign-in state, sessions, events.

create table users (
    id              uuid primary key default gen_random_uuid(),
    username        text not null,
    display_name    text,
    email           text,
    active          boolean not null default true,
    external_groups text[] not null default '{}',
    created         timestamptz not null default now(),
    updated         timestamptz not null default now()
);
create unique index users_username_key on users (lower(username));
create index users_email_idx on users (lower(email));

create table external_identities (
    id           uuid primary key default gen_random_uuid(),
    user_id      uuid not null references users (id) on delete cascade,
    provider_id  text not null,
    issuer       text not null,
    subject      text not null,
    email        text,
    created      timestamptz not null default now(),
    last_sign_in timestamptz,
    unique (issuer, subject)
);
create index external_identities_user_idx on external_identities (user_id);

create table roles (
    id          text primary key,
    name        text not null,
    description text not null,
    builtin     boolean not null default false,
    permissions text[] not null
);

create table teams (
    id          uuid primary key default gen_random_uuid(),
    name        text not null,
    description text not null default '',
    builtin     text unique,
    created     timestamptz not null default now()
);
create unique index teams_name_key on teams (lower(name));

create table team_members (
    team_id uuid not null references teams (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    primary key (team_id, user_id)
);
create index team_members_user_idx on team_members (user_id);

create table team_external_groups (
    team_id      uuid not null references teams (id) on delete cascade,
    group_id     text not null,
    display_name text not null,
    primary key (team_id, group_id)
);
create unique index team_external_groups_ci_key on team_external_groups (team_id, lower(group_id));
create index team_external_groups_group_idx on team_external_groups (lower(group_id));

create table team_roles (
    team_id uuid not null references teams (id) on delete cascade,
    role_id text not null references roles (id) on delete cascade,
    primary key (team_id, role_id)
);

create table providers (
    id       text primary key,
    type     text not null,
    settings jsonb not null default '{}',
    secrets  jsonb not null default '{}',
    version  bigint not null default 1,
    updated  timestamptz not null default now()
);

create table login_transactions (
    state_hash     bytea primary key,
    browser_hash   bytea not null,
    provider_id    text not null,
    remembered     bytea not null,
    redirect_after text not null,
    mode           text not null default 'sign-in',
    expires_at     timestamptz not null
);
create index login_transactions_expiry_idx on login_transactions (expires_at);

create table sessions (
    id                   uuid primary key default gen_random_uuid(),
    token_hash           bytea not null unique,
    user_id              uuid not null references users (id) on delete cascade,
    provider_id          text,
    external_identity_id uuid references external_identities (id) on delete set null,
    idp_session_id       text,
    id_token             bytea,
    created              timestamptz not null default now(),
    last_seen            timestamptz not null default now(),
    expires_at           timestamptz not null
);
create index sessions_user_idx on sessions (user_id);
create index sessions_idp_session_idx on sessions (provider_id, idp_session_id);

create table api_keys (
    id        uuid primary key default gen_random_uuid(),
    user_id   uuid not null references users (id) on delete cascade,
    name      text not null,
    key_hash  bytea not null unique,
    prefix    text not null,
    created   timestamptz not null default now(),
    last_used timestamptz
);
create index api_keys_user_idx on api_keys (user_id);

create table events (
    id          bigserial primary key,
    at          timestamptz not null default now(),
    type        text not null,
    outcome     text not null,
    reason      text,
    message     text,
    user_id     uuid,
    provider_id text,
    details     jsonb not null default '{}'
);
create index events_at_idx on events (at desc);
create index events_type_idx on events (type, at desc);
create index events_user_idx on events (user_id, at desc);

create table logout_token_ids (
    issuer     text not null,
    jti        text not null,
    expires_at timestamptz not null,
    primary key (issuer, jti)
);

create table broker_settings (
    key   text primary key,
    value text not null
);

insert into roles (id, name, description, builtin, permissions) values
    ('system-administrator', 'System administrator', 'Everything, including configuration and other administrators.', true,
     array['administer-system', 'view-users', 'edit-users', 'view-teams', 'edit-teams', 'configure-authentication', 'view-events']),
    ('user', 'User', 'See and manage yourself: your profile, sessions and API keys.', true, array[]::text[]);

insert into teams (name, description, builtin) values
    ('Administrators', 'Members administer the broker.', 'administrators'),
    ('Everyone', 'Every active user.', 'everyone');
insert into team_roles (team_id, role_id)
    select id, 'system-administrator' from teams where builtin = 'administrators';
insert into team_roles (team_id, role_id)
    select id, 'user' from teams where builtin = 'everyone';

insert into providers (id, type, settings) values
    ('GenericOidc', 'oidc', '{"enabled": "false", "displayName": "OpenID Connect"}');
