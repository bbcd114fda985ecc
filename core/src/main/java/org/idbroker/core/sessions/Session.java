package org.idbroker.core.sessions;

import java.time.Instant;
import java.util.UUID;

/** A signed-in browser. The token itself is never stored, only its hash. */
public record Session(
        UUID id,
        UUID userId,
        String providerId,
        UUID externalIdentityId,
        String idpSessionId,
        Instant created,
        Instant lastSeen,
        Instant expiresAt) {
}
