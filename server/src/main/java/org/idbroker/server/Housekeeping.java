package org.idbroker.server;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.idbroker.core.events.Events;
import org.idbroker.core.signin.LoginTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired login transactions, and events older than the retention, now and then (ended
 * sessions are {@code SessionMaintenance}'s). Expired rows are already refused when read; this only
 * keeps the tables small. Every node may run it: the deletes are idempotent.
 */
final class Housekeeping implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofMinutes(5);
    /** Soon after start, so a node started after a long stop catches up at once. */
    static final Duration FIRST_RUN = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "housekeeping");
        thread.setDaemon(true);
        return thread;
    });

    static final int EVENT_BATCH = 5_000;

    /** @param eventRetention how long events are kept, {@link Duration#ZERO} for ever */
    Housekeeping(LoginTransactions transactions, Events events, Duration eventRetention, Clock clock) {
        requireNonNull(transactions, "transactions is null");
        requireNonNull(events, "events is null");
        requireNonNull(eventRetention, "eventRetention is null");
        requireNonNull(clock, "clock is null");
        executor.scheduleWithFixedDelay(() -> {
            try {
                int logins = transactions.purgeExpired();
                if (logins > 0) {
                    LOG.debug("Deleted {} expired login transactions", logins);
                }
                if (!eventRetention.isZero()) {
                    int old = events.purgeOlderThan(clock.instant().minus(eventRetention), EVENT_BATCH);
                    if (old > 0) {
                        LOG.info("Deleted {} events older than {} days", old, eventRetention.toDays());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not delete expired rows: {}", e.getMessage());
            }
        }, FIRST_RUN.toSeconds(), INTERVAL.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
