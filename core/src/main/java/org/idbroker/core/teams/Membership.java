package org.idbroker.core.teams;

import java.util.List;
import java.util.Set;

/** The teams a user is in, and the permissions those teams grant. */
public record Membership(List<TeamRef> teams, Set<String> permissions) {
    public Membership {
        teams = List.copyOf(teams);
        permissions = Set.copyOf(permissions);
    }

    public boolean has(String permission) {
        return permissions.contains(permission);
    }
}
