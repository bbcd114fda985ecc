package org.idbroker.core.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.idbroker.core.TestingDatabase;
import org.idbroker.core.signin.IdentityMatcher;
import org.idbroker.core.signin.MatchRule;
import org.idbroker.core.signin.ProviderPolicy;
import org.idbroker.core.signin.SignInDecision;
import org.idbroker.core.users.UserAdministration;
import org.idbroker.core.users.Users;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.LogoutNotice;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdpLogoutsTest {

    private static final String ISSUER = "https://idp.example/";

    private static TestingDatabase db;
    private static Sessions sessions;
    private static IdpLogouts logouts;

    @BeforeAll
    static void start() {
        db = TestingDatabase.start();
        sessions = new Sessions(db.jdbi(), db.cipher(), db.clock(), new SessionLifetimes(Duration.ofHours(1), Duration.ofHours(4)));
        logouts = new IdpLogouts(db.jdbi(), db.clock());
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void aLogoutBySubjectEndsThatIdentitysSessionsAndNoOneElses() {
        UUID alice = user("alice");
        UUID aliceAtCorp = identity(alice, "Corp", "sub-alice");
        UUID aliceAtOther = identity(alice, "Other", "sub-alice-other");
        UUID bob = user("bob");
        UUID bobAtCorp = identity(bob, "Corp", "sub-bob");
        String linked = session(alice, "Corp", aliceAtCorp);
        String lostItsLink = session(alice, "Corp", null);
        String otherIdentity = session(alice, "Other", aliceAtOther);
        String otherProviderUnlinked = session(alice, "Other", null);
        String bobs = session(bob, "Corp", bobAtCorp);

        IdpLogouts.Outcome outcome = logouts.end("Corp", notice("sub-alice", "jti-1"));

        assertThat(outcome.replayed()).isFalse();
        assertThat(outcome.endedSessionUsers()).containsExactly(alice, alice);
        assertThat(sessions.find(linked)).isEmpty();
        assertThat(sessions.find(lostItsLink)).isEmpty();
        assertThat(sessions.find(otherIdentity)).isPresent();
        assertThat(sessions.find(otherProviderUnlinked)).isPresent();
        assertThat(sessions.find(bobs)).isPresent();
        assertThat(logouts.end("Corp", notice("sub-alice", "jti-1")).replayed()).isTrue();
        assertThat(logouts.end("Corp", notice("sub-nobody", "jti-2")).endedSessionUsers()).isEmpty();
    }

    @Test
    void aLogoutBySubjectReadsTheUsersSessionsNotTheWholeTable() throws InterruptedException {
        UUID carol = user("carol");
        String carols = session(carol, "Corp", identity(carol, "Corp", "sub-carol"));
        manyOtherSessions();
        long before = sequentialScansOfSessions();

        assertThat(logouts.end("Corp", notice("sub-carol", "jti-3")).endedSessionUsers()).containsExactly(carol);

        assertThat(sequentialScansOfSessions() - before).as("sequential scans of sessions").isZero();
        assertThat(sessions.find(carols)).isEmpty();
    }

    @Test
    void unlinkingAnIdentityKeepsItsSessionsUnlinkedAndScansNoSessions() throws InterruptedException {
        manyOtherSessions();
        UUID dana = user("dana");
        UUID danaAtCorp = identity(dana, "Corp", "sub-dana");
        String viaCorp = db.jdbi().inTransaction(h -> sessions.create(h, dana, "Corp", danaAtCorp, "sid-dana", null));
        long before = sequentialScansOfSessions();

        new UserAdministration(db.jdbi()).removeIdentity(dana, danaAtCorp, null);

        assertThat(sequentialScansOfSessions() - before).as("sequential scans of sessions").isZero();
        assertThat(sessions.find(viaCorp).orElseThrow().externalIdentityId()).isNull();
        // as when the foreign key set it null: the IdP's logout of that session (sid, with or without its subject) ends it
        assertThat(logouts.end("Corp", new LogoutNotice(ISSUER, "sub-dana", "sid-dana", "jti-4", Instant.now().plusSeconds(60)))
                .endedSessionUsers()).containsExactly(dana);
    }

    @Test
    void deletingAUserScansNoSessions() throws InterruptedException {
        manyOtherSessions();
        UUID erin = user("erin");
        String erins = session(erin, "Corp", identity(erin, "Corp", "sub-erin"));
        long before = sequentialScansOfSessions();

        new UserAdministration(db.jdbi()).delete(erin, null);

        assertThat(sequentialScansOfSessions() - before).as("sequential scans of sessions").isZero();
        assertThat(sessions.find(erins)).isEmpty();
    }

    @Test
    void aSignInWithAnIdentityUnlinkedMeanwhileMatchesAfreshAndNeverNamesTheRemovedIdentity() throws Exception {
        UUID fay = user("fay");
        UUID removed = identity(fay, "Corp", "sub-fay");
        IdentityMatcher matcher = new IdentityMatcher(db.jdbi());
        ProviderPolicy policy = new ProviderPolicy("Corp", false, true);
        AuthenticatedIdentity proven = new AuthenticatedIdentity(ISSUER, "sub-fay", "fay", "Fay", "fay@example.com", true,
                List.of(), Map.of("sub", "sub-fay"), null, null);
        try (Handle unlinking = db.jdbi().open()) {
            unlinking.begin();
            unlinking.execute("delete from external_identities where id = ?", removed);
            // the sign-in reads the identity as linked (the delete is not committed) and waits on its row lock
            CompletableFuture<SignInDecision> signIn = CompletableFuture.supplyAsync(() ->
                    db.jdbi().inTransaction(h -> matcher.match(h, policy, proven)));
            awaitALockWait();
            unlinking.commit();
            SignInDecision decision = signIn.get(10, TimeUnit.SECONDS);

            assertThat(decision.accepted()).isTrue();
            assertThat(decision.rule()).isEqualTo(MatchRule.EMAIL);
            assertThat(decision.user().id()).isEqualTo(fay);
            assertThat(decision.externalIdentityId()).isNotEqualTo(removed);
            int linked = db.jdbi().withHandle(h -> h.select("select count(*) from external_identities where id = ?",
                    decision.externalIdentityId()).mapTo(Integer.class).one());
            assertThat(linked).isEqualTo(1);
        }
    }

    /** Waits until some connection waits for a row lock. */
    private static void awaitALockWait() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (db.jdbi().withHandle(h -> h.select("select count(*) from pg_stat_activity where wait_event_type = 'Lock'")
                    .mapTo(Integer.class).one()) > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the sign-in never waited for the identity's row lock");
    }

    /** A busy node's sessions table: 20,000 sessions of other people, analysed (autovacuum would). */
    private static void manyOtherSessions() {
        db.jdbi().useHandle(h -> {
            if (h.select("select count(*) from users where username like 'many-%'").mapTo(Integer.class).one() > 0) {
                return;
            }
            h.execute("""
                    insert into users (username) select 'many-' || g from generate_series(1, 5000) g""");
            h.execute("""
                    insert into sessions (token_hash, user_id, provider_id, expires_at)
                    select sha256((u.username || k)::bytea), u.id, 'Corp', now() + interval '1 hour'
                    from users u cross join generate_series(1, 4) k where u.username like 'many-%'""");
            h.execute("analyze sessions");
        });
    }

    private static LogoutNotice notice(String subject, String jti) {
        return new LogoutNotice(ISSUER, subject, null, jti, Instant.now().plusSeconds(120));
    }

    private static UUID user(String name) {
        return db.jdbi().inTransaction(h -> Users.createWithUniqueUsername(h, name, name, name + "@example.com")).id();
    }

    private static UUID identity(UUID user, String providerId, String subject) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                insert into external_identities (user_id, provider_id, issuer, subject) values (:user, :provider, :issuer, :subject)
                returning id""").bind("user", user).bind("provider", providerId).bind("issuer", ISSUER).bind("subject", subject)
                .mapTo(UUID.class).one());
    }

    private static String session(UUID user, String providerId, UUID identity) {
        return db.jdbi().inTransaction(h -> sessions.create(h, user, providerId, identity, null, null));
    }

    /** Sequential scans of sessions so far, once the counts of every connection reached the shared statistics. */
    private static long sequentialScansOfSessions() throws InterruptedException {
        // a connection's counts are flushed when it is idle, within a second; read until two readings agree
        List<Long> readings = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Thread.sleep(200);
            readings.add(db.jdbi().withHandle(h -> h.select("""
                    select pg_stat_clear_snapshot(), seq_scan from pg_stat_user_tables where relname = 'sessions'""")
                    .map((rs, ctx) -> rs.getLong(2)).one()));
            int n = readings.size();
            if (n >= 6 && readings.get(n - 1).equals(readings.get(n - 2))) {
                return readings.get(n - 1);
            }
        }
        return readings.get(readings.size() - 1);
    }
}
