package org.idbroker.core.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.idbroker.core.TestingDatabase;
import org.idbroker.core.users.Users;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SessionsTest {

    private static TestingDatabase db;
    private static Sessions sessions;

    @BeforeAll
    static void start() {
        db = TestingDatabase.start();
        sessions = new Sessions(db.jdbi(), db.cipher(), db.clock(), new SessionLifetimes(Duration.ofHours(1), Duration.ofHours(4)));
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @AfterEach
    void resetClock() {
        db.clock().reset();
        sessions.setLifetimes(new SessionLifetimes(Duration.ofHours(1), Duration.ofHours(4)));
    }

    @Test
    void aSessionActsAsItsUserAndKeepsTheIdTokenSealed() {
        UUID user = user("pat");
        String token = db.jdbi().inTransaction(h -> sessions.create(h, user, "Corp", null, "sid-1", "header.payload.signature"));

        assertThat(sessions.findWithUser(token, false).orElseThrow().caller().user().username()).isEqualTo("pat");
        assertThat(sessions.idToken(token)).contains("header.payload.signature");
        byte[] stored = db.jdbi().withHandle(h -> h.createQuery("select id_token from sessions where user_id = :u")
                .bind("u", user).mapTo(byte[].class).one());
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("payload");
    }

    @Test
    void aSessionUnusedForTheIdleLifetimeEnds() {
        String token = db.jdbi().inTransaction(h -> sessions.create(h, user("quinn"), "Corp", null, null, null));
        db.clock().advance(Duration.ofMinutes(59));
        assertThat(sessions.find(token)).isPresent();

        db.clock().advance(Duration.ofMinutes(2));
        assertThat(sessions.find(token)).isEmpty();
    }

    @Test
    void aShorterAbsoluteLifetimeEndsExistingSessionsAtOnce() {
        String token = db.jdbi().inTransaction(h -> sessions.create(h, user("ray"), "Corp", null, null, null));
        db.clock().advance(Duration.ofMinutes(30));
        assertThat(sessions.find(token)).isPresent();

        sessions.setLifetimes(new SessionLifetimes(Duration.ofHours(1), Duration.ofMinutes(20)));
        assertThat(sessions.find(token)).isEmpty();
    }

    @Test
    void aDisabledUserOrADeletedSessionActsAsNobody() {
        UUID user = user("sam");
        String first = db.jdbi().inTransaction(h -> sessions.create(h, user, "Corp", null, null, null));
        String second = db.jdbi().inTransaction(h -> sessions.create(h, user, "Corp", null, null, null));

        assertThat(sessions.delete(first)).isTrue();
        assertThat(sessions.find(first)).isEmpty();
        assertThat(sessions.find(second)).isPresent();
        db.jdbi().useHandle(h -> h.execute("update users set active = false where id = ?", user));
        assertThat(sessions.find(second)).isEmpty();
        assertThat(sessions.find("not-a-token")).isEmpty();
    }

    private static UUID user(String name) {
        return db.jdbi().inTransaction(h -> Users.createWithUniqueUsername(h, name, name, name + "@example.com")).id();
    }
}
