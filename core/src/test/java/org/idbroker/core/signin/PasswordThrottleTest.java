package org.idbroker.core.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.idbroker.core.TestingDatabase;
import org.idbroker.core.signin.PasswordThrottle.Limit;
import org.idbroker.core.signin.PasswordThrottle.Limits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PasswordThrottleTest {

    private static TestingDatabase db;
    private static PasswordThrottle throttle;

    @BeforeAll
    static void start() {
        db = TestingDatabase.start();
        throttle = new PasswordThrottle(db.jdbi(), new Limits(Limit.parse("3/15m"), Limit.parse("5/1m"), Limit.parse("8/15m")),
                db.clock());
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @AfterEach
    void reset() {
        db.clock().reset();
        db.jdbi().useHandle(h -> h.execute("delete from password_failures"));
    }

    @Test
    void refusesAUsernameFromOneAddressAfterItsLimitUntilTheWindowEnds() {
        fail(3, "alice", "192.0.2.1");

        assertThat(throttle.blocked("Corp", "alice", "192.0.2.1")).hasValueSatisfying(
                wait -> assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(15)));
        assertThat(throttle.blocked("Corp", "ALICE ", "192.0.2.1")).as("the username compared regardless of case").isPresent();
        assertThat(throttle.blocked("Corp", "alice", "198.51.100.7")).as("another address").isEmpty();
        assertThat(throttle.blocked("Other", "alice", "192.0.2.1")).as("another provider").isEmpty();

        db.clock().advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThat(throttle.blocked("Corp", "alice", "192.0.2.1")).isEmpty();
    }

    @Test
    void aBurstFromManyAddressesLocksTheUsernameEverywhereOnlyForTheShortWindow() {
        for (int i = 1; i <= 5; i++) {
            fail(1, "bob", "203.0.113." + i);
        }

        assertThat(throttle.blocked("Corp", "bob", "192.0.2.50")).as("bob's own address is refused too").hasValueSatisfying(
                wait -> assertThat(wait).isLessThanOrEqualTo(Duration.ofMinutes(1)));

        db.clock().advance(Duration.ofSeconds(61));
        assertThat(throttle.blocked("Corp", "bob", "192.0.2.50")).isEmpty();
    }

    @Test
    void refusesAnAddressTryingManyUsernames() {
        for (int i = 0; i < 8; i++) {
            fail(1, "user" + i, "192.0.2.9");
        }

        assertThat(throttle.blocked("Corp", "someone-else", "192.0.2.9")).isPresent();
        assertThat(throttle.blocked("Corp", "someone-else", "192.0.2.10")).isEmpty();
    }

    @Test
    void aRightPasswordStartsTheCountOfItsAddressAgain() {
        fail(2, "carol", "192.0.2.3");
        throttle.succeeded("Corp", "carol", "192.0.2.3");
        fail(2, "carol", "192.0.2.3");

        assertThat(throttle.blocked("Corp", "carol", "192.0.2.3")).isEmpty();
    }

    @Test
    void aCountStartsAfreshOnceItsWindowEndedAndOldCountersArePurged() {
        fail(2, "dave", "192.0.2.4");
        db.clock().advance(Duration.ofMinutes(16));
        fail(2, "dave", "192.0.2.4");

        assertThat(throttle.blocked("Corp", "dave", "192.0.2.4")).isEmpty();
        db.clock().advance(Duration.ofMinutes(16));
        assertThat(throttle.purgeExpired()).isEqualTo(3);
    }

    @Test
    void parsesLimitsAndRefusesMalformedOnes() {
        assertThat(Limit.parse("5/15m")).isEqualTo(new Limit(5, Duration.ofMinutes(15)));
        assertThat(Limit.parse("20/30s")).isEqualTo(new Limit(20, Duration.ofSeconds(30)));
        assertThat(Limit.parse("1/2h")).isEqualTo(new Limit(1, Duration.ofHours(2)));
        assertThat(Limit.parse("0")).isEqualTo(Limit.OFF);
        assertThatThrownBy(() -> Limit.parse("5 per minute")).hasMessageContaining("COUNT/DURATION such as 5/15m");
        assertThatThrownBy(() -> Limit.parse("5/0m")).hasMessageContaining("COUNT/DURATION");
    }

    @Test
    void aLimitOfZeroCountsNothing() {
        PasswordThrottle off = new PasswordThrottle(db.jdbi(), new Limits(Limit.OFF, Limit.OFF, Limit.OFF), db.clock());
        for (int i = 0; i < 10; i++) {
            off.failed("Corp", "erin", "192.0.2.5");
        }
        assertThat(off.blocked("Corp", "erin", "192.0.2.5")).isEmpty();
        long rows = db.jdbi().withHandle(h -> h.createQuery("select count(*) from password_failures").mapTo(Long.class).one());
        assertThat(rows).isZero();
    }

    private static void fail(int times, String username, String address) {
        for (int i = 0; i < times; i++) {
            throttle.failed("Corp", username, address);
        }
    }
}
