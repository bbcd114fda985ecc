package org.idbroker.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpException;
import org.glassfish.jersey.message.internal.HeaderValueException;
import org.idbroker.core.admin.ChangeRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every exception into a JSON error; no stack trace ever reaches a client. */
public final class ErrorMappers {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

    /** The limit in Jetty's "Request body is too large: 40800>32768". */
    private static final Pattern LIMIT = Pattern.compile(">(\\d{1,18})$");

    private ErrorMappers() {
    }

    static Response json(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(code, message)).build();
    }

    public static final class Api implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return json(e.status(), e.code(), e.getMessage());
        }
    }

    /** A change the core refused: bad input 400, unknown thing 404, conflict 409. */
    public static final class ChangeRefused implements ExceptionMapper<ChangeRefusedException> {
        @Override
        public Response toResponse(ChangeRefusedException e) {
            int status = switch (e.kind()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
            };
            return json(status, e.code(), e.getMessage());
        }
    }

    public static final class Json implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            // Jackson wraps what the body's stream threw, such as Jetty's 413 past the body limit
            Response clientError = clientError(e);
            if (clientError != null) {
                return clientError;
            }
            String detail = e.getOriginalMessage() == null ? "" : ": " + e.getOriginalMessage().lines().findFirst().orElse("");
            if (detail.length() > 200) {
                detail = detail.substring(0, 200);
            }
            String field = "";
            if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                field = " (field " + mapping.getPath().stream()
                        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining(".")) + ")";
                if (field.length() > 120) {
                    field = field.substring(0, 120) + "...)";
                }
            }
            return json(400, "invalid_json", "The request body is not the JSON this call expects" + field + detail);
        }
    }

    /** A header Jersey cannot parse, such as a Content-Type with a malformed charset: the caller's fault. */
    public static final class BadHeader implements ExceptionMapper<HeaderValueException> {
        @Override
        public Response toResponse(HeaderValueException e) {
            return json(400, "invalid_header", "A request header cannot be parsed (for example a malformed Content-Type); "
                    + "send well-formed headers.");
        }
    }

    public static final class IllegalArgument implements ExceptionMapper<IllegalArgumentException> {
        @Override
        public Response toResponse(IllegalArgumentException e) {
            return json(400, "invalid_request", e.getMessage() == null ? "The request is not valid." : e.getMessage());
        }
    }

    public static final class Web implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status >= 500) {
                LOG.error("Request failed", e);
                return json(status, "internal_error", "The broker failed to answer; the server log says why.");
            }
            return switch (status) {
                case 404 -> json(404, "not_found", "There is nothing at this address.");
                case 405 -> json(405, "method_not_allowed", "This address does not take that HTTP method.");
                case 406 -> json(406, "not_acceptable", "This address cannot answer in the requested media type.");
                case 415 -> json(415, "unsupported_media_type", "Send the body in the media type this address takes: application/json"
                        + " for the API, an application/x-www-form-urlencoded form for the IdP's callback and back-channel logout.");
                case 413 -> json(413, "payload_too_large", "The request body is too large.");
                default -> json(status, "bad_request", "The request is not valid.");
            };
        }
    }

    /**
     * No database connection within the pool's wait: the node is overloaded or the database is down.
     * 503 with Retry-After tells a load balancer and a client to try again (another node, later).
     */
    public static final class DatabaseBusy implements ExceptionMapper<org.jdbi.v3.core.ConnectionException> {
        @Override
        public Response toResponse(org.jdbi.v3.core.ConnectionException e) {
            LOG.warn("No database connection available: {}", e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            return Response.fromResponse(json(503, "database_busy",
                    "The broker could not reach its database in time; try again in a moment.")).header("Retry-After", "1").build();
        }
    }

    /**
     * A client error Jetty raised while the body was being read: a chunked body past its limit
     * ({@code BodyLimits}) is 413 with the limit, not a server error.
     */
    static Response clientError(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                if (http.getCode() == 413) {
                    Matcher limit = LIMIT.matcher(String.valueOf(http.getReason()));
                    return json(413, "payload_too_large", limit.find()
                            ? "The request body is larger than " + Long.parseLong(limit.group(1)) / 1024
                                    + " KiB, the most this address accepts."
                            : "The request body is too large.");
                }
                return json(http.getCode(), "bad_request", "The request is not valid.");
            }
        }
        return null;
    }

    public static final class Any implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            Response clientError = clientError(e);
            if (clientError != null) {
                return clientError;
            }
            LOG.error("Request failed", e);
            return json(500, "internal_error", "The broker failed to answer; the server log says why.");
        }
    }
}
