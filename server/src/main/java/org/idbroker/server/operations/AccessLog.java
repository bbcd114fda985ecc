package org.idbroker.server.operations;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request through SLF4J (logger {@code org.idbroker.access}, so it is JSON with
 * {@code --log-format json}): method, path, status, bytes, milliseconds, client address, user agent
 * and request id as key-values. Never cookies or credentials, and no query string on the IdP's
 * callback or the back-channel logout (they carry codes and tokens).
 */
public final class AccessLog implements RequestLog {

    public static final String LOGGER = "org.idbroker.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final String[] NO_QUERY = {"/api/users/authenticatedToken/", "/api/users/backchannel-logout/"};

    @Override
    public void log(Request request, Response response) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        String target = query == null || withoutQuery(path) ? path : path + "?" + query;
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getBeginNanoTime());
        String client = Request.getRemoteAddr(request);
        String agent = request.getHeaders().get(HttpHeader.USER_AGENT);
        LOG.atInfo()
                .addKeyValue("method", request.getMethod())
                .addKeyValue("path", target)
                .addKeyValue("status", response.getStatus())
                .addKeyValue("bytes", Response.getContentBytesWritten(response))
                .addKeyValue("durationMs", millis)
                .addKeyValue("client", client)
                .addKeyValue("userAgent", agent)
                .addKeyValue("requestId", RequestContextHandler.requestIdOf(request))
                .log("{} {} {} {} ms", request.getMethod(), clean(target), response.getStatus(), millis);
    }

    private static boolean withoutQuery(String path) {
        for (String prefix : NO_QUERY) {
            if (path != null && path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String clean(String text) {
        return text == null ? "" : text.replaceAll("[\\p{Cntrl}]", "?");
    }
}
