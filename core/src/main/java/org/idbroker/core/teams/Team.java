package org.idbroker.core.teams;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.UUID;

/**
 * A team: its members, the external groups whose members belong to it, and the roles it grants.
 *
 * @param builtin {@code administrators} or {@code everyone} for the built-in teams, else {@code null}
 */
public record Team(UUID id, String name, String description, String builtin, List<Member> members,
        List<ExternalGroup> externalGroups, List<RoleRef> roles) {

    public static final String ADMINISTRATORS = "administrators";
    public static final String EVERYONE = "everyone";

    public Team {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        members = List.copyOf(members);
        externalGroups = List.copyOf(externalGroups);
        roles = List.copyOf(roles);
    }

    public boolean isAdministrators() {
        return ADMINISTRATORS.equals(builtin);
    }

    public boolean isEveryone() {
        return EVERYONE.equals(builtin);
    }

    /** A user listed in a team. */
    public record Member(UUID id, String username, String displayName, String emailAddress, boolean active) {
    }

    /** A group or role at the IdP, by the id the IdP sends in the role claim, and the name shown here. */
    public record ExternalGroup(String id, String displayName) {
    }

    /** A role a team grants. */
    public record RoleRef(String id, String name) {
    }
}
