package org.idbroker.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.idbroker.core.db.EmbeddedPostgresBinaries;

/**
 * The PostgreSQL server the tests use: the one named by {@code IDBROKER_TEST_DB_URL} (CI sets it),
 * else an embedded one started once per JVM. Each test class gets a database of its own.
 */
public final class TestingPostgres {

    private static final String EXTERNAL = System.getenv("IDBROKER_TEST_DB_URL");
    private static volatile String adminUrl;

    private TestingPostgres() {
    }

    /** Creates an empty database and returns its JDBC URL. */
    public static String newDatabase() {
        String admin = adminUrl();
        String name = "idb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(admin, user(), null); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + admin + ": " + e.getMessage(), e);
        }
        return admin.substring(0, admin.lastIndexOf('/') + 1) + name;
    }

    /** Drops a database made by {@link #newDatabase()}. */
    public static void dropDatabase(String jdbcUrl) {
        String name = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(adminUrl(), user(), null); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
        } catch (SQLException e) {
            // leave it: the CI database is dropped whole at the end of the run
        }
    }

    /** The database user for every test database. */
    public static String user() {
        String user = System.getenv("IDBROKER_TEST_DB_USERNAME");
        return user != null ? user : EXTERNAL != null ? null : "postgres";
    }

    private static String adminUrl() {
        if (adminUrl == null) {
            synchronized (TestingPostgres.class) {
                if (adminUrl == null) {
                    adminUrl = EXTERNAL != null ? EXTERNAL : startEmbedded();
                }
            }
        }
        return adminUrl;
    }

    private static String startEmbedded() {
        try {
            // the broker's own unpack (streamed, safe against an interrupted one), into the user's cache folder
            Path binaries = EmbeddedPostgresBinaries.userCache()
                    .orElse(Path.of(System.getProperty("java.io.tmpdir"), "idbroker-test-postgres-" + System.getProperty("user.name")));
            EmbeddedPostgres postgres = new EmbeddedPostgresBinaries(binaries).builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    // the JVM is ending anyway
                }
            }));
            return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL for the tests", e);
        }
    }
}
