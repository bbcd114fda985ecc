package org.idbroker.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to errors Jetty produces itself, before or around Jersey (a malformed request, a
 * failure inside the container): the same JSON error as the API's, never an exception's text.
 */
final class JsonErrorHandler implements Request.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorHandler.class);

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer s ? s : response.getStatus();
        if (status < 400) {
            status = 500;
        }
        if (status >= 500 && request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof Throwable cause) {
            LOG.error("Request failed", cause);
        }
        String message = status == 413 ? tooLarge(request) : message(status);
        String json = "{\"error\":\"" + code(status) + "\",\"message\":\"" + message + "\"}";
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    private static String code(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
    }

    /** Which limit of {@link BodyLimits} the body passed. */
    private static String tooLarge(Request request) {
        int limit = BodyLimits.limitFor(Request.getPathInContext(request));
        return "The request body is larger than " + limit / 1024 + " KiB, the most this address accepts.";
    }

    private static String message(int status) {
        return switch (status) {
            case 404 -> "There is nothing at this address.";
            case 405 -> "This address does not take that HTTP method.";
            case 413 -> "The request body is too large.";
            case 414 -> "The address is too long.";
            case 431 -> "The request headers are too large.";
            default -> status >= 500 ? "The broker failed to answer; the server log says why."
                    : "The request is malformed (for example an address with characters that must be percent-encoded).";
        };
    }
}
