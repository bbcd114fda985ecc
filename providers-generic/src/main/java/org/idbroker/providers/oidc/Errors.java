package org.idbroker.providers.oidc;

import java.io.IOException;

/** Small helpers to describe failures without leaking library types. */
final class Errors {

    private Errors() {
    }

    /** The message of the innermost cause, or its class name when it has none. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String kind = root.getClass().getSimpleName();
        if (message == null || message.isBlank()) {
            return kind;
        }
        return root instanceof IOException ? kind + ": " + message : message;
    }

    /** Whether an I/O failure (network, timeout) is somewhere in the cause chain. */
    static boolean isIo(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
