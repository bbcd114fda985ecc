package org.idbroker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/** What Linux accounts to a process: CPU time and resident memory, read from /proc. */
final class Procfs {

    private static final long CLOCK_TICKS = Long.getLong("bench.clockTicks", 100);

    private Procfs() {
    }

    /** User plus system CPU time of process {@code pid} so far, in milliseconds; 0 when it is gone or unreadable. */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name (field 2) may hold spaces; fields after its closing parenthesis are plain
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1000 / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * CPU-ms so far of the threads of {@code pid} whose name starts with one of {@code prefixes} (as the kernel shows
     * it, cut at 15 characters: "C2 CompilerThre", "VM Thread"). A thread that ended is no longer counted.
     */
    static long threadCpuMillis(long pid, String... prefixes) {
        long total = 0;
        try (java.nio.file.DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    String comm = Files.readString(task.resolve("comm")).trim();
                    for (String prefix : prefixes) {
                        if (comm.startsWith(prefix)) {
                            total += cpuMillisOf(task.resolve("stat"));
                            break;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }

    private static long cpuMillisOf(Path stat) throws IOException {
        String text = Files.readString(stat);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000 / CLOCK_TICKS;
    }

    static long cpuMillis(Collection<Long> pids) {
        return pids.stream().mapToLong(Procfs::cpuMillis).sum();
    }

    /** Resident memory of {@code pid} now, in MiB. */
    static long rssMiB(long pid) {
        return statusKiB(pid, "VmRSS:") / 1024;
    }

    /** Resident memory of {@code pid} now by kind: anonymous (heap, stacks, JIT, malloc), file-backed (the class archive, libjvm), in MiB. */
    static String rssKindsMiB(long pid) {
        return "anon " + statusKiB(pid, "RssAnon:") / 1024 + " + file " + statusKiB(pid, "RssFile:") / 1024 + " MiB, "
                + statusKiB(pid, "Threads:") + " threads";
    }

    /** Highest resident memory {@code pid} ever had, in MiB. */
    static long peakRssMiB(long pid) {
        return statusKiB(pid, "VmHWM:") / 1024;
    }

    private static long statusKiB(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    /** The 1, 5 and 15 minute load averages, as the kernel prints them. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static long totalMemoryMiB() {
        return statusLine(Path.of("/proc/meminfo"), "MemTotal:") / 1024;
    }

    private static long statusLine(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return 0;
    }
}
