-- Failed password sign-ins, counted per key (the SHA-256 of provider + username + client address, provider +
-- username, or provider + client address) in a fixed window, so every node throttles the same attempts.
-- Never a password: only these counters.
create table password_failures (
    key_hash bytea primary key,
    failures integer not null,
    window_ends_at timestamptz not null
);
create index password_failures_window_ends on password_failures (window_ends_at);
