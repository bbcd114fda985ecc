package org.idbroker.providers.oidc;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;

/** Small helpers to describe failures without leaking library types. */
final class Errors {

    private Errors() {
    }

    /**
     * The innermost cause in plain words, for a person: network failures by what happened (refused,
     * timed out, closed, unknown host), other failures by their message; never a class name.
     */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null || root.getMessage().isBlank() ? null : Words.clean(root.getMessage());
        if (root instanceof UnknownHostException) {
            return "unknown host" + (message == null ? "" : " " + message);
        }
        if (root instanceof ConnectException) {
            return "connection refused";
        }
        if (root instanceof SocketTimeoutException || root instanceof HttpTimeoutException) {
            return "timed out";
        }
        if (root instanceof ClosedChannelException || root instanceof EOFException) {
            return "the connection was closed before the answer was complete";
        }
        if (message != null) {
            return message;
        }
        return root instanceof IOException ? "network error" : "unexpected failure";
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
