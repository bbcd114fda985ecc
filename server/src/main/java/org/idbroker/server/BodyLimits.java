package org.idbroker.server;

import java.io.IOException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ConditionalHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The most any request body may hold, per endpoint and for every content type, enforced by Jetty
 * before anything reads the body: a declared {@code Content-Length} over the limit is answered 413 at
 * once, and a chunked body fails with 413 as soon as reading passes it, so no body is ever buffered
 * whole (an 84 MiB form post used to fill the heap).
 *
 * <ul>
 *   <li>The IdP's callback ({@code form_post}) and back-channel logout: {@value #FORM_BYTES} bytes. A signed
 *   response or a logout token is a few KiB; each field is refused past 16 KiB anyway.</li>
 *   <li>Everything else: {@value #API_BYTES} bytes, the largest JSON body of the administration API.</li>
 * </ul>
 */
final class BodyLimits {

    static final int FORM_BYTES = 32 * 1024;
    static final int API_BYTES = 64 * 1024;
    /** The endpoints the IdP posts forms to, which take the smaller limit. */
    static final String[] FORM_PATHS = {"/api/users/authenticatedToken/*", "/api/users/backchannel-logout/*"};

    private BodyLimits() {
    }

    /** The limit for a request to this path. */
    static int limitFor(String path) {
        for (String form : FORM_PATHS) {
            if (path.startsWith(form.substring(0, form.length() - 1))) {
                return FORM_BYTES;
            }
        }
        return API_BYTES;
    }

    /**
     * A declared body over the limit but up to this size is read and dropped before the 413, so a client that
     * writes its whole body before reading (as the JDK's client does) reads the answer instead of a reset
     * connection; a larger one is answered at once and the connection closed.
     */
    static final long MAX_DRAINED_BYTES = 1024 * 1024;

    /**
     * {@code handler} behind both limits: a request to a {@linkplain #FORM_PATHS form endpoint} passes
     * the form limit and then the API limit; any other skips the form limit.
     */
    static Handler around(Handler handler) {
        return new Drain(limits(handler));
    }

    private static Handler limits(Handler handler) {
        SizeLimitHandler api = new SizeLimitHandler(API_BYTES, -1);
        api.setHandler(handler);
        SizeLimitHandler form = new SizeLimitHandler(FORM_BYTES, -1);
        form.setHandler(api);
        // conditions met (not a form endpoint): skip the next wrapper, the form limit
        ConditionalHandler.SkipNext skipFormLimit = new ConditionalHandler.SkipNext();
        skipFormLimit.excludePath(FORM_PATHS);
        skipFormLimit.setHandler(form);
        return skipFormLimit;
    }

    /** Drops a declared body a little over its limit before answering 413 (see {@link #MAX_DRAINED_BYTES}). */
    private static final class Drain extends Handler.Wrapper {
        Drain(Handler handler) {
            super(handler);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            long declared = request.getLength();
            if (declared > limitFor(Request.getPathInContext(request)) && declared <= MAX_DRAINED_BYTES) {
                try {
                    Content.Source.consumeAll(request);
                } catch (IOException e) {
                    // the client went away: the answer below fails quietly
                }
                Response.writeError(request, response, callback, 413);
                return true;
            }
            return super.handle(request, response, callback);
        }
    }
}
