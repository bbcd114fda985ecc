package org.idbroker.server.operations;

import static java.util.Objects.requireNonNull;

import org.idbroker.core.db.Database;

/** Whether this node should get traffic: the database answers, the schema is migrated, and it is not draining. */
public final class Readiness {

    private final Database database;
    private volatile boolean draining;

    public Readiness(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    /** From now on the node is not ready: it is being stopped. */
    public void drain() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /** Null when ready, else why not. */
    public String problem() {
        if (draining) {
            return "this node is shutting down";
        }
        return database.isReady() ? null : "the database does not answer or its schema is not migrated";
    }
}
