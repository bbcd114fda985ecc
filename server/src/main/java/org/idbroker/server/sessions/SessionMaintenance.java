package org.idbroker.server.sessions;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.idbroker.core.sessions.SessionLifetimes;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.core.sessions.StoredSessionLifetimes;
import org.idbroker.server.BackgroundWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's session lifetimes in step with the ones an administrator stored (read every
 * {@link #REFRESH_INTERVAL}), falling back to the lifetimes the node was started with, and deletes
 * ended sessions from time to time.
 */
public final class SessionMaintenance implements AutoCloseable {

    public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(2);
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(SessionMaintenance.class);

    private final Sessions sessions;
    private final StoredSessionLifetimes stored;
    private final SessionLifetimes startupLifetimes;
    private final IntConsumer expired;
    private ScheduledExecutorService scheduler;

    public SessionMaintenance(Sessions sessions, StoredSessionLifetimes stored, SessionLifetimes startupLifetimes) {
        this(sessions, stored, startupLifetimes, count -> { });
    }

    /** @param expired told how many expired sessions each purge deleted (the metrics) */
    public SessionMaintenance(Sessions sessions, StoredSessionLifetimes stored, SessionLifetimes startupLifetimes,
            IntConsumer expired) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.stored = requireNonNull(stored, "stored is null");
        this.startupLifetimes = requireNonNull(startupLifetimes, "startupLifetimes is null");
        this.expired = requireNonNull(expired, "expired is null");
    }

    /** Applies the stored lifetimes now, then keeps them current in the background. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        refreshLifetimes();
        scheduler = BackgroundWork.scheduler("session-maintenance");
        scheduler.scheduleWithFixedDelay(this::refreshQuietly, REFRESH_INTERVAL.toMillis(), REFRESH_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::purgeQuietly, PURGE_INTERVAL.toMillis(), PURGE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The lifetimes this node uses now: the stored ones, or the ones it was started with. */
    public SessionLifetimes refreshLifetimes() {
        SessionLifetimes wanted = stored.read().orElse(startupLifetimes);
        if (!wanted.equals(sessions.lifetimes())) {
            LOG.info("Session lifetimes now: idle {} min, absolute {} min", wanted.idle().toMinutes(), wanted.absolute().toMinutes());
            sessions.setLifetimes(wanted);
        }
        return wanted;
    }

    private void refreshQuietly() {
        try {
            refreshLifetimes();
        } catch (RuntimeException e) {
            LOG.warn("Could not read the session lifetimes: {}", e.getMessage());
        }
    }

    private void purgeQuietly() {
        try {
            int purged = sessions.purgeExpired();
            expired.accept(purged);
            if (purged > 0) {
                LOG.debug("Deleted {} ended sessions", purged);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not delete ended sessions: {}", e.getMessage());
        }
    }

    /** Stops the schedule, waiting for a refresh or purge that is under way ({@link BackgroundWork#stop}). */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            BackgroundWork.stop(scheduler);
            scheduler = null;
        }
    }
}
