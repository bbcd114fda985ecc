package org.idbroker.server;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.ConditionalHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;

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
     * {@code handler} behind both limits: a request to a {@linkplain #FORM_PATHS form endpoint} passes
     * the form limit and then the API limit; any other skips the form limit.
     */
    static Handler around(Handler handler) {
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
}
