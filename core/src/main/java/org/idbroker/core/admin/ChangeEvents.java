package org.idbroker.core.admin;

/**
 * The event types administration writes. Each event's user is the actor; its details name what
 * changed, never a secret.
 */
public final class ChangeEvents {

    public static final String USER_CREATED = "user-created";
    public static final String USER_CHANGED = "user-changed";
    public static final String USER_DELETED = "user-deleted";
    public static final String TEAM_CREATED = "team-created";
    public static final String TEAM_CHANGED = "team-changed";
    public static final String TEAM_DELETED = "team-deleted";
    public static final String API_KEY_CREATED = "api-key-created";
    public static final String API_KEY_REVOKED = "api-key-revoked";
    public static final String CLIENT_CREATED = "client-created";
    public static final String CLIENT_CHANGED = "client-changed";
    public static final String CLIENT_DELETED = "client-deleted";
    public static final String CLIENT_SECRET_ROTATED = "client-secret-rotated";

    private ChangeEvents() {
    }
}
