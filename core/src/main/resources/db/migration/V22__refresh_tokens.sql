-- IdBroker schema, version 22: refresh tokens, rotated at every use. Each belongs to a family (one sign-in of one
-- client); a spent token presented again revokes the family. A family dies with its broker session.
create table refresh_families (
    id         uuid primary key default gen_random_uuid(),
    client_id  text not null references clients (id) on delete cascade,
    user_id    uuid not null references users (id) on delete cascade,
    session_id uuid not null references sessions (id) on delete cascade,
    code_hash  bytea,
    scope      text not null,
    auth_time  timestamptz not null,
    created    timestamptz not null default now(),
    revoked_at timestamptz
);
create index refresh_families_code_idx on refresh_families (code_hash);
create index refresh_families_session_idx on refresh_families (session_id);

create table refresh_tokens (
    token_hash bytea primary key,
    family_id  uuid not null references refresh_families (id) on delete cascade,
    created    timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at    timestamptz
);
create index refresh_tokens_family_idx on refresh_tokens (family_id);
create index refresh_tokens_expiry_idx on refresh_tokens (expires_at);
