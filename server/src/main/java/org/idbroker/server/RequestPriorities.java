package org.idbroker.server;

import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.QoSHandler;

/**
 * Jetty's {@link QoSHandler}: at most so many requests are handled at once (a few request threads are kept
 * for Jetty itself), and when a burst brings more, the extra ones wait suspended (holding no thread)
 * and are resumed by priority: health checks, the API and the pages first, then the unauthenticated
 * sign-in endpoints that reach an IdP (start, callback, back-channel logout). A flood of sign-ins can
 * then delay other sign-ins, never a health check or an administrator. A request suspended longer than
 * {@link #MAX_SUSPEND} is answered 503.
 */
final class RequestPriorities extends QoSHandler {

    /** Threads of the pool kept out of request handling: the acceptor, the selector, and parsing new requests. */
    static final int RESERVED_THREADS = 4;
    static final Duration MAX_SUSPEND = Duration.ofSeconds(15);
    private static final String[] SIGN_IN_PATHS = {"/api/users/authenticate/", "/api/users/authenticatedToken/",
            "/api/users/backchannel-logout/", "/app/sign-in/"};

    RequestPriorities(Handler handler, int httpThreads) {
        super(handler);
        setMaxRequestCount(maxRequests(httpThreads));
        setMaxSuspend(MAX_SUSPEND);
    }

    /** How many requests are handled at once with this many request threads. */
    static int maxRequests(int httpThreads) {
        return httpThreads - RESERVED_THREADS;
    }

    @Override
    protected int getPriority(Request request) {
        String path = Request.getPathInContext(request);
        for (String signIn : SIGN_IN_PATHS) {
            if (path.startsWith(signIn)) {
                return 0;
            }
        }
        return 1;
    }
}
