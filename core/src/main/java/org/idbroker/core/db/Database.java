package org.idbroker.core.db;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
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
    private final Jdbi jdbi;
    /** Set once every migration this build knows has been seen applied; the schema never goes back. */
    private volatile boolean schemaCurrent;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    }

    /**
     * Opens a pool on the given database and checks that it answers.
     *
     * @throws DatabaseUnavailableException with a message a person can act on
     */
    public static Database open(DatabaseSettings settings) {
        requireNonNull(settings, "settings is null");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        if (settings.username() != null) {
            config.setUsername(settings.username());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setMinimumIdle(Math.min(2, settings.maxPoolSize()));
        config.setPoolName("idbroker");
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(5_000);
        config.addDataSourceProperty("connectTimeout", "5");
        config.addDataSourceProperty("ApplicationName", "idbroker");
        try {
            return new Database(new HikariDataSource(config));
        } catch (RuntimeException e) {
            throw new DatabaseUnavailableException("cannot connect to the database at " + settings.jdbcUrl() + ": "
                    + rootMessage(e) + ". Check that PostgreSQL is running there and the user name and password are right.", e);
        }
    }

    /** Applies pending Flyway migrations. */
    public Database migrate() {
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            schemaCurrent = true;
        } catch (FlywayException e) {
            throw new DatabaseUnavailableException("cannot migrate the database schema: " + rootMessage(e), e);
        }
        return this;
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
                schemaCurrent = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load()
                        .info().pending().length == 0;
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
