package org.idbroker.core.db;

/** The database's schema is not the one this version of IdBroker works with; the message says what to run. */
public final class SchemaMismatchException extends RuntimeException {
    public SchemaMismatchException(String message) {
        super(message);
    }
}
