package org.idbroker.server.auth;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.UUID;
import org.idbroker.core.teams.Membership;
import org.idbroker.core.users.Caller;
import org.idbroker.core.users.User;

/**
 * Who a request acts as, read with the session or API key in one statement at this request.
 *
 * @param caller the user, their teams and permissions (and external identities when asked for)
 * @param sessionId the session, or {@code null} when an API key was used
 * @param apiKeyId the API key, or {@code null} when a session cookie was used
 */
public record Principal(Caller caller, UUID sessionId, UUID apiKeyId) {
    public Principal {
        requireNonNull(caller, "caller is null");
    }

    public User user() {
        return caller.user();
    }

    /** The teams and permissions the user holds at this request. */
    public Membership membership() {
        return caller.membership();
    }

    /** The user's external identities, or {@code null} when they were not asked for. */
    public List<Caller.LinkedIdentity> identities() {
        return caller.identities();
    }

    public boolean viaSession() {
        return sessionId != null;
    }
}
