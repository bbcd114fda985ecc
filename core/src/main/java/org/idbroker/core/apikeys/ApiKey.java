package org.idbroker.core.apikeys;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * An API key as it is stored and listed: never the key itself.
 *
 * @param prefix the start of the key (such as {@code idb_AbCd1234}), enough to recognise it
 */
public record ApiKey(UUID id, UUID userId, String name, String prefix, Instant created, Instant lastUsed) {
    public ApiKey {
        requireNonNull(id, "id is null");
        requireNonNull(userId, "userId is null");
        requireNonNull(name, "name is null");
    }
}
