-- IdBroker schema, version 23: back-channel logout to clients. The clients that received tokens in a broker session
-- are recorded; when the session row goes (however it ends: sign-out, an administrator, an upstream logout, expiry),
-- a trigger queues one delivery per such client with a back-channel logout URI, in the same transaction.
create table session_clients (
    session_id uuid not null references sessions (id) on delete cascade,
    client_id  text not null references clients (id) on delete cascade,
    primary key (session_id, client_id)
);

create table backchannel_deliveries (
    id              bigserial primary key,
    client_id       text not null references clients (id) on delete cascade,
    session_id      uuid not null,
    user_id         uuid not null,
    attempts        integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    created         timestamptz not null default now(),
    last_error      text
);
create index backchannel_deliveries_due_idx on backchannel_deliveries (next_attempt_at);

create function queue_backchannel_logouts() returns trigger language plpgsql as $$
begin
    insert into backchannel_deliveries (client_id, session_id, user_id)
        select sc.client_id, old.id, old.user_id from session_clients sc join clients c on c.id = sc.client_id
        where sc.session_id = old.id and c.backchannel_logout_uri is not null;
    return old;
end;
$$;

create trigger sessions_backchannel_logout before delete on sessions
    for each row execute function queue_backchannel_logouts();
