package org.idbroker.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.idbroker.core.users.User;
import org.idbroker.core.users.UserAdministration;
import org.idbroker.core.users.UserAdministration.UserInput;
import org.idbroker.core.users.Users;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code users} of a file: each is created or changed through {@link UserAdministration}, as the
 * API does. A user's email left out means none, its display name left out its username, {@code active}
 * left out active. With prune, users the file does not name are deleted, never the last administrator.
 */
final class UserChanges {

    private final Users users;
    private final UserAdministration administration;

    UserChanges(Jdbi jdbi) {
        this.users = new Users(jdbi);
        this.administration = new UserAdministration(jdbi);
    }

    void apply(ApplyRun run, ConfigFile file) {
        for (ConfigFile.User wanted : file.users().values()) {
            if (run.spoiled(wanted.path())) {
                continue;
            }
            Map<String, ConfigFile.Path> fields = new java.util.HashMap<>(wanted.fieldPaths());
            if (fields.containsKey("email")) {
                fields.put("emailAddress", fields.get("email"));
            }
            run.attempt(wanted.path(), fields, () -> apply(run, wanted));
        }
    }

    private void apply(ApplyRun run, ConfigFile.User wanted) {
        String email = wanted.email() == null || wanted.email().isBlank() ? null : wanted.email().strip();
        String displayName = wanted.displayName() == null || wanted.displayName().isBlank()
                ? wanted.username() : wanted.displayName().strip();
        boolean active = wanted.active() == null || wanted.active();
        Optional<User> found = Users.findByUsername(run.handle, wanted.username());
        if (found.isEmpty()) {
            administration.create(new UserInput(wanted.username(), displayName, email, active), null);
            run.say("create user " + wanted.username() + (active ? "" : " (disabled)"));
            return;
        }
        User had = found.get();
        List<String> changes = new ArrayList<>();
        if (!had.username().equals(wanted.username())) {
            changes.add("username '" + had.username() + "' -> '" + wanted.username() + "'");
        }
        if (!Objects.equals(had.email(), email)) {
            changes.add("email " + (had.email() == null ? "set to '" + email + "'"
                    : email == null ? "removed" : "'" + had.email() + "' -> '" + email + "'"));
        }
        if (!Objects.equals(had.displayName(), displayName)) {
            changes.add("displayName '" + had.displayName() + "' -> '" + displayName + "'");
        }
        if (had.active() != active) {
            changes.add(active ? "enabled" : "disabled");
        }
        if (changes.isEmpty()) {
            return;
        }
        UserAdministration.Changed changed = administration.update(had.id(),
                new UserInput(wanted.username(), displayName, email == null ? "" : email, active), null);
        if (changed.disabled()) {
            run.handle.createUpdate("delete from sessions where user_id = :user").bind("user", had.id()).execute();
        }
        run.say("change user " + wanted.username() + ": " + String.join(", ", changes));
    }

    /** Deletes the users the file does not name; deleting the last administrator is refused. */
    void prune(ApplyRun run, ConfigFile file) {
        Set<String> named = file.users().keySet().stream().map(u -> u.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        for (User user : users.all()) {
            if (named.contains(user.username().toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (run.attempt(new ConfigFile.Path("users", 0), Map.of(), () -> administration.delete(user.id(), null),
                    refused -> refused.code().equals("last_administrator") ? "--prune would delete the user '" + user.username()
                            + "', the last active member of Administrators: name them under users (and as a member of "
                            + "Administrators), or make another user an administrator first" : refused.getMessage())) {
                run.say("remove user " + user.username());
            }
        }
    }
}
