package org.idbroker.core.users;

import java.time.Instant;
import java.util.UUID;

/** An identity at an IdP (issuer + subject) linked to a user account. */
public record ExternalIdentity(
        UUID id,
        UUID userId,
        String providerId,
        String issuer,
        String subject,
        String email,
        Instant created,
        Instant lastSignIn) {
}
