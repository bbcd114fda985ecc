package org.idbroker.core.users;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
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
    /** The identities as one JSON array of [provider, issuer, subject, email] arrays: one sort instead of four. */
    private static final String IDENTITY_COLUMNS = """
            , (select json_agg(json_build_array(x.provider_id, x.issuer, x.subject, x.email) order by x.created, x.id)
               from external_identities x where x.user_id = u.id) as i_identities""";
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
                select coalesce(array_agg(perm), '{}') as permissions
                from team_roles tr join roles r on r.id = tr.role_id cross join unnest(r.permissions) as perm
                where tr.team_id = any (m.team_ids)
            ) p""";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CallerQuery() {
    }

    /** The select-list entries (after a comma) that {@link #map} reads. */
    public static String columns(boolean withIdentities) {
        return withIdentities ? USER_COLUMNS + IDENTITY_COLUMNS : USER_COLUMNS;
    }

    /** The lateral joins to add after {@code users u} in the {@code from} clause. */
    public static String joins() {
        return MEMBERSHIP_JOINS;
    }

    /** The caller in the current row. */
    public static Caller map(ResultSet rs, UUID userId, boolean withIdentities) throws SQLException {
        User user = new User(userId, rs.getString("u_username"), rs.getString("u_display_name"), rs.getString("u_email"),
                rs.getBoolean("u_active"), Users.strings(rs.getArray("u_external_groups")), Users.instant(rs, "u_created"));
        Membership membership = membership(rs);
        return new Caller(user, membership, withIdentities ? identities(rs.getString("i_identities")) : null, null, null);
    }

    /** The teams and permissions in the current row (the columns {@code m_team_ids}, {@code m_team_names}, {@code m_permissions}). */
    public static Membership membership(ResultSet rs) throws SQLException {
        UUID[] teamIds = (UUID[]) rs.getArray("m_team_ids").getArray();
        String[] teamNames = (String[]) rs.getArray("m_team_names").getArray();
        List<TeamRef> teams = new ArrayList<>(teamIds.length);
        for (int n = 0; n < teamIds.length; n++) {
            teams.add(new TeamRef(teamIds[n], teamNames[n]));
        }
        // a permission granted by two teams comes twice
        return new Membership(teams, new HashSet<>(Arrays.asList((String[]) rs.getArray("m_permissions").getArray())));
    }

    private static List<Caller.LinkedIdentity> identities(String json) throws SQLException {
        if (json == null) {
            return List.of();
        }
        try {
            JsonNode rows = JSON.readTree(json);
            List<Caller.LinkedIdentity> identities = new ArrayList<>(rows.size());
            for (JsonNode row : rows) {
                identities.add(new Caller.LinkedIdentity(row.get(0).textValue(), row.get(1).textValue(),
                        row.get(2).textValue(), row.get(3).textValue()));
            }
            return identities;
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable external identities: " + e.getOriginalMessage(), e);
        }
    }
}
