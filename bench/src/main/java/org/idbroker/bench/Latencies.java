package org.idbroker.bench;

import java.util.Arrays;
import java.util.List;

/** Latencies of one worker in microseconds, merged into percentiles after the run. Not thread-safe. */
final class Latencies {

    private long[] values = new long[4096];
    private int size;

    void add(long micros) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = micros;
    }

    int size() {
        return size;
    }

    /** p50, p99 and max over every worker, in milliseconds. */
    record Summary(long count, double p50, double p99, double max) {
        String text() {
            return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms", p50, p99, max);
        }
    }

    static Summary summarize(List<Latencies> all) {
        int total = all.stream().mapToInt(l -> l.size).sum();
        long[] merged = new long[total];
        int at = 0;
        for (Latencies l : all) {
            System.arraycopy(l.values, 0, merged, at, l.size);
            at += l.size;
        }
        Arrays.sort(merged);
        if (total == 0) {
            return new Summary(0, 0, 0, 0);
        }
        return new Summary(total, merged[(int) (total * 0.50)] / 1000.0, merged[Math.min(total - 1, (int) (total * 0.99))] / 1000.0,
                merged[total - 1] / 1000.0);
    }
}
