package org.idbroker.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU of every {@code postgres} process on this machine, sorted three ways: the backends serving the bench's
 * database (the broker's pool), the server's own processes (postmaster, WAL writer, checkpointer, background writer,
 * autovacuum launcher: they work for every database, the bench's commits included), and backends of other databases
 * (other work on a shared server, reported so its weight shows, never added to the broker's figures). The postmaster
 * and any process not in {@code pg_stat_activity} count as the server's.
 */
final class PostgresCpu {

    enum Kind { BENCH_DATABASE, SERVER, OTHER_DATABASES }

    record Sample(Map<Long, Kind> kinds, Map<Long, Long> cpuMillis) {
    }

    /** CPU-ms spent between two samples, per kind. A process that began and ended between them is missed. */
    record Spent(long benchDatabase, long server, long otherDatabases) {
        long broker() {
            return benchDatabase + server;
        }
    }

    private PostgresCpu() {
    }

    static Sample sample(Database database) throws SQLException {
        Map<Long, String> datnames = new HashMap<>();
        try (Connection c = database.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select pid, coalesce(datname, '') from pg_stat_activity where pid <> pg_backend_pid()")) {
            while (rs.next()) {
                datnames.put(rs.getLong(1), rs.getString(2));
            }
        }
        String ours = database.name();
        Map<Long, Kind> kinds = new HashMap<>();
        Map<Long, Long> cpu = new HashMap<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars()
                .allMatch(Character::isDigit))) {
            for (Path p : proc) {
                String comm;
                try {
                    comm = Files.readString(p.resolve("comm")).trim();
                } catch (IOException e) {
                    continue;
                }
                if (!comm.equals("postgres")) {
                    continue;
                }
                long pid = Long.parseLong(p.getFileName().toString());
                String datname = datnames.get(pid);
                Kind kind = datname == null || datname.isEmpty() ? Kind.SERVER
                        : datname.equals(ours) ? Kind.BENCH_DATABASE : Kind.OTHER_DATABASES;
                kinds.put(pid, kind);
                cpu.put(pid, Procfs.cpuMillis(pid));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return new Sample(kinds, cpu);
    }

    static Spent between(Sample before, Sample after) {
        long[] spent = new long[3];
        after.cpuMillis().forEach((pid, cpu) -> {
            Kind kind = after.kinds().get(pid);
            if (before.kinds().get(pid) == Kind.BENCH_DATABASE) {
                kind = Kind.BENCH_DATABASE;
            }
            spent[kind.ordinal()] += cpu - before.cpuMillis().getOrDefault(pid, 0L);
        });
        return new Spent(spent[0], spent[1], spent[2]);
    }
}
