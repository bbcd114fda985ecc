package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

/** An API refusal: an HTTP status, a stable error code and a message saying what to do. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.status = status;
        this.code = requireNonNull(code, "code is null");
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "unauthenticated", "Sign in first, or send an API key in the X-Api-Key header.");
    }

    public static ApiException forbidden(String permission) {
        return new ApiException(403, "forbidden", "You need the '" + permission + "' permission for this.");
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
