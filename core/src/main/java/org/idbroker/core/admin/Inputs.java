package org.idbroker.core.admin;

/** Checks of text an administrator typed; each refusal names the field. */
public final class Inputs {

    private Inputs() {
    }

    /** A required single-line value, stripped of surrounding spaces. */
    public static String required(String field, String value, int maxLength) {
        String stripped = value == null ? "" : value.strip();
        if (stripped.isEmpty()) {
            throw ChangeRefusedException.invalid(field, field + " must not be empty");
        }
        return checked(field, stripped, maxLength, false);
    }

    /** An optional value: {@code null} or blank becomes {@code fallback}. */
    public static String optional(String field, String value, int maxLength, boolean multiLine, String fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return checked(field, value.strip(), maxLength, multiLine);
    }

    private static String checked(String field, String value, int maxLength, boolean multiLine) {
        if (value.length() > maxLength) {
            throw ChangeRefusedException.invalid(field, field + " must be at most " + maxLength + " characters");
        }
        boolean control = value.chars().anyMatch(c -> Character.isISOControl(c) && !(multiLine && (c == '\n' || c == '\r' || c == '\t')));
        if (control) {
            throw ChangeRefusedException.invalid(field, field + " must not hold control characters");
        }
        return value;
    }
}
