-- Login states are sealed into the OAuth state parameter and carried by the browser (LoginStates): a sign-in start
-- stores nothing. This table is their one-use guard: the 256-bit random id of every state that led anywhere (signed in,
-- refused after it was opened, previewed), spent as the first statement of the transaction that writes the outcome,
-- so of two uses of one state at once, on any nodes, the second finds it here and is refused. A row is kept until five
-- minutes after its state expired (Housekeeping deletes it), by which time no node accepts the state.
create table spent_login_states (
    id         bytea primary key,
    expires_at timestamptz not null
);
-- The purge runs every 10 seconds on every node and deletes rows by expiry. Without this index each run scans the
-- whole table, about 15 minutes of sign-ins: ~90 rows read per sign-in per node (measured at ~180 ns a row, so ~16 us per
-- sign-in and node), where the index entry costs each insert ~2-3 us (measured: 90,000 single-row inserts, with and
-- without it) and keeps the purge's cost to the rows it deletes, whatever the number of nodes.
create index spent_login_states_expiry_idx on spent_login_states (expires_at);
-- login_transactions stays for now: nodes of the previous release use it during a rolling upgrade. This release neither
-- reads nor writes it; a later one drops it.
