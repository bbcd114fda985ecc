-- The event log's indexes, for what reads it (Events.find: the listing, newest first by id and filtered, the stream
-- after an id cursor, the support bundle's latest failures; Events.purgeOlderThan: the retention's oldest first).
-- Every event is an insert into each of them, in the transaction of the sign-in that records it, so each is kept
-- in the cheapest form that still serves its queries with an index scan:
-- * type: (type, id). The listing asks "type = ? order by id desc limit ?" (and the stream "type = ? and id > ?
--   order by id"), which this reads in order and stops, where (type, at desc) read and sorted every event of the type.
-- * user_id, client_address: the column alone. Their listing sorts that user's or address's events by id as it did
--   with (column, at desc), but with one key per run of equal values (B-tree deduplication) the index is a fraction
--   of the size, and an insert dirties far fewer pages (and logs far fewer full-page images after a checkpoint).
-- * request_id: a hash index. Only ever looked up by equality, almost unique and random, so a B-tree held the
--   whole 32-character key for every event; a hash index keeps 4 bytes of it (and no NULLs: events recorded
--   outside a request).
-- * at (the retention's purge and the listing's from/to): ascending, so a new event (at = now()) lands on the
--   rightmost leaf, which PostgreSQL inserts into on a fast path. Not BRIN: the purge frees the oldest pages and new
--   events fill them, so every block range would soon span all times and match every query.
-- Measured on 2 million events: an insert writes about half the WAL (3.1 KB instead of 5.9 KB, mostly full-page
-- images after a checkpoint) and takes some 14% less backend CPU; the indexes take 256 MB instead of 370 MB.
-- The rebuild takes about 17 s there, during which events are not written (a sign-in on a node still serving waits).
drop index events_type_idx;
create index events_type_idx on events (type, id);
drop index events_user_idx;
create index events_user_idx on events (user_id);
drop index events_client_address_idx;
create index events_client_address_idx on events (client_address);
drop index events_request_id_idx;
create index events_request_id_idx on events using hash (request_id);
drop index events_at_idx;
create index events_at_idx on events (at);
