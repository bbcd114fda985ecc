package org.idbroker.core.teams;

import java.util.Arrays;
import java.util.Optional;

/** The fixed list of permissions a role can bundle. Their codes are stored in {@code roles.permissions}. */
public enum Permission {
    ADMINISTER_SYSTEM("administer-system",
            "Administer the broker itself: grant or take away the System administrator role, change the Administrators "
                    + "team and the accounts of administrators."),
    VIEW_USERS("view-users", "See user accounts, their external identities, teams and permissions."),
    EDIT_USERS("edit-users", "Create, change, disable and delete user accounts; unlink external identities."),
    VIEW_TEAMS("view-teams", "See teams with their members, external groups and roles; see roles and permissions."),
    EDIT_TEAMS("edit-teams", "Create, change and delete teams; add and remove members, external groups and roles."),
    CONFIGURE_AUTHENTICATION("configure-authentication", "Configure identity providers and sign-in settings."),
    VIEW_EVENTS("view-events", "Read the event log: sign-ins, refusals and changes."),
    CONFIGURE_CLIENTS("configure-clients", "Register, change and delete the applications that sign in through the broker, "
            + "and rotate their secrets.");

    private final String code;
    private final String description;

    Permission(String code, String description) {
        this.code = code;
        this.description = description;
    }

    public String code() {
        return code;
    }

    public String description() {
        return description;
    }

    public static Optional<Permission> of(String code) {
        return Arrays.stream(values()).filter(p -> p.code.equals(code)).findFirst();
    }
}
