package org.idbroker.server.auth;

import static java.util.Objects.requireNonNull;

import java.util.UUID;
import org.idbroker.core.users.User;

/**
 * Who a request acts as.
 *
 * @param user the user
 * @param sessionId the session, or {@code null} when an API key was used
 * @param apiKeyId the API key, or {@code null} when a session cookie was used
 */
public record Principal(User user, UUID sessionId, UUID apiKeyId) {
    public Principal {
        requireNonNull(user, "user is null");
    }

    public boolean viaSession() {
        return sessionId != null;
    }
}
