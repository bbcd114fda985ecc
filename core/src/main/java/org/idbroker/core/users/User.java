package org.idbroker.core.users;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user account of the broker. */
public record User(
        UUID id,
        String username,
        String displayName,
        String email,
        boolean active,
        List<String> externalGroups,
        Instant created) {

    public User {
        requireNonNull(id, "id is null");
        requireNonNull(username, "username is null");
        externalGroups = externalGroups == null ? List.of() : List.copyOf(externalGroups);
    }
}
