package org.idbroker.server.operations;

import static java.util.Objects.requireNonNull;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The management port: {@code GET /metrics} (Prometheus text, or OpenMetrics when asked for it),
 * {@code /health/live} and {@code /health/ready}. Nothing else is there, and none of it is on the
 * public port's {@code /metrics}.
 */
final class ManagementHandler extends Handler.Abstract.NonBlocking {

    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json";

    private final PrometheusMeterRegistry registry;
    private final Readiness readiness;

    ManagementHandler(PrometheusMeterRegistry registry, Readiness readiness) {
        this.registry = requireNonNull(registry, "registry is null");
        this.readiness = requireNonNull(readiness, "readiness is null");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
            return answer(response, callback, 405, JSON, "{\"error\":\"method_not_allowed\",\"message\":\"use GET\"}");
        }
        switch (path) {
            case "/metrics" -> {
                String accept = request.getHeaders().get(HttpHeader.ACCEPT);
                String type = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : PROMETHEUS_TEXT;
                return answer(response, callback, 200, type, registry.scrape(type));
            }
            case "/health/live" -> {
                return answer(response, callback, 200, JSON, "{\"status\":\"UP\"}");
            }
            case "/health/ready" -> {
                String problem = readiness.problem();
                return problem == null ? answer(response, callback, 200, JSON, "{\"status\":\"UP\"}")
                        : answer(response, callback, 503, JSON, "{\"status\":\"DOWN\",\"message\":\"" + problem + "\"}");
            }
            default -> {
                return answer(response, callback, 404, JSON,
                        "{\"error\":\"not_found\",\"message\":\"the management port serves /metrics, /health/live and /health/ready\"}");
            }
        }
    }

    private static boolean answer(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
