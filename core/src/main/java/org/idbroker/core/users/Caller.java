package org.idbroker.core.users;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.UUID;
import org.idbroker.core.teams.Membership;

/**
 * Who a request acts as, read in the same statement as the session or API key that proves it: the
 * account, its teams and their permissions, and, when asked for, its external identities.
 *
 * @param identities the user's external identities, oldest first, or {@code null} when they were not read
 * @param sessionId the session that proved it, or {@code null} when an API key did
 * @param apiKeyId the API key that proved it, or {@code null} when a session did
 */
public record Caller(User user, Membership membership, List<LinkedIdentity> identities, UUID sessionId, UUID apiKeyId) {

    public Caller {
        requireNonNull(user, "user is null");
        requireNonNull(membership, "membership is null");
        identities = identities == null ? null : List.copyOf(identities);
    }

    /** The same caller, proved by the session {@code id}. */
    public Caller viaSession(UUID id) {
        return new Caller(user, membership, identities, requireNonNull(id, "id is null"), null);
    }

    /** The same caller, proved by the API key {@code id}. */
    public Caller viaApiKey(UUID id) {
        return new Caller(user, membership, identities, null, requireNonNull(id, "id is null"));
    }

    public boolean viaSession() {
        return sessionId != null;
    }

    /** An external identity of the caller, as the caller may see it. */
    public record LinkedIdentity(String providerId, String issuer, String subject, String email) {
    }
}
