package org.idbroker.server;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedulers of a node's background work (housekeeping, session and OpenID Provider maintenance, back-channel
 * deliveries): one daemon thread each, and a stop that lets a running task finish, so that no task is still using the
 * database when the node has stopped and its pool closes.
 */
public final class BackgroundWork {

    /**
     * How long a stop waits for a task that is running before it interrupts it: longer than the slowest task's own
     * deadline (a back-channel delivery's 5 s), short against a stop's shutdown timeout.
     */
    public static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWork.class);

    private BackgroundWork() {
    }

    /** A scheduler on one daemon thread named {@code threadName}; what it has scheduled does not run after a stop. */
    public static ScheduledExecutorService scheduler(String threadName) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    /**
     * Cancels what {@code scheduler} has scheduled and waits up to {@link #STOP_WAIT} for a task that is running to
     * finish; one still running then is interrupted (and said so), and given a moment more.
     */
    public static void stop(ScheduledExecutorService scheduler) {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("A background task was still running {} s after the stop began: interrupting it", STOP_WAIT.toSeconds());
                scheduler.shutdownNow();
                scheduler.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
