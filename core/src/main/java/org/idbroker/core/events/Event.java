package org.idbroker.core.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Something that happened: a sign-in, a refusal, a change. Never holds a secret or a token. The client address,
 * user agent and request id are those of the request that caused it (null outside a request).
 */
public record Event(
        long id,
        Instant at,
        String type,
        String outcome,
        String reason,
        String message,
        UUID userId,
        String providerId,
        Map<String, Object> details,
        String clientAddress,
        String userAgent,
        String requestId) {
}
