package org.idbroker.core.teams;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Works out a user's teams: the teams that list the user, {@code Everyone} for every active user,
 * and the teams whose external groups meet the groups from the user's latest sign-in (compared
 * case-insensitively, as IdPs vary case). One query.
 */
public final class Memberships {

    private static final String SQL = """
            with me as (select id, active, external_groups from users where id = :user),
            mine as (
                select tm.team_id from team_members tm join me on tm.user_id = me.id
                union
                select t.id from teams t, me where t.builtin = 'everyone' and me.active
                union
                select g.team_id from team_external_groups g, me
                where lower(g.group_id) = any (select lower(x) from unnest(me.external_groups) as x)
            )
            select t.id, t.name, coalesce(array_agg(distinct p) filter (where p is not null), '{}') as permissions
            from teams t join mine on mine.team_id = t.id
            left join team_roles tr on tr.team_id = t.id
            left join roles r on r.id = tr.role_id
            left join lateral unnest(r.permissions) as p on true
            group by t.id, t.name
            order by lower(t.name)""";

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

    public Membership of(UUID userId) {
        return jdbi.withHandle(h -> {
            List<TeamRef> teams = new ArrayList<>();
            TreeSet<String> permissions = new TreeSet<>();
            h.createQuery(SQL).bind("user", userId).map((rs, ctx) -> {
                teams.add(new TeamRef(rs.getObject("id", UUID.class), rs.getString("name")));
                permissions.addAll(List.of((String[]) rs.getArray("permissions").getArray()));
                return null;
            }).list();
            return new Membership(teams, permissions);
        });
    }
}
