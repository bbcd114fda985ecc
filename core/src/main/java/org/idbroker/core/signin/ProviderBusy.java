package org.idbroker.core.signin;

import org.idbroker.spi.SignInRejectedException;

/**
 * The cause of a provider's refusal made for want of a place, not by the IdP: too many requests already
 * wait on that provider's IdP (the host's per-provider limit). Nothing reached the IdP, so the sign-in
 * writes no event and the caller is told to try again in {@link #RETRY_AFTER_SECONDS}.
 */
public final class ProviderBusy extends RuntimeException {

    /** How many seconds a refused caller is told to wait ({@code Retry-After}). */
    public static final int RETRY_AFTER_SECONDS = 2;
    /** Shared and without a stack trace: it only marks the refusal. */
    public static final ProviderBusy INSTANCE = new ProviderBusy();

    private ProviderBusy() {
        super("too many calls waiting on the IdP", null, false, false);
    }

    /** Whether {@code e} is a refusal for want of a place rather than the IdP's own failure. */
    public static boolean is(SignInRejectedException e) {
        return e.getCause() instanceof ProviderBusy;
    }
}
