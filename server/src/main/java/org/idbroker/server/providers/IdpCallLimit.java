package org.idbroker.server.providers;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.idbroker.core.signin.ProviderBusy;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.CallbackRequest;
import org.idbroker.spi.ForwardingIdentityProvider;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.LogoutNotice;
import org.idbroker.spi.PasswordCredentials;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;
import org.idbroker.spi.SignInRequest;
import org.idbroker.spi.SignInStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider instance's share of the node: at most {@code limit} requests at once may be inside its
 * calls that reach the IdP from an unauthenticated request (sign-in start, callback, password check,
 * back-channel logout), so the other request threads stay free for health checks, the API, the pages and every
 * other provider's sign-ins. When all are taken, one more waits up to {@link #WAIT} for a free one only
 * while the IdP is answering (a call finished within the last {@link #WAIT}: a busy but healthy IdP);
 * otherwise (an IdP that answers nothing) it is refused at once with
 * {@link RejectionReason#IDP_UNAVAILABLE} rather than taking another thread to wait on it. The rest (the end-session
 * address, which needs a session, and the administrators' diagnostics, with deadlines of their own) is not limited.
 */
public final class IdpCallLimit extends ForwardingIdentityProvider {

    /** How long a call waits for a free place while the IdP is answering; also what "answering" means. */
    static final Duration WAIT = Duration.ofMillis(500);

    private final String displayName;
    private final int limit;
    private final Semaphore permits;
    /** How many seconds a refused caller is told to wait ({@code Retry-After}). */
    public static final int RETRY_AFTER_SECONDS = ProviderBusy.RETRY_AFTER_SECONDS;
    private static final Duration WARN_EVERY = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(IdpCallLimit.class);
    /** The cause of every refusal for want of a place, so callers tell it from the IdP's own failures. */
    private static final ProviderBusy BUSY = ProviderBusy.INSTANCE;
    private volatile long lastWarned = System.nanoTime() - 2 * WARN_EVERY.toNanos();
    /** When a call last finished, answered or not ({@link System#nanoTime()}). */
    private volatile long lastFinished = System.nanoTime() - 2 * WAIT.toNanos();

    private IdpCallLimit(IdentityProvider provider, String displayName, int limit) {
        super(provider);
        this.displayName = requireNonNull(displayName, "displayName is null");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        this.limit = limit;
        this.permits = new Semaphore(limit);
    }

    /** {@code provider} with at most {@code limit} of its IdP calls in flight. */
    public static IdentityProvider wrap(IdentityProvider provider, String displayName, int limit) {
        return new IdpCallLimit(provider, displayName, limit);
    }

    /** How many calls are in flight now. */
    int inFlight() {
        return limit - permits.availablePermits();
    }

    /**
     * Whether a refusal is this limit's (too many waiting on the IdP already): the caller answers 503 with
     * {@code Retry-After} and writes no event, since nothing reached the IdP.
     */
    public static boolean isBusy(SignInRejectedException e) {
        return ProviderBusy.is(e);
    }

    @Override
    public SignInStart startSignIn(SignInRequest request) throws SignInRejectedException {
        acquire();
        try {
            return delegate().startSignIn(request);
        } finally {
            release();
        }
    }

    @Override
    public AuthenticatedIdentity finishSignIn(CallbackRequest callback, Map<String, String> remembered)
            throws SignInRejectedException {
        acquire();
        try {
            return delegate().finishSignIn(callback, remembered);
        } finally {
            release();
        }
    }

    @Override
    public AuthenticatedIdentity signInWithPassword(PasswordCredentials credentials) throws SignInRejectedException {
        acquire();
        try {
            return delegate().signInWithPassword(credentials);
        } finally {
            release();
        }
    }

    @Override
    public LogoutNotice validateLogoutToken(String logoutToken) throws SignInRejectedException {
        acquire();
        try {
            return delegate().validateLogoutToken(logoutToken);
        } finally {
            release();
        }
    }

    private void release() {
        lastFinished = System.nanoTime();
        permits.release();
    }

    private void acquire() throws SignInRejectedException {
        if (permits.tryAcquire()) {
            return;
        }
        boolean answering = System.nanoTime() - lastFinished < WAIT.toNanos();
        boolean acquired = false;
        if (answering) {
            try {
                acquired = permits.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!acquired) {
            long now = System.nanoTime();
            if (now - lastWarned > WARN_EVERY.toNanos()) {
                lastWarned = now;
                LOG.warn("{} requests are waiting on the identity provider of {}, the most allowed: more are refused at once"
                        + " (503) until it answers", limit, displayName);
            }
            throw new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE, limit + " sign-ins through " + displayName
                    + " are already waiting for its identity provider, the most this broker lets wait at once: the provider"
                    + " is slow or not answering. Try again in a few seconds.", BUSY);
        }
    }
}
