package org.idbroker.core.db;

/** The database cannot be reached or migrated; the message says what to check. */
public final class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
