package org.idbroker.core.sessions;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long sessions last.
 *
 * @param idle a session unused for this long ends
 * @param absolute a session ends this long after sign-in, however much it is used
 */
public record SessionLifetimes(Duration idle, Duration absolute) {

    public static final SessionLifetimes DEFAULT = new SessionLifetimes(Duration.ofHours(8), Duration.ofHours(24));

    public SessionLifetimes {
        requireNonNull(idle, "idle is null");
        requireNonNull(absolute, "absolute is null");
        if (idle.isNegative() || idle.isZero() || absolute.isNegative() || absolute.isZero()) {
            throw new IllegalArgumentException("session lifetimes must be positive");
        }
    }
}
