package org.idbroker.server.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.idbroker.core.admin.ChangeRefusedException;
import org.idbroker.core.admin.Inputs;
import org.idbroker.core.teams.Role;
import org.idbroker.core.teams.Roles;
import org.idbroker.core.teams.Team;
import org.idbroker.core.teams.Teams;
import org.idbroker.core.users.User;
import org.idbroker.core.users.Users;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code teams} of a file, made through {@link Teams} as the API does. What the file says of a
 * team it says fully: its description, external groups and roles, and its members when it lists
 * them. With prune, teams the file does not name are deleted, never the built-in ones.
 */
final class TeamChanges {

    private final Teams teams;
    private final Roles roles;

    TeamChanges(Jdbi jdbi) {
        this.teams = new Teams(jdbi);
        this.roles = new Roles(jdbi);
    }

    /** The checks of the API on each team's own values, before anything changes. */
    void check(ConfigFile file, List<ConfigFile.Problem> problems) {
        for (ConfigFile.Team team : file.teams().values()) {
            refusal(problems, team.path(), () -> Inputs.required("name", team.name(), Teams.MAX_NAME_LENGTH));
            refusal(problems, team.path(), () -> Inputs.optional("description", team.description(),
                    Teams.MAX_DESCRIPTION_LENGTH, true, ""));
            for (ConfigFile.Group group : team.externalGroups()) {
                refusal(problems, group.path(), () -> Inputs.required("id", group.id(), Teams.MAX_GROUP_LENGTH));
                refusal(problems, group.path(), () -> Inputs.optional("displayName", group.displayName(),
                        Teams.MAX_GROUP_LENGTH, false, ""));
            }
            team.externalGroups().stream().filter(g -> g.id() != null)
                    .collect(Collectors.groupingBy(g -> g.id().strip().toLowerCase(Locale.ROOT)))
                    .values().stream().filter(same -> same.size() > 1).forEach(same -> problems.add(new ConfigFile.Problem(
                            same.get(1).path(), "the external group '" + same.get(0).id()
                                    + "' is listed twice (ids are compared regardless of case)")));
            for (int i = 0; i < team.roles().size(); i++) {
                String role = team.roles().get(i);
                if (roles.find(role).isEmpty()) {
                    problems.add(new ConfigFile.Problem(team.rolePaths().get(i),
                            "no role has the id '" + role + "'; the roles are " + String.join(", ",
                                    roles.list().stream().map(Role::id).toList())));
                }
            }
        }
    }

    private static void refusal(List<ConfigFile.Problem> problems, ConfigFile.Path path, Runnable check) {
        try {
            check.run();
        } catch (ChangeRefusedException e) {
            problems.add(new ConfigFile.Problem(path, e.getMessage()));
        }
    }

    void apply(ApplyRun run, ConfigFile file) {
        for (ConfigFile.Team wanted : file.teams().values()) {
            if (!run.spoiled(wanted.path())) {
                run.attempt(wanted.path(), Map.of(), () -> apply(run, wanted));
            }
        }
    }

    private void apply(ApplyRun run, ConfigFile.Team wanted) {
        String name = wanted.name().strip();
        String description = wanted.description() == null ? "" : wanted.description().strip();
        Optional<Team> found = teams.list().stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst();
        Team team;
        if (found.isEmpty()) {
            team = teams.create(name, description, null);
            run.say("create team " + name);
        } else {
            team = found.get();
            if (!team.description().equals(description)) {
                team = teams.update(team.id(), null, description, null);
                run.say("change team " + team.name() + ": description");
            }
        }
        if (wanted.members() != null) {
            members(run, team, wanted);
        }
        externalGroups(run, team, wanted);
        roles(run, team, wanted);
    }

    /** Adds the members the file lists, then removes the others (so Administrators never passes through empty). */
    private void members(ApplyRun run, Team team, ConfigFile.Team wanted) {
        Map<UUID, String> want = new LinkedHashMap<>();
        for (int i = 0; i < wanted.members().size(); i++) {
            String username = wanted.members().get(i).strip();
            Optional<User> user = Users.findByUsername(run.handle, username);
            if (user.isEmpty()) {
                run.problem(wanted.memberPaths().get(i), "no user has the username '" + username
                        + "': describe them under users, or let them sign in first");
            } else {
                want.put(user.get().id(), user.get().username());
            }
        }
        want.forEach((id, username) -> {
            if (team.members().stream().noneMatch(m -> m.id().equals(id))) {
                teams.addMember(team.id(), id, null);
                run.say("change team " + team.name() + ": add member " + username);
            }
        });
        for (Team.Member had : team.members()) {
            if (!want.containsKey(had.id())) {
                teams.removeMember(team.id(), had.id(), null);
                run.say("change team " + team.name() + ": remove member " + had.username());
            }
        }
    }

    private void externalGroups(ApplyRun run, Team team, ConfigFile.Team wanted) {
        UUID id = team.id();
        Map<String, ConfigFile.Group> groups = new LinkedHashMap<>();
        wanted.externalGroups().forEach(g -> groups.put(g.id().strip().toLowerCase(Locale.ROOT), g));
        for (Team.ExternalGroup had : team.externalGroups()) {
            ConfigFile.Group want = groups.get(had.id().toLowerCase(Locale.ROOT));
            if (want == null || !had.id().equals(want.id().strip()) || !had.displayName().equals(displayName(want))) {
                teams.removeExternalGroup(id, had.id(), null);
                if (want == null) {
                    run.say("change team " + team.name() + ": remove external group " + had.id());
                }
            }
        }
        Team now = teams.find(id).orElseThrow();
        for (ConfigFile.Group want : wanted.externalGroups()) {
            String groupId = want.id().strip();
            if (now.externalGroups().stream().noneMatch(g -> g.id().equals(groupId))) {
                boolean existed = team.externalGroups().stream().anyMatch(g -> g.id().equalsIgnoreCase(groupId));
                teams.addExternalGroup(id, groupId, displayName(want), null);
                run.say("change team " + team.name() + ": " + (existed ? "change" : "add") + " external group " + groupId
                        + " (" + displayName(want) + ")");
            }
        }
    }

    private void roles(ApplyRun run, Team team, ConfigFile.Team wanted) {
        TreeSet<String> wantRoles = new TreeSet<>(wanted.roles());
        for (Team.RoleRef had : team.roles()) {
            if (!wantRoles.contains(had.id())) {
                teams.removeRole(team.id(), had.id(), null);
                run.say("change team " + team.name() + ": remove role " + had.id());
            }
        }
        for (String role : wantRoles) {
            if (team.roles().stream().noneMatch(r -> r.id().equals(role))) {
                teams.addRole(team.id(), role, null);
                run.say("change team " + team.name() + ": add role " + role);
            }
        }
    }

    static String displayName(ConfigFile.Group group) {
        return group.displayName() == null || group.displayName().isBlank() ? group.id().strip() : group.displayName().strip();
    }

    /** Deletes the teams the file does not name, but never a built-in one. */
    void prune(ApplyRun run, ConfigFile file) {
        Set<String> named = file.teams().keySet().stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        List<Team> unnamed = teams.list().stream()
                .filter(t -> t.builtin() == null && !named.contains(t.name().toLowerCase(Locale.ROOT))).toList();
        for (Team team : unnamed) {
            if (run.attempt(new ConfigFile.Path("teams", 0), Map.of(), () -> teams.delete(team.id(), null))) {
                run.say("remove team " + team.name());
            }
        }
    }
}
