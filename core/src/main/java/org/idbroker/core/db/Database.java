package org.idbroker.core.db;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.pattern.ValidatePattern;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/** The connection pool, the schema migrations and the Jdbi handle on one PostgreSQL database. */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final String jdbcUrl;
    private final Jdbi jdbi;
    /**
     * Configured once (loading Flyway's configuration and plugins is part of its cost) and used for every command on
     * this pool; it connects only when a command runs. Future migrations (applied by a newer IdBroker) are not
     * ignored, so {@link #migrate()} needs one Flyway command, not an {@code info()} first: its validation fails on
     * them, and only then is the schema's state read again to say so.
     */
    private final Flyway flyway;
    private volatile boolean connected;
    /** Set once every migration this build knows has been seen applied; the schema never goes back. */
    private volatile boolean schemaCurrent;

    private Database(HikariDataSource dataSource, String jdbcUrl) {
        this.dataSource = dataSource;
        this.jdbcUrl = jdbcUrl;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
        this.flyway = Flyway.configure(Database.class.getClassLoader()).dataSource(dataSource)
                .locations("classpath:db/migration").ignoreMigrationPatterns(new ValidatePattern[0]).load();
    }

    /**
     * Opens a pool on the given database and checks that it answers.
     *
     * @throws DatabaseUnavailableException with a message a person can act on
     */
    public static Database open(DatabaseSettings settings) {
        return create(settings).connect();
    }

    /**
     * A pool on the given database that connects at its first use, or at {@link #connect()}: the
     * services can be wired on it while the database is reached and migrated.
     */
    public static Database create(DatabaseSettings settings) {
        requireNonNull(settings, "settings is null");
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(settings.jdbcUrl());
        if (settings.username() != null) {
            dataSource.setUsername(settings.username());
        }
        if (settings.password() != null) {
            dataSource.setPassword(settings.password());
        }
        dataSource.setMaximumPoolSize(settings.maxPoolSize());
        // one idle connection is enough to answer the first requests; the pool grows with the load
        dataSource.setMinimumIdle(1);
        dataSource.setPoolName("idbroker");
        dataSource.setConnectionTimeout(5_000);
        dataSource.setInitializationFailTimeout(5_000);
        dataSource.addDataSourceProperty("connectTimeout", "5");
        dataSource.addDataSourceProperty("ApplicationName", "idbroker");
        return new Database(dataSource, settings.jdbcUrl());
    }

    /**
     * Opens the pool, if not yet, and checks that the database answers.
     *
     * @throws DatabaseUnavailableException with a message a person can act on
     */
    public Database connect() {
        if (connected) {
            return this;
        }
        try (Connection ignored = dataSource.getConnection()) {
            connected = true;
            return this;
        } catch (SQLException | RuntimeException e) {
            throw new DatabaseUnavailableException("cannot connect to the database at " + jdbcUrl + ": "
                    + rootMessage(e) + ". Check that PostgreSQL is running there and the user name and password are right.", e);
        }
    }

    /**
     * Applies pending Flyway migrations; nothing to do when this pool already did.
     *
     * @throws SchemaMismatchException when a newer IdBroker already migrated the schema past what this one knows
     */
    public Database migrate() {
        if (schemaCurrent) {
            return this;
        }
        try {
            flyway.migrate();
            schemaCurrent = true;
        } catch (FlywayException e) {
            // a newer IdBroker's migrations fail the validation: say so, rather than in Flyway's words
            try {
                refuseNewerSchema(flyway.info());
            } catch (FlywayException unreadable) {
                e.addSuppressed(unreadable);
            }
            throw new DatabaseUnavailableException("cannot migrate the database schema: " + rootMessage(e), e);
        }
        return this;
    }

    /**
     * Checks, without changing anything, that the schema is exactly the one this version expects: for the
     * commands that only read or change data, never the schema.
     *
     * @throws SchemaMismatchException saying which command migrates, or that this IdBroker is too old
     */
    public Database requireCurrentSchema() {
        if (schemaCurrent) {
            return this;
        }
        MigrationInfoService info = schemaInfo();
        refuseNewerSchema(info);
        MigrationInfo[] pending = info.pending();
        if (pending.length > 0) {
            MigrationInfo current = info.current();
            throw new SchemaMismatchException("the database schema is older than this IdBroker expects (it is at "
                    + (current == null ? "no version" : "V" + current.getVersion()) + ", this version needs V"
                    + pending[pending.length - 1].getVersion() + "): run 'idbroker migrate' with the same database options,"
                    + " or start a node of this version (start migrates), then try again");
        }
        schemaCurrent = true;
        return this;
    }

    /**
     * For the commands that change data on a clean install ({@code admin}, {@code configure}, {@code client}): a
     * database with no schema at all is given one (nothing there to upgrade or lose), any other must already be at
     * this version, as {@link #requireCurrentSchema()} says.
     */
    public Database installOrRequireCurrentSchema() {
        if (schemaCurrent) {
            return this;
        }
        MigrationInfoService info = schemaInfo();
        return info.applied().length == 0 ? migrate() : requireCurrentSchema();
    }

    private MigrationInfoService schemaInfo() {
        try {
            return flyway.info();
        } catch (FlywayException e) {
            throw new DatabaseUnavailableException("cannot read the database schema's version: " + rootMessage(e), e);
        }
    }

    private static void refuseNewerSchema(MigrationInfoService info) {
        for (MigrationInfo applied : info.applied()) {
            if (applied.getState() == MigrationState.FUTURE_SUCCESS || applied.getState() == MigrationState.FUTURE_FAILED) {
                MigrationInfo[] known = info.all();
                String newest = "none";
                for (MigrationInfo migration : known) {
                    if (!migration.getState().name().startsWith("FUTURE") && migration.getVersion() != null) {
                        newest = "V" + migration.getVersion();
                    }
                }
                throw new SchemaMismatchException("the database schema is at V" + info.current().getVersion()
                        + ", newer than this IdBroker knows (" + newest + "): a newer version migrated it. Run that version"
                        + " (or newer); an older node must not work on a schema it does not know");
            }
        }
    }

    /**
     * Whether the database answers and every migration has been applied. The migration state is read
     * once (Flyway scans the class path and the history table, milliseconds of work); after that a
     * health check costs one connection validation.
     */
    public boolean isReady() {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(2)) {
                return false;
            }
            if (!schemaCurrent) {
                schemaCurrent = flyway.info().pending().length == 0;
            }
            return schemaCurrent;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
