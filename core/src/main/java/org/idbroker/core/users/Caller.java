package org.idbroker.core.users;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.idbroker.core.teams.Membership;

/**
 * Who an authenticated request acts as, read in the same statement as the session or API key that
 * proves it: the account, its teams and their permissions, and, when asked for, its external
 * identities.
 *
 * @param identities the user's external identities, oldest first, or {@code null} when they were not read
 */
public record Caller(User user, Membership membership, List<LinkedIdentity> identities) {

    public Caller {
        requireNonNull(user, "user is null");
        requireNonNull(membership, "membership is null");
        identities = identities == null ? null : List.copyOf(identities);
    }

    /** An external identity of the caller, as the caller may see it. */
    public record LinkedIdentity(String providerId, String issuer, String subject, String email) {
    }
}
