package org.idbroker.core.teams;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.idbroker.core.admin.Administrators;
import org.idbroker.core.admin.ChangeEvents;
import org.idbroker.core.admin.ChangeRefusedException;
import org.idbroker.core.admin.Inputs;
import org.idbroker.core.admin.UniqueViolations;
import org.idbroker.core.events.Events;
import org.idbroker.core.users.User;
import org.idbroker.core.users.Users;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Teams and what belongs to them. Every change runs in one transaction with its event; the actor is
 * the event's user. Team names are unique regardless of case; external group ids are compared
 * regardless of case. The built-in teams cannot be deleted or renamed, {@code Everyone} takes no
 * members or external groups (it has every active user), and {@code Administrators} keeps the
 * System administrator role and at least one active member.
 */
public final class Teams {

    public static final int MAX_NAME_LENGTH = 100;
    public static final int MAX_DESCRIPTION_LENGTH = 2000;
    public static final int MAX_GROUP_LENGTH = 256;
    static final String SYSTEM_ADMINISTRATOR_ROLE = "system-administrator";

    private final Jdbi jdbi;

    public Teams(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** Every team with its members, external groups and roles, built-in teams first, then by name. */
    public List<Team> list() {
        return jdbi.withHandle(h -> load(h, null));
    }

    public Optional<Team> find(UUID id) {
        requireNonNull(id, "id is null");
        return jdbi.withHandle(h -> find(h, id));
    }

    public Team create(String name, String description, UUID actor) {
        String cleanName = Inputs.required("name", name, MAX_NAME_LENGTH);
        String cleanDescription = Inputs.optional("description", description, MAX_DESCRIPTION_LENGTH, true, "");
        return change(h -> {
            refuseTakenName(h, cleanName, null);
            UUID id = h.createQuery("insert into teams (name, description) values (:name, :description) returning id")
                    .bind("name", cleanName).bind("description", cleanDescription).mapTo(UUID.class).one();
            record(h, ChangeEvents.TEAM_CREATED, actor, id, cleanName, "created", Map.of());
            return find(h, id).orElseThrow();
        });
    }

    /** Renames and describes a team; {@code null} keeps a value. */
    public Team update(UUID id, String name, String description, UUID actor) {
        return change(h -> {
            Team team = existing(h, id);
            String newName = name == null ? team.name() : Inputs.required("name", name, MAX_NAME_LENGTH);
            String newDescription = description == null ? team.description()
                    : Inputs.optional("description", description, MAX_DESCRIPTION_LENGTH, true, "");
            if (team.builtin() != null && !newName.equals(team.name())) {
                throw ChangeRefusedException.conflict("builtin_team", "The built-in team '" + team.name() + "' cannot be renamed.");
            }
            refuseTakenName(h, newName, id);
            h.createUpdate("update teams set name = :name, description = :description where id = :id")
                    .bind("name", newName).bind("description", newDescription).bind("id", id).execute();
            Map<String, Object> details = new LinkedHashMap<>();
            if (!newName.equals(team.name())) {
                details.put("previousName", team.name());
            }
            record(h, ChangeEvents.TEAM_CHANGED, actor, id, newName, "updated", details);
            return find(h, id).orElseThrow();
        });
    }

    public void delete(UUID id, UUID actor) {
        change(h -> {
            Team team = existing(h, id);
            if (team.builtin() != null) {
                throw ChangeRefusedException.conflict("builtin_team", "The built-in team '" + team.name() + "' cannot be deleted.");
            }
            h.createUpdate("delete from teams where id = :id").bind("id", id).execute();
            record(h, ChangeEvents.TEAM_DELETED, actor, id, team.name(), "deleted", Map.of());
            return null;
        });
    }

    /** Lists a user in a team; a user already listed stays listed. */
    public Team addMember(UUID id, UUID userId, UUID actor) {
        return change(h -> {
            Team team = existing(h, id);
            refuseEveryone(team, "members");
            User user = Users.find(h, userId).orElseThrow(() -> ChangeRefusedException.notFound("user_not_found",
                    "No user has the id " + userId + " (userId)."));
            int added = h.createUpdate("insert into team_members (team_id, user_id) values (:team, :user) on conflict do nothing")
                    .bind("team", id).bind("user", user.id()).execute();
            if (added > 0) {
                record(h, ChangeEvents.TEAM_CHANGED, actor, id, team.name(), "member-added",
                        Map.of("userId", user.id(), "username", user.username()));
            }
            return find(h, id).orElseThrow();
        });
    }

    public Team removeMember(UUID id, UUID userId, UUID actor) {
        return change(h -> {
            Team team = existing(h, id);
            if (team.members().stream().noneMatch(m -> m.id().equals(userId))) {
                throw ChangeRefusedException.notFound("member_not_found",
                        "The user " + userId + " (userId) is not a member of the team '" + team.name() + "'.");
            }
            if (team.isAdministrators()) {
                Administrators.refuseIfLast(h, userId, "removed from Administrators");
            }
            h.createUpdate("delete from team_members where team_id = :team and user_id = :user")
                    .bind("team", id).bind("user", userId).execute();
            record(h, ChangeEvents.TEAM_CHANGED, actor, id, team.name(), "member-removed", Map.of("userId", userId));
            return find(h, id).orElseThrow();
        });
    }

    /**
     * Makes everyone whose latest sign-in carried {@code groupId} (in any case) a member.
     *
     * @param displayName the name shown here; the group id when blank
     */
    public Team addExternalGroup(UUID id, String groupId, String displayName, UUID actor) {
        String cleanId = Inputs.required("id", groupId, MAX_GROUP_LENGTH);
        String cleanName = Inputs.optional("displayName", displayName, MAX_GROUP_LENGTH, false, cleanId);
        return change(h -> {
            Team team = existing(h, id);
            refuseEveryone(team, "external groups");
            Optional<Team.ExternalGroup> same = team.externalGroups().stream()
                    .filter(g -> g.id().equalsIgnoreCase(cleanId)).findFirst();
            if (same.isPresent()) {
                throw ChangeRefusedException.conflict("external_group_exists", "The team '" + team.name()
                        + "' already has the external group '" + same.get().id() + "' (id, compared regardless of case).");
            }
            h.createUpdate("insert into team_external_groups (team_id, group_id, display_name) values (:team, :group, :name)")
                    .bind("team", id).bind("group", cleanId).bind("name", cleanName).execute();
            record(h, ChangeEvents.TEAM_CHANGED, actor, id, team.name(), "external-group-added",
                    Map.of("groupId", cleanId, "displayName", cleanName));
            return find(h, id).orElseThrow();
        });
    }

    /** Removes the external group with this id, compared regardless of case. */
    public Team removeExternalGroup(UUID id, String groupId, UUID actor) {
        return change(h -> {
            Team team = existing(h, id);
            int removed = h.createUpdate("delete from team_external_groups where team_id = :team and lower(group_id) = lower(:group)")
                    .bind("team", id).bind("group", groupId).execute();
            if (removed == 0) {
                throw ChangeRefusedException.notFound("external_group_not_found",
                        "The team '" + team.name() + "' has no external group with the id '" + groupId + "' (groupId).");
            }
            record(h, ChangeEvents.TEAM_CHANGED, actor, id, team.name(), "external-group-removed", Map.of("groupId", groupId));
            return find(h, id).orElseThrow();
        });
    }

    /** Grants a role to the team's members; a role already granted stays granted. */
    public Team addRole(UUID id, String roleId, UUID actor) {
        return change(h -> {
            Team team = existing(h, id);
            Role role = Roles.find(h, roleId).orElseThrow(() -> ChangeRefusedException.notFound("role_not_found",
                    "No role has the id '" + roleId + "' (roleId); GET /api/roles lists them."));
            int added = h.createUpdate("insert into team_roles (team_id, role_id) values (:team, :role) on conflict do nothing")
                    .bind("team", id).bind("role", role.id()).execute();
            if (added > 0) {
                record(h, ChangeEvents.TEAM_CHANGED, actor, id, team.name(), "role-added", Map.of("roleId", role.id()));
            }
            return find(h, id).orElseThrow();
        });
    }

    public Team removeRole(UUID id, String roleId, UUID actor) {
        return change(h -> {
            Team team = existing(h, id);
            if (team.isAdministrators() && SYSTEM_ADMINISTRATOR_ROLE.equals(roleId)) {
                throw ChangeRefusedException.conflict("builtin_team",
                        "The Administrators team always grants the System administrator role.");
            }
            int removed = h.createUpdate("delete from team_roles where team_id = :team and role_id = :role")
                    .bind("team", id).bind("role", roleId).execute();
            if (removed == 0) {
                throw ChangeRefusedException.notFound("role_not_found",
                        "The team '" + team.name() + "' does not grant a role with the id '" + roleId + "' (roleId).");
            }
            record(h, ChangeEvents.TEAM_CHANGED, actor, id, team.name(), "role-removed", Map.of("roleId", roleId));
            return find(h, id).orElseThrow();
        });
    }

    /** The permissions a team's roles grant (none for an unknown team). */
    public java.util.Set<String> permissionsGranted(UUID id) {
        return jdbi.withHandle(h -> java.util.Set.copyOf(h.createQuery("""
                select distinct p from team_roles tr join roles r on r.id = tr.role_id, unnest(r.permissions) as p
                where tr.team_id = :team""")
                .bind("team", id).mapTo(String.class).list()));
    }

    private <T> T change(org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.inTransaction(work);
        } catch (UnableToExecuteStatementException e) {
            if (UniqueViolations.isUniqueViolation(e)) {
                throw ChangeRefusedException.conflict("conflict",
                        "Someone else made the same change at the same moment; reload and try again.");
            }
            throw e;
        }
    }

    private static Team existing(Handle h, UUID id) {
        return find(h, id).orElseThrow(() -> ChangeRefusedException.notFound("team_not_found", "No team has the id " + id + "."));
    }

    private static void refuseTakenName(Handle h, String name, UUID except) {
        boolean taken = h.createQuery("select count(*) from teams where lower(name) = lower(:name) and id is distinct from cast(:except as uuid)")
                .bind("name", name).bind("except", except).mapTo(Long.class).one() > 0;
        if (taken) {
            throw ChangeRefusedException.conflict("team_name_taken",
                    "A team named '" + name + "' already exists (name, compared regardless of case).");
        }
    }

    private static void refuseEveryone(Team team, String what) {
        if (team.isEveryone()) {
            throw ChangeRefusedException.conflict("builtin_team",
                    "The Everyone team has every active user; it takes no " + what + ". Grant it roles instead.");
        }
    }

    private static void record(Handle h, String type, UUID actor, UUID teamId, String teamName, String change,
            Map<String, ?> more) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("teamId", teamId);
        details.put("team", teamName);
        details.put("change", change);
        details.putAll(more);
        Events.record(h, type, Events.SUCCESS, null, null, actor, null, details);
    }

    static Optional<Team> find(Handle h, UUID id) {
        List<Team> teams = load(h, id);
        return teams.isEmpty() ? Optional.empty() : Optional.of(teams.get(0));
    }

    private static List<Team> load(Handle h, UUID only) {
        String where = only == null ? "" : " where t.id = :only";
        Map<UUID, TeamRow> rows = new LinkedHashMap<>();
        query(h, "select t.id, t.name, t.description, t.builtin from teams t" + where
                        + " order by t.builtin is null, lower(t.name)", only)
                .map((rs, ctx) -> rows.put(rs.getObject("id", UUID.class), new TeamRow(rs.getObject("id", UUID.class),
                        rs.getString("name"), rs.getString("description"), rs.getString("builtin"))))
                .list();
        if (rows.isEmpty()) {
            return List.of();
        }
        String teamFilter = only == null ? "" : " where x.team_id = :only";
        query(h, "select x.team_id, u.id, u.username, u.display_name, u.email, u.active from team_members x "
                        + "join users u on u.id = x.user_id" + teamFilter + " order by lower(u.username)", only)
                .map((rs, ctx) -> rows.get(rs.getObject("team_id", UUID.class)).members.add(new Team.Member(
                        rs.getObject("id", UUID.class), rs.getString("username"), rs.getString("display_name"),
                        rs.getString("email"), rs.getBoolean("active"))))
                .list();
        query(h, "select x.team_id, x.group_id, x.display_name from team_external_groups x" + teamFilter
                        + " order by lower(x.group_id)", only)
                .map((rs, ctx) -> rows.get(rs.getObject("team_id", UUID.class)).groups.add(
                        new Team.ExternalGroup(rs.getString("group_id"), rs.getString("display_name"))))
                .list();
        query(h, "select x.team_id, r.id, r.name from team_roles x join roles r on r.id = x.role_id" + teamFilter
                        + " order by lower(r.name)", only)
                .map((rs, ctx) -> rows.get(rs.getObject("team_id", UUID.class)).roles.add(
                        new Team.RoleRef(rs.getString("id"), rs.getString("name"))))
                .list();
        return rows.values().stream().map(TeamRow::team).toList();
    }

    private static Query query(Handle h, String sql, UUID only) {
        Query query = h.createQuery(sql);
        return only == null ? query : query.bind("only", only);
    }

    private static final class TeamRow {
        final UUID id;
        final String name;
        final String description;
        final String builtin;
        final List<Team.Member> members = new ArrayList<>();
        final List<Team.ExternalGroup> groups = new ArrayList<>();
        final List<Team.RoleRef> roles = new ArrayList<>();

        TeamRow(UUID id, String name, String description, String builtin) {
            this.id = id;
            this.name = name;
            this.description = description;
            this.builtin = builtin;
        }

        Team team() {
            return new Team(id, name, description, builtin, members, groups, roles);
        }
    }
}
