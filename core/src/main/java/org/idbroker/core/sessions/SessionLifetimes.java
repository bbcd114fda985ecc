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
    /** A year: longer lifetimes an administrator sets are a mistake, not a policy. */
    public static final long MAX_MINUTES = 366L * 24 * 60;

    /** Why {@code minutes} cannot be the lifetime {@code field}, or {@code null} when it can. */
    public static String minutesProblem(String field, long minutes) {
        if (minutes < 1 || minutes > MAX_MINUTES) {
            return field + " must be between 1 and " + MAX_MINUTES + " minutes, got " + minutes + ".";
        }
        return null;
    }

    /** Why these two lifetimes cannot go together, or {@code null} when they can. */
    public static String orderProblem(long idleMinutes, long absoluteMinutes) {
        if (idleMinutes > absoluteMinutes) {
            return "idleMinutes (" + idleMinutes + ") must not exceed absoluteMinutes (" + absoluteMinutes
                    + "): a session never lives longer than its absolute lifetime.";
        }
        return null;
    }

    public SessionLifetimes {
        requireNonNull(idle, "idle is null");
        requireNonNull(absolute, "absolute is null");
        if (idle.isNegative() || idle.isZero() || absolute.isNegative() || absolute.isZero()) {
            throw new IllegalArgumentException("session lifetimes must be positive");
        }
    }
}
