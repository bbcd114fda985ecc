package org.idbroker.core.teams;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A named bundle of permissions that teams grant to their members. */
public record Role(String id, String name, String description, boolean builtin, List<String> permissions) {
    public Role {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        permissions = List.copyOf(permissions);
    }
}
