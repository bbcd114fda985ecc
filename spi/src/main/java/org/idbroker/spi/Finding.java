package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * One result of a configuration check.
 *
 * @param check short name of what was checked, for example "discovery"
 * @param severity OK, WARN or FAIL
 * @param message what was found and, unless OK, what to change
 * @param code a stable name of what was found, for programs (a provider type that adapts another's findings, scripts
 *     reading the doctor's answer): the message's words may change, the code does not; by default the check's
 *     name in kebab case, such as {@code signing-keys}
 * @param subjects what the finding is about, such as the scopes a provider does not list; often empty
 */
public record Finding(String check, Severity severity, String message, String code, List<String> subjects) {

    public enum Severity { OK, WARN, FAIL }

    /** The code of a WARN about requested scopes the provider does not list; its subjects are those scopes. */
    public static final String SCOPES_NOT_LISTED = "scopes-not-listed";

    public Finding {
        requireNonNull(check, "check is null");
        requireNonNull(severity, "severity is null");
        requireNonNull(message, "message is null");
        requireNonNull(code, "code is null");
        subjects = List.copyOf(requireNonNull(subjects, "subjects is null"));
    }

    /** A finding whose code is its check's name. */
    public Finding(String check, Severity severity, String message) {
        this(check, severity, message, check.trim().toLowerCase(Locale.ROOT).replace(' ', '-'), List.of());
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

    /** The same finding with a code of its own and what it is about. */
    public Finding withCode(String newCode, List<String> newSubjects) {
        return new Finding(check, severity, message, newCode, newSubjects);
    }
}
