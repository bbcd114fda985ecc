package org.idbroker.core.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.idbroker.core.TestingDatabase;
import org.idbroker.core.users.Users;
import org.idbroker.spi.LogoutNotice;
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
        // a busy node's sessions table: 20,000 sessions of other people, analysed (autovacuum would)
        db.jdbi().useHandle(h -> {
            h.execute("""
                    insert into users (username) select 'many-' || g from generate_series(1, 5000) g""");
            h.execute("""
                    insert into sessions (token_hash, user_id, provider_id, expires_at)
                    select sha256((u.username || k)::bytea), u.id, 'Corp', now() + interval '1 hour'
                    from users u cross join generate_series(1, 4) k where u.username like 'many-%'""");
            h.execute("analyze sessions");
        });
        long before = db.scans("sessions")[0];

        assertThat(logouts.end("Corp", notice("sub-carol", "jti-3")).endedSessionUsers()).containsExactly(carol);

        assertThat(db.scans("sessions")[0] - before).as("sequential scans of sessions").isZero();
        assertThat(sessions.find(carols)).isEmpty();
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
}
