package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

/**
 * One result of a configuration check.
 *
 * @param check short name of what was checked, for example "discovery"
 * @param severity OK, WARN or FAIL
 * @param message what was found and, unless OK, what to change
 */
public record Finding(String check, Severity severity, String message) {

    public enum Severity { OK, WARN, FAIL }

    public Finding {
        requireNonNull(check, "check is null");
        requireNonNull(severity, "severity is null");
        requireNonNull(message, "message is null");
    }

    public static Finding ok(String check, String message) {
        return new Finding(check, Severity.OK, message);
    }

    public static Finding warn(String check, String message) {
        return new Finding(check, Severity.WARN, message);
    }

    public static Finding fail(String check, String message) {
        return new Finding(check, Severity.FAIL, message);
    }
}
