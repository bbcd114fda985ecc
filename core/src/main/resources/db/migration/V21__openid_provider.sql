-- IdBroker schema, version 21: the broker as an OpenID Provider: signing keys, pending authorization
-- requests, authorization codes.

-- keys the broker signs tokens with; the private half is encrypted with the master key. A key is published
-- from created, signs from activates_at to retires_at, and stays published until expires_at.
create table signing_keys (
    kid          text primary key,
    algorithm    text not null,
    public_jwk   text not null,
    private_jwk  bytea not null,
    created      timestamptz not null default now(),
    activates_at timestamptz not null,
    retires_at   timestamptz not null,
    expires_at   timestamptz not null
);

-- an authorization request waiting for the person to sign in upstream; resumed once, by its random id
create table authorization_requests (
    id_hash    bytea primary key,
    client_id  text not null references clients (id) on delete cascade,
    parameters text not null,
    created    timestamptz not null default now(),
    expires_at timestamptz not null
);
create index authorization_requests_expiry_idx on authorization_requests (expires_at);

-- one-use codes, bound to the client, redirect URI, PKCE challenge, nonce and the broker session
create table authorization_codes (
    code_hash      bytea primary key,
    client_id      text not null references clients (id) on delete cascade,
    user_id        uuid not null references users (id) on delete cascade,
    session_id     uuid not null references sessions (id) on delete cascade,
    redirect_uri   text not null,
    code_challenge text,
    nonce          text,
    scope          text not null,
    auth_time      timestamptz not null,
    created        timestamptz not null default now(),
    expires_at     timestamptz not null,
    consumed_at    timestamptz
);
create index authorization_codes_expiry_idx on authorization_codes (expires_at);
