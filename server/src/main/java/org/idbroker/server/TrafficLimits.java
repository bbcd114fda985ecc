package org.idbroker.server;

import org.idbroker.core.signin.PasswordThrottle;

/**
 * How much of a node one provider or one client address may take.
 *
 * @param idpCallsPerProvider how many requests may wait on one provider's IdP at once (sign-in starts,
 *        callbacks, back-channel logouts); one more is refused at once, so the other request threads stay free
 * @param signInStartsPerMinute how many sign-ins one client address may start per minute (a burst of as many is
 *        allowed); more answer 429 with {@code Retry-After}. 0 turns the limit off
 * @param passwordFailures how many wrong passwords a username from one address, a username, and an address may
 *        give in a window before password sign-ins are refused until the window ends
 */
public record TrafficLimits(int idpCallsPerProvider, int signInStartsPerMinute, PasswordThrottle.Limits passwordFailures) {

    /** Sign-in starts per minute and client address by default. */
    public static final int DEFAULT_SIGN_IN_STARTS_PER_MINUTE = 600;

    public TrafficLimits {
        if (idpCallsPerProvider < 1) {
            throw new IllegalArgumentException("idpCallsPerProvider must be at least 1, got " + idpCallsPerProvider);
        }
        if (signInStartsPerMinute < 0) {
            throw new IllegalArgumentException("signInStartsPerMinute must not be negative, got " + signInStartsPerMinute);
        }
        java.util.Objects.requireNonNull(passwordFailures, "passwordFailures is null");
    }

    /** With the default password throttling. */
    public TrafficLimits(int idpCallsPerProvider, int signInStartsPerMinute) {
        this(idpCallsPerProvider, signInStartsPerMinute, PasswordThrottle.Limits.DEFAULT);
    }

    /** These limits with another password throttling. */
    public TrafficLimits withPasswordFailures(PasswordThrottle.Limits limits) {
        return new TrafficLimits(idpCallsPerProvider, signInStartsPerMinute, limits);
    }

    /**
     * The defaults for a node with this many request threads: half the requests handled at once (at least 1) per provider,
     * {@value #DEFAULT_SIGN_IN_STARTS_PER_MINUTE} sign-in starts per minute and address.
     */
    public static TrafficLimits defaults(int httpThreads) {
        return new TrafficLimits(defaultIdpCallsPerProvider(httpThreads), DEFAULT_SIGN_IN_STARTS_PER_MINUTE);
    }

    /** Half the requests handled at once ({@link RequestPriorities}), at least 1. */
    public static int defaultIdpCallsPerProvider(int httpThreads) {
        return Math.max(1, RequestPriorities.maxRequests(httpThreads) / 2);
    }
}
