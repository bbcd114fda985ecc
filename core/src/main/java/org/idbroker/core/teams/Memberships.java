package org.idbroker.core.teams;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.idbroker.core.users.CallerQuery;
import org.jdbi.v3.core.Jdbi;

/**
 * Works out a user's teams: the teams that list the user, {@code Everyone} for every active user,
 * and the teams whose external groups meet the groups from the user's latest sign-in (compared
 * case-insensitively, as IdPs vary case). One query, the same that authenticated requests run
 * ({@link CallerQuery}).
 */
public final class Memberships {

    private static final String SQL = "select m.team_ids as m_team_ids, m.team_names as m_team_names,"
            + " p.permissions as m_permissions from users u" + CallerQuery.joins() + " where u.id = :user";

    private final Jdbi jdbi;

    public Memberships(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /**
     * The teams a user would be in with these external groups, and why, without reading or changing the
     * user's stored groups: the claims preview's answer.
     *
     * @param userId the user, or {@code null} for one that does not exist yet
     * @param groups the external groups from the IdP
     */
    public Preview preview(UUID userId, List<String> groups) {
        String[] lowered = groups.stream().map(g -> g.toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new);
        return jdbi.withHandle(h -> {
            List<TeamGrant> grants = h.createQuery("""
                    select t.id, t.name, 'group' as via, g.group_id from team_external_groups g join teams t on t.id = g.team_id
                    where lower(g.group_id) = any (:groups)
                    union all
                    select t.id, t.name, 'member', null from team_members tm join teams t on t.id = tm.team_id
                    where tm.user_id = :user
                    union all
                    select t.id, t.name, 'everyone', null from teams t where t.builtin = 'everyone'
                    order by 2, 3, 4""")
                    .bind("groups", lowered).bind("user", userId)
                    .map((rs, ctx) -> new TeamGrant(new TeamRef(rs.getObject("id", UUID.class), rs.getString("name")),
                            rs.getString("via"), rs.getString("group_id"))).list();
            UUID[] teamIds = grants.stream().map(g -> g.team().id()).distinct().toArray(UUID[]::new);
            TreeSet<String> permissions = new TreeSet<>(h.createQuery("""
                    select distinct p from team_roles tr join roles r on r.id = tr.role_id, unnest(r.permissions) as p
                    where tr.team_id = any (:teams)""").bind("teams", teamIds).mapTo(String.class).list());
            return new Preview(grants, permissions);
        });
    }

    /** The teams a user would be in, each with why, and the permissions they would give. */
    public record Preview(List<TeamGrant> grants, java.util.Set<String> permissions) {
        public Preview {
            grants = List.copyOf(grants);
            permissions = java.util.Set.copyOf(permissions);
        }
    }

    /** The teams a user is in and the permissions they grant (none for a user that does not exist). */
    public Membership of(UUID userId) {
        return jdbi.withHandle(h -> h.createQuery(SQL).bind("user", userId).map((rs, ctx) -> CallerQuery.membership(rs)).findOne())
                .orElseGet(() -> new Membership(List.of(), Set.of()));
    }
}
