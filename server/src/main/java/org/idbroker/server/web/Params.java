package org.idbroker.server.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** Query parameters and request bodies read by hand, so a bad value gets a 400 that names it. */
final class Params {

    /** A UUID in a path: {@code /api/users/me} must not match {@code /api/users/{id}}. */
    static final String UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    private Params() {
    }

    static int integer(String name, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_" + name, name + " must be a whole number, got '" + shorten(value) + "'");
        }
        if (parsed < min || parsed > max) {
            throw ApiException.badRequest("invalid_" + name, name + " must be between " + min + " and " + max);
        }
        return parsed;
    }

    static UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.util.UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_" + name, name + " must be a UUID, got '" + shorten(value) + "'");
        }
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid_" + name,
                    name + " must be an ISO-8601 instant such as 2025-01-31T12:00:00Z, got '" + shorten(value) + "'");
        }
    }

    static String text(String name, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > maxLength) {
            throw ApiException.badRequest("invalid_" + name, name + " must be at most " + maxLength + " characters");
        }
        return value.strip();
    }

    static <T> T body(T body, String expected) {
        if (body == null) {
            throw ApiException.badRequest("body_missing", "Send a JSON object: " + expected + ".");
        }
        return body;
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}
