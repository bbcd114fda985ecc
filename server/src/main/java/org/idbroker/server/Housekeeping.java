package org.idbroker.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.idbroker.core.signin.LoginTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired login transactions every {@link #INTERVAL} (ended sessions are {@code SessionMaintenance}'s),
 * so a flood of sign-in starts grows the table by at most what ten minutes of it insert. Expired rows
 * are already refused when read; this keeps the table small. Every node may run it: the delete is
 * idempotent, and done in batches so no statement holds many rows at once.
 */
final class Housekeeping implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "housekeeping");
        thread.setDaemon(true);
        return thread;
    });

    Housekeeping(LoginTransactions transactions) {
        requireNonNull(transactions, "transactions is null");
        executor.scheduleWithFixedDelay(() -> {
            try {
                int logins = transactions.purgeExpired();
                if (logins > 0) {
                    LOG.debug("Deleted {} expired login transactions", logins);
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not delete expired rows: {}", e.getMessage());
            }
        }, INTERVAL.toSeconds(), INTERVAL.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
