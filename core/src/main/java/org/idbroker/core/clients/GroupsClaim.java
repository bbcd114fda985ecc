package org.idbroker.core.clients;

import java.util.Arrays;
import java.util.Optional;

/** What a client receives in the {@code groups} claim. */
public enum GroupsClaim {
    /** The names of the broker teams the user is in. */
    TEAMS("teams"),
    /** The groups the upstream provider sent at the user's latest sign-in. */
    EXTERNAL_GROUPS("external-groups"),
    /** The broker permissions the user's teams grant. */
    PERMISSIONS("permissions");

    private final String code;

    GroupsClaim(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<GroupsClaim> of(String code) {
        return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst();
    }
}
