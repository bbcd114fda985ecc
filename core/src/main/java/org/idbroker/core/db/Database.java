package org.idbroker.core.db;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/** The connection pool, the schema migrations and the Jdbi handle on one PostgreSQL database. */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final String jdbcUrl;
    private final Jdbi jdbi;
    private volatile boolean connected;
    /** Set once every migration this build knows has been seen applied; the schema never goes back. */
    private volatile boolean schemaCurrent;

    private Database(HikariDataSource dataSource, String jdbcUrl) {
        this.dataSource = dataSource;
        this.jdbcUrl = jdbcUrl;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
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

    /** Applies pending Flyway migrations; nothing to do when this pool already did. */
    public Database migrate() {
        if (schemaCurrent) {
            return this;
        }
        try {
            flyway().migrate();
            schemaCurrent = true;
        } catch (FlywayException e) {
            throw new DatabaseUnavailableException("cannot migrate the database schema: " + rootMessage(e), e);
        }
        return this;
    }

    private Flyway flyway() {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
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
                schemaCurrent = flyway().info().pending().length == 0;
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
