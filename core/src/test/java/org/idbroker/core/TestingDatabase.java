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
import org.jdbi.v3.core.Jdbi;

/**
 * A migrated database of its own on the tests' PostgreSQL ({@code IDBROKER_TEST_DB_URL}, else an embedded one
 * unpacked by {@link org.idbroker.core.db.EmbeddedPostgresBinaries}; the provider kit's {@code TestingPostgres}
 * does the same for the modules above core, which core's tests cannot depend on), a master key and a clock the test
 * can move forward; dropped when closed. One per test class.
 */
public final class TestingDatabase implements AutoCloseable {

    private final String jdbcUrl;
    private final Database database;
    private final SecretCipher cipher;
    private final MovableClock clock = new MovableClock();

    private TestingDatabase(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
        this.database = Database.open(new DatabaseSettings(jdbcUrl, Server.USER, null, 4));
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.cipher = new SecretCipher(key);
    }

    public static TestingDatabase start() {
        TestingDatabase db = new TestingDatabase(Server.newDatabase());
        db.database.migrate();
        return db;
    }

    /** A database whose schema is at {@code version}, as an older IdBroker left it; {@link #migrate()} brings it up. */
    public static TestingDatabase atVersion(String version) {
        TestingDatabase db = new TestingDatabase(Server.newDatabase());
        org.flywaydb.core.Flyway.configure().dataSource(db.jdbcUrl, Server.USER, null)
                .locations("classpath:db/migration").target(version).load().migrate();
        return db;
    }

    /** Migrates the schema to this version's. */
    public void migrate() {
        database.migrate();
    }

    public Jdbi jdbi() {
        return database.jdbi();
    }

    /**
     * The sequential and index scans of {@code table} so far, once every connection's counts reached the shared
     * statistics: an idle connection flushes its counts within a second, so this reads until two readings a fifth of a
     * second apart agree (at least a second in).
     */
    public long[] scans(String table) throws InterruptedException {
        long[] last = null;
        for (int i = 0; i < 50; i++) {
            Thread.sleep(200);
            long[] now = jdbi().withHandle(h -> h.select("""
                    select pg_stat_clear_snapshot(), seq_scan, coalesce(idx_scan, 0) from pg_stat_user_tables
                    where relname = ?""", table).map((rs, ctx) -> new long[] {rs.getLong(2), rs.getLong(3)}).one());
            if (last != null && last[0] == now[0] && last[1] == now[1] && i >= 5) {
                return now;
            }
            last = now;
        }
        return last;
    }

    /** How to open another pool on this database (one that has not seen its schema yet). */
    public DatabaseSettings settings() {
        return new DatabaseSettings(jdbcUrl, Server.USER, null, 2);
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
        Server.run("drop database if exists " + jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1) + " with (force)");
    }

    /** The PostgreSQL server of the tests, started at most once per JVM when no external one is named. */
    private static final class Server {

        static final String EXTERNAL = System.getenv("IDBROKER_TEST_DB_URL");
        static final String USER = System.getenv("IDBROKER_TEST_DB_USERNAME") != null
                ? System.getenv("IDBROKER_TEST_DB_USERNAME") : EXTERNAL != null ? null : "postgres";
        private static String adminUrl;

        static synchronized String adminUrl() {
            if (adminUrl == null) {
                adminUrl = EXTERNAL != null ? EXTERNAL : embedded();
            }
            return adminUrl;
        }

        static String newDatabase() {
            String name = "idb_core_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            run("create database " + name);
            String admin = adminUrl();
            return admin.substring(0, admin.lastIndexOf('/') + 1) + name;
        }

        static void run(String sql) {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(adminUrl(), USER, null);
                    java.sql.Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot " + sql + " on " + adminUrl() + ": " + e.getMessage(), e);
            }
        }

        private static String embedded() {
            java.nio.file.Path binaries = org.idbroker.core.db.EmbeddedPostgresBinaries.userCache().orElse(java.nio.file.Path.of(
                    System.getProperty("java.io.tmpdir"), "idbroker-test-postgres-" + System.getProperty("user.name")));
            try {
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres =
                        new org.idbroker.core.db.EmbeddedPostgresBinaries(binaries).builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (java.io.IOException e) {
                        // the JVM is ending anyway
                    }
                }));
                return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot start the embedded PostgreSQL for core's tests", e);
            }
        }
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
