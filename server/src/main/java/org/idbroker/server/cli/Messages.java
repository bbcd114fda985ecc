package org.idbroker.server.cli;

/** One line that says what went wrong, from an exception chain. */
final class Messages {

    private Messages() {
    }

    static String of(Throwable e) {
        Throwable current = e;
        while (current.getMessage() == null && current.getCause() != null) {
            current = current.getCause();
        }
        String message = current.getMessage();
        if (message == null) {
            return current.getClass().getSimpleName();
        }
        return message.lines().findFirst().orElse(message);
    }
}
