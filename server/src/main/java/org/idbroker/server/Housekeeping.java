package org.idbroker.server;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.idbroker.core.crypto.MasterKeyCheck;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.events.Events;
import org.idbroker.core.signin.LoginStates;
import org.idbroker.core.signin.PasswordThrottle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the spent ids of login states that expired {@link LoginStates#SPENT_KEPT_AFTER_EXPIRY} ago (and
 * password-failure counters whose window ended) every {@link #LOGIN_INTERVAL}, so the table holds about fifteen
 * minutes of sign-ins (a sign-in start stores nothing), and events older than the retention every
 * {@link #EVENT_INTERVAL} (ended sessions are {@code SessionMaintenance}'s). Expired rows are already
 * refused when read; this keeps the tables small. Every node may run it: the deletes are idempotent, and
 * done in batches so no statement holds many rows at once. It also re-reads, every
 * {@link MasterKeyCheck#FOLLOW_INTERVAL_SECONDS} seconds, which master key the database's secrets are under, so a
 * node given both keys encrypts with the new one soon after {@code idbroker rotate-master-key}.
 */
final class Housekeeping implements AutoCloseable {

    static final Duration LOGIN_INTERVAL = Duration.ofSeconds(10);
    static final Duration EVENT_INTERVAL = Duration.ofMinutes(5);
    /** Soon after start, so a node started after a long stop catches up at once. */
    static final Duration EVENT_FIRST_RUN = Duration.ofSeconds(30);
    static final int EVENT_BATCH = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final ScheduledExecutorService executor = BackgroundWork.scheduler("housekeeping");

    /** @param eventRetention how long events are kept, {@link Duration#ZERO} for ever */
    Housekeeping(LoginStates states, PasswordThrottle throttle, Events events, Duration eventRetention, Clock clock,
            Jdbi jdbi, SecretCipher cipher) {
        requireNonNull(jdbi, "jdbi is null");
        requireNonNull(cipher, "cipher is null");
        requireNonNull(states, "states is null");
        requireNonNull(throttle, "throttle is null");
        requireNonNull(events, "events is null");
        requireNonNull(eventRetention, "eventRetention is null");
        requireNonNull(clock, "clock is null");
        executor.scheduleWithFixedDelay(() -> {
            try {
                int spent = states.purgeSpent();
                if (spent > 0) {
                    LOG.debug("Deleted {} spent login states past their expiry", spent);
                }
                throttle.purgeExpired();
            } catch (RuntimeException e) {
                LOG.warn("Could not delete spent login states or password-failure counters: {}", e.getMessage());
            }
        }, LOGIN_INTERVAL.toSeconds(), LOGIN_INTERVAL.toSeconds(), TimeUnit.SECONDS);
        if (!eventRetention.isZero()) {
            executor.scheduleWithFixedDelay(() -> {
                try {
                    int old = events.purgeOlderThan(clock.instant().minus(eventRetention), EVENT_BATCH);
                    if (old > 0) {
                        LOG.info("Deleted {} events older than {} days", old, eventRetention.toDays());
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Could not delete old events: {}", e.getMessage());
                }
            }, EVENT_FIRST_RUN.toSeconds(), EVENT_INTERVAL.toSeconds(), TimeUnit.SECONDS);
        }
        int follow = MasterKeyCheck.FOLLOW_INTERVAL_SECONDS;
        executor.scheduleWithFixedDelay(() -> {
            try {
                MasterKeyCheck.follow(jdbi, cipher);
            } catch (RuntimeException e) {
                LOG.warn("Could not read which master key the secrets are under: {}", e.getMessage());
            }
        }, follow, follow, TimeUnit.SECONDS);
    }

    /** Stops the schedule, waiting for a task that is running ({@link BackgroundWork#stop}). */
    @Override
    public void close() {
        BackgroundWork.stop(executor);
    }
}
