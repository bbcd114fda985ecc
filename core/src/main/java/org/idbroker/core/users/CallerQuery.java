package org.idbroker.core.users;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.idbroker.core.teams.Membership;
import org.idbroker.core.teams.TeamRef;

/**
 * The SQL that reads a caller (user, teams, permissions, optionally external identities) in the
 * statement that checks a session or an API key, so an authenticated request costs one round trip.
 * The statement joins the table {@code users} as {@code u}, adds {@link #joins} after its
 * {@code from} and {@link #columns} to its select list. The teams are the same as
 * {@code Memberships.of}: the teams that list the user, {@code Everyone}, and the teams whose
 * external groups meet the user's (case-insensitively).
 */
public final class CallerQuery {

    private static final String USER_COLUMNS = "u.username as u_username, u.display_name as u_display_name, "
            + "u.email as u_email, u.active as u_active, u.external_groups as u_external_groups, u.created as u_created, "
            + "m.team_ids as m_team_ids, m.team_names as m_team_names, p.permissions as m_permissions";
    private static final String IDENTITY_COLUMNS =
            ", i.providers as i_providers, i.issuers as i_issuers, i.subjects as i_subjects, i.emails as i_emails";
    private static final String MEMBERSHIP_JOINS = """
             cross join lateral (
                select coalesce(array_agg(t.id order by lower(t.name)), '{}') as team_ids,
                       coalesce(array_agg(t.name order by lower(t.name)), '{}') as team_names
                from teams t
                where t.id in (
                    select tm.team_id from team_members tm where tm.user_id = u.id
                    union all
                    select e.id from teams e where e.builtin = 'everyone' and u.active
                    union all
                    select g.team_id from team_external_groups g
                    where lower(g.group_id) = any (select lower(x) from unnest(u.external_groups) as x))
            ) m
            cross join lateral (
                select coalesce(array_agg(distinct perm), '{}') as permissions
                from team_roles tr join roles r on r.id = tr.role_id cross join unnest(r.permissions) as perm
                where tr.team_id = any (m.team_ids)
            ) p""";
    private static final String IDENTITY_JOINS = """
             cross join lateral (
                select coalesce(array_agg(x.provider_id order by x.created, x.id), '{}') as providers,
                       coalesce(array_agg(x.issuer order by x.created, x.id), '{}') as issuers,
                       coalesce(array_agg(x.subject order by x.created, x.id), '{}') as subjects,
                       coalesce(array_agg(x.email order by x.created, x.id), '{}') as emails
                from external_identities x where x.user_id = u.id
            ) i""";

    private CallerQuery() {
    }

    /** The select-list entries (after a comma) that {@link #map} reads. */
    public static String columns(boolean withIdentities) {
        return withIdentities ? USER_COLUMNS + IDENTITY_COLUMNS : USER_COLUMNS;
    }

    /** The lateral joins to add after {@code users u} in the {@code from} clause. */
    public static String joins(boolean withIdentities) {
        return withIdentities ? MEMBERSHIP_JOINS + IDENTITY_JOINS : MEMBERSHIP_JOINS;
    }

    /** The caller in the current row. */
    public static Caller map(ResultSet rs, UUID userId, boolean withIdentities) throws SQLException {
        User user = new User(userId, rs.getString("u_username"), rs.getString("u_display_name"), rs.getString("u_email"),
                rs.getBoolean("u_active"), Users.strings(rs.getArray("u_external_groups")), Users.instant(rs, "u_created"));
        UUID[] teamIds = (UUID[]) rs.getArray("m_team_ids").getArray();
        String[] teamNames = (String[]) rs.getArray("m_team_names").getArray();
        List<TeamRef> teams = new ArrayList<>(teamIds.length);
        for (int n = 0; n < teamIds.length; n++) {
            teams.add(new TeamRef(teamIds[n], teamNames[n]));
        }
        Membership membership = new Membership(teams, Set.of((String[]) rs.getArray("m_permissions").getArray()));
        List<Caller.LinkedIdentity> identities = null;
        if (withIdentities) {
            String[] providers = strings(rs.getArray("i_providers"));
            String[] issuers = strings(rs.getArray("i_issuers"));
            String[] subjects = strings(rs.getArray("i_subjects"));
            String[] emails = strings(rs.getArray("i_emails"));
            identities = new ArrayList<>(providers.length);
            for (int n = 0; n < providers.length; n++) {
                identities.add(new Caller.LinkedIdentity(providers[n], issuers[n], subjects[n], emails[n]));
            }
        }
        return new Caller(user, membership, identities);
    }

    private static String[] strings(Array array) throws SQLException {
        return (String[]) array.getArray();
    }
}
