package org.idbroker.core.teams;

import static java.util.Objects.requireNonNull;

/**
 * Why a user would be in a team.
 *
 * @param team the team
 * @param via {@code group} (an external group maps to it), {@code member} (listed by hand) or {@code everyone}
 * @param group the external group that maps to the team, when {@code via} is {@code group}, else {@code null}
 */
public record TeamGrant(TeamRef team, String via, String group) {
    public TeamGrant {
        requireNonNull(team, "team is null");
        requireNonNull(via, "via is null");
    }
}
