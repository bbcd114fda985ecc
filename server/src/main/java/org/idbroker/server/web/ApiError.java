package org.idbroker.server.web;

/** The body of every API error: {@code {"error": "code", "message": "what to do"}}. */
public record ApiError(String error, String message) {
}
