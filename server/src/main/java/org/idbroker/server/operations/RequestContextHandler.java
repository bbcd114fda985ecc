package org.idbroker.server.operations;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.idbroker.core.events.RequestScope;
import org.idbroker.server.metrics.BrokerMetrics;
import org.slf4j.MDC;

/**
 * Gives every request an id (a trusted proxy's {@code X-Request-Id}, else a new one), answers it in
 * {@code X-Request-Id}, puts it in the MDC of every log line written while the request is served, and
 * opens the {@link RequestScope} that stamps the request's events with it, the client address and the
 * user agent, and counts them in the metrics.
 */
public final class RequestContextHandler extends Handler.Wrapper {

    public static final String HEADER = "X-Request-Id";
    /** The MDC key, and the request attribute the access log reads. */
    public static final String REQUEST_ID = "requestId";
    private static final Pattern ACCEPTED_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,100}");

    private final TrustedProxies proxies;
    private final BrokerMetrics metrics;
    private final Predicate<String> configuredProvider;

    public RequestContextHandler(Handler application, TrustedProxies proxies, BrokerMetrics metrics,
            Predicate<String> configuredProvider) {
        super(application);
        this.proxies = requireNonNull(proxies, "proxies is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.configuredProvider = requireNonNull(configuredProvider, "configuredProvider is null");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long start = System.nanoTime();
        String requestId = requestId(request);
        request.setAttribute(REQUEST_ID, requestId);
        response.getHeaders().put(HEADER, requestId);
        RequestScope.Origin origin = new RequestScope.Origin(requestId, Request.getRemoteAddr(request),
                request.getHeaders().get(HttpHeader.USER_AGENT));
        MDC.put(REQUEST_ID, requestId);
        try (RequestScope ignored = RequestScope.open(origin, metrics.eventListener(start, configuredProvider))) {
            return super.handle(request, response, callback);
        } finally {
            MDC.remove(REQUEST_ID);
        }
    }

    private String requestId(Request request) {
        String given = request.getHeaders().get(HEADER);
        if (given != null && ACCEPTED_ID.matcher(given).matches() && proxies.trusts(request)) {
            return given;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }

    /** The id of a request this handler saw. */
    public static String requestIdOf(Request request) {
        return request.getAttribute(REQUEST_ID) instanceof String id ? id : null;
    }
}
