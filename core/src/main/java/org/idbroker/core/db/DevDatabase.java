package org.idbroker.core.db;

import static java.util.Objects.requireNonNull;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL of development mode, its data kept in a folder between runs.
 *
 * <p>Only one PostgreSQL server may run on a data folder. When one already runs there (a broker in
 * {@code start-dev}, while an operator runs {@code admin}), this connects to it instead of
 * starting a second one, so both processes see and write the same data.
 */
public final class DevDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DevDatabase.class);
    private static final int ATTEMPTS = 20;

    private final EmbeddedPostgres owned;
    private final int port;

    private DevDatabase(EmbeddedPostgres owned, int port) {
        this.owned = owned;
        this.port = port;
    }

    /**
     * Starts the embedded server on {@code dataDir}, or joins the one already running there, with its programs
     * unpacked under {@code binariesDir} (null: the user's cache folder, else {@code dataDir/postgres-binaries}).
     */
    public static DevDatabase open(Path dataDir, Path binariesDir) {
        requireNonNull(dataDir, "dataDir is null");
        Path pgData = dataDir.resolve("postgres");
        try {
            Files.createDirectories(pgData);
        } catch (IOException e) {
            throw new DatabaseUnavailableException("cannot create the data folder " + dataDir.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
        EmbeddedPostgresBinaries binaries = new EmbeddedPostgresBinaries(binariesDir != null ? binariesDir
                : EmbeddedPostgresBinaries.userCache().orElse(dataDir.resolve("postgres-binaries")));
        RuntimeException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Integer> running = runningPort(pgData);
            if (running.isPresent()) {
                LOG.info("Using the embedded PostgreSQL already running on {} (port {})", pgData, running.get());
                return new DevDatabase(null, running.get());
            }
            try {
                checkVersion(pgData, binaries);
                EmbeddedPostgres postgres = binaries.builder()
                        .setDataDirectory(pgData.toFile())
                        .setCleanDataDirectory(false)
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("max_connections", "100")
                        .start();
                return new DevDatabase(postgres, postgres.getPort());
            } catch (DatabaseUnavailableException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                // another process may have started it a moment ago: look again
                last = e instanceof RuntimeException r ? r : new RuntimeException(e);
                sleep();
            }
        }
        throw new DatabaseUnavailableException("cannot start the embedded PostgreSQL in " + pgData.toAbsolutePath()
                + ": " + Database.rootMessage(last), last);
    }

    public DatabaseSettings settings(int maxPoolSize) {
        return new DatabaseSettings(jdbcUrl(), "postgres", null, maxPoolSize);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Whether this process started the server (and so stops it on close). */
    public boolean owned() {
        return owned != null;
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (IOException e) {
                LOG.warn("Could not stop the embedded PostgreSQL cleanly: {}", e.getMessage());
            }
        }
    }

    /** A data folder made by another major version of PostgreSQL cannot be opened by this one: say so, and what to do. */
    private static void checkVersion(Path pgData, EmbeddedPostgresBinaries binaries) {
        Path versionFile = pgData.resolve("PG_VERSION");
        if (!Files.isRegularFile(versionFile)) {
            return;
        }
        String found;
        try {
            found = Files.readString(versionFile).strip();
        } catch (IOException e) {
            return; // initdb or PostgreSQL will say what is wrong with the folder
        }
        String ours = binaries.majorVersion();
        if (!found.equals(ours)) {
            throw new DatabaseUnavailableException("the data folder " + pgData.toAbsolutePath() + " holds a PostgreSQL " + found
                    + " database, and this broker runs PostgreSQL " + ours + ": move the folder away (or delete it) to start afresh, "
                    + "or copy the data over with pg_dump from PostgreSQL " + found + " and psql", null);
        }
    }

    private static Optional<Integer> runningPort(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 4) {
                return Optional.empty();
            }
            int port = Integer.parseInt(lines.get(3).trim());
            try (Connection ignored = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=2", "postgres", "")) {
                return Optional.of(port);
            }
        } catch (IOException | NumberFormatException | SQLException e) {
            return Optional.empty();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
