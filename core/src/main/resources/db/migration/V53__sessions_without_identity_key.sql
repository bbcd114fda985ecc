-- A session names the external identity it signed in with (external_identity_id), which back-channel logout by
-- subject reads (IdpLogouts, through the user's sessions). The foreign key behind it had no index on the sessions
-- side, so every deleted identity (unlinking one, deleting a user, whose identities go with it) made PostgreSQL look
-- for the sessions naming it by a sequential scan of all sessions: 28 ms per identity at 300,000 sessions, growing
-- with the table, inside the administrator's transaction. An index for it would be one more entry to write at every
-- sign-in, for a rare administrator's change; the key is dropped instead, and the code does what 'on delete set
-- null' did, through the user's index (UserAdministration.removeIdentity; a deleted user's sessions go with the user
-- by their own key). A sign-in racing an unlink cannot make a session for the removed identity: its match locks the
-- identity's row and, finding it gone, matches afresh (IdentityMatcher). A session insert no longer checks the key.
alter table sessions drop constraint sessions_external_identity_id_fkey;
