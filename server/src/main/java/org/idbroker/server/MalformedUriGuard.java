package org.idbroker.server;

import java.net.URI;
import java.net.URISyntaxException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses with 400 a request whose address Jetty accepts but {@link URI} does not (raw {@code "},
 * {@code <}, {@code |}, non-ASCII, a bad percent escape): Jersey would fail on it with a server error.
 */
final class MalformedUriGuard extends Handler.Wrapper {

    MalformedUriGuard(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        try {
            new URI(request.getHttpURI().asString());
        } catch (URISyntaxException e) {
            Response.writeError(request, response, callback, 400);
            return true;
        }
        return super.handle(request, response, callback);
    }
}
