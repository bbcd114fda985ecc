package org.idbroker.core;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.db.Database;
import org.idbroker.core.db.DatabaseSettings;
import org.idbroker.testing.TestingPostgres;
import org.jdbi.v3.core.Jdbi;

/**
 * A migrated database of its own on the tests' PostgreSQL, a master key and a clock the test can move
 * forward; dropped when closed. One per test class.
 */
public final class TestingDatabase implements AutoCloseable {

    private final String jdbcUrl;
    private final Database database;
    private final SecretCipher cipher;
    private final MovableClock clock = new MovableClock();

    private TestingDatabase(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
        this.database = Database.open(new DatabaseSettings(jdbcUrl, TestingPostgres.user(), null, 4)).migrate();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.cipher = new SecretCipher(key);
    }

    public static TestingDatabase start() {
        return new TestingDatabase(TestingPostgres.newDatabase());
    }

    public Jdbi jdbi() {
        return database.jdbi();
    }

    public SecretCipher cipher() {
        return cipher;
    }

    /** Starts at the real time; {@link MovableClock#advance} moves it (the database's own now() does not move). */
    public MovableClock clock() {
        return clock;
    }

    @Override
    public void close() {
        database.close();
        TestingPostgres.dropDatabase(jdbcUrl);
    }

    /** A clock that runs with real time plus whatever the test added. */
    public static final class MovableClock extends Clock {

        private volatile Duration ahead = Duration.ZERO;

        public void advance(Duration by) {
            ahead = ahead.plus(by);
        }

        public void reset() {
            ahead = Duration.ZERO;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the tests' clock is UTC");
        }
    }
}
