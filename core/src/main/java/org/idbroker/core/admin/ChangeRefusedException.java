package org.idbroker.core.admin;

import static java.util.Objects.requireNonNull;

/** A change an administrator asked for that the broker refuses: bad input, an unknown thing, or a conflict. */
public final class ChangeRefusedException extends RuntimeException {

    /** Why the change is refused. */
    public enum Kind {
        /** The input is not acceptable (HTTP 400). */
        INVALID,
        /** Something named in the request does not exist (HTTP 404). */
        NOT_FOUND,
        /** The change collides with the current state (HTTP 409). */
        CONFLICT
    }

    private final Kind kind;
    private final String code;

    public ChangeRefusedException(Kind kind, String code, String message) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.kind = requireNonNull(kind, "kind is null");
        this.code = requireNonNull(code, "code is null");
    }

    public static ChangeRefusedException invalid(String field, String message) {
        return new ChangeRefusedException(Kind.INVALID, "invalid_" + field, message);
    }

    public static ChangeRefusedException notFound(String code, String message) {
        return new ChangeRefusedException(Kind.NOT_FOUND, code, message);
    }

    public static ChangeRefusedException conflict(String code, String message) {
        return new ChangeRefusedException(Kind.CONFLICT, code, message);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
