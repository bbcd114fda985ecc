package org.idbroker.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A fresh database for one bench run: on the PostgreSQL at 127.0.0.1:5432 when it answers (or the
 * server named by {@code BENCH_DB_URL}), else on an embedded PostgreSQL started for the run.
 */
final class Database implements AutoCloseable {

    private final String serverUrl;
    private final String user;
    private final String name;
    private final EmbeddedPostgres embedded;

    private Database(String serverUrl, String user, String name, EmbeddedPostgres embedded) {
        this.serverUrl = serverUrl;
        this.user = user;
        this.name = name;
        this.embedded = embedded;
    }

    static Database create() throws Exception {
        String url = System.getenv().getOrDefault("BENCH_DB_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String user = System.getenv().getOrDefault("BENCH_DB_USERNAME", "postgres");
        EmbeddedPostgres embedded = null;
        try (Connection c = DriverManager.getConnection(url + "?connectTimeout=2", user, null)) {
            c.isValid(2);
        } catch (SQLException e) {
            System.out.println("# no PostgreSQL at " + url + " (" + e.getMessage() + "): starting an embedded one");
            embedded = EmbeddedPostgres.builder().start();
            url = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres";
            user = "postgres";
        }
        String name = "idb_bench_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(url, user, null); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        return new Database(url, user, name, embedded);
    }

    String jdbcUrl() {
        return serverUrl.substring(0, serverUrl.lastIndexOf('/') + 1) + name;
    }

    String name() {
        return name;
    }

    /** The role the bench connects as (no password: the loopback server trusts it). */
    String user() {
        return user;
    }

    String description() {
        return (embedded != null ? "embedded PostgreSQL" : "PostgreSQL at " + serverUrl.replaceFirst("/[^/]*$", "")) + ", database " + name;
    }

    List<String> cliArguments() {
        return List.of("--db-url", jdbcUrl(), "--db-username", user);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, null);
    }

    void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * This database's transaction and row counters (pg_stat_database: commits, rollbacks, rows inserted, updated,
     * deleted), then the server's WAL counters (pg_stat_wal, every database: records, full-page images, bytes, syncs).
     */
    long[] counters() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted,"
                        + " w.wal_records, w.wal_fpi, w.wal_bytes, w.wal_sync"
                        + " from pg_stat_database, pg_stat_wal w where datname = current_database()")) {
            rs.next();
            long[] counters = new long[9];
            for (int i = 0; i < counters.length; i++) {
                counters[i] = rs.getLong(i + 1);
            }
            return counters;
        }
    }

    /** Process ids of the server processes serving this database now (the broker's pool, this bench's connections). */
    List<Long> backendPids() throws SQLException {
        List<Long> pids = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select pid from pg_stat_activity where datname = current_database()")) {
            while (rs.next()) {
                pids.add(rs.getLong(1));
            }
        }
        return pids;
    }

    @Override
    public void close() throws Exception {
        try (Connection c = DriverManager.getConnection(serverUrl, user, null); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
