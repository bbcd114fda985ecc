-- Where each event's request came from: the client address (as a trusted proxy forwarded it), its user agent, and
-- the request id that also marks the request's log lines. Events recorded outside a request leave them empty.
alter table events add column client_address text;
alter table events add column user_agent text;
alter table events add column request_id text;
create index events_client_address_idx on events (client_address, at desc);
create index events_request_id_idx on events (request_id);
