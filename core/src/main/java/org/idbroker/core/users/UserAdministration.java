package org.idbroker.core.users;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.idbroker.core.admin.Administrators;
import org.idbroker.core.admin.ChangeEvents;
import org.idbroker.core.admin.ChangeRefusedException;
import org.idbroker.core.admin.Inputs;
import org.idbroker.core.admin.UniqueViolations;
import org.idbroker.core.events.Events;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * An administrator's changes to user accounts, each in one transaction with its event (the actor is
 * the event's user). Usernames are unique regardless of case; so are email addresses, because the
 * first sign-in finds an account by its email. The last active administrator cannot be disabled or
 * deleted.
 */
public final class UserAdministration {

    public static final int MAX_DISPLAY_NAME_LENGTH = 200;

    private final Jdbi jdbi;

    public UserAdministration(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** What to create, or to change ({@code null} keeps a value). */
    public record UserInput(String username, String displayName, String emailAddress, Boolean active) {
    }

    /** A change made: the user as it is now, and whether it was just disabled. */
    public record Changed(User user, boolean disabled) {
    }

    public User create(UserInput input, UUID actor) {
        requireNonNull(input, "input is null");
        String username = username(input.username());
        String displayName = Inputs.optional("displayName", input.displayName(), MAX_DISPLAY_NAME_LENGTH, false, username);
        String email = email(input.emailAddress());
        boolean active = input.active() == null || input.active();
        return change(h -> {
            refuseTaken(h, username, email, null);
            User user = h.createQuery("""
                    insert into users (username, display_name, email, active) values (:username, :displayName, :email, :active)
                    returning id, username, display_name, email, active, external_groups, created""")
                    .bind("username", username).bind("displayName", displayName).bind("email", email)
                    .bind("active", active).map(Users.USER).one();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("targetUserId", user.id());
            details.put("username", username);
            details.put("active", active);
            Events.record(h, ChangeEvents.USER_CREATED, Events.SUCCESS, null, null, actor, null, details);
            return user;
        });
    }

    /** Changes the given fields. Disabling ends nothing by itself: the caller ends the user's sessions. */
    public Changed update(UUID id, UserInput input, UUID actor) {
        requireNonNull(input, "input is null");
        String username = input.username() == null ? null : username(input.username());
        String displayName = input.displayName() == null ? null
                : Inputs.optional("displayName", input.displayName(), MAX_DISPLAY_NAME_LENGTH, false, "");
        String email = input.emailAddress() == null ? null : email(input.emailAddress());
        return change(h -> {
            User before = existing(h, id);
            String newUsername = username == null ? before.username() : username;
            String newDisplayName = displayName == null ? before.displayName() : displayName.isEmpty() ? newUsername : displayName;
            String newEmail = input.emailAddress() == null ? before.email() : email;
            boolean newActive = input.active() == null ? before.active() : input.active();
            boolean disabling = before.active() && !newActive;
            if (disabling) {
                Administrators.refuseIfLast(h, id, "disabled");
            }
            refuseTaken(h, newUsername.equalsIgnoreCase(before.username()) ? null : newUsername,
                    newEmail == null || newEmail.equalsIgnoreCase(Objects.requireNonNullElse(before.email(), "")) ? null : newEmail, id);
            User after = h.createQuery("""
                    update users set username = :username, display_name = :displayName, email = :email, active = :active,
                    updated = now() where id = :id
                    returning id, username, display_name, email, active, external_groups, created""")
                    .bind("username", newUsername).bind("displayName", newDisplayName).bind("email", newEmail)
                    .bind("active", newActive).bind("id", id).map(Users.USER).one();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("targetUserId", id);
            details.put("username", after.username());
            details.put("changed", changedFields(before, after));
            Events.record(h, ChangeEvents.USER_CHANGED, Events.SUCCESS, null, null, actor, null, details);
            return new Changed(after, disabling);
        });
    }

    public void delete(UUID id, UUID actor) {
        change(h -> {
            User user = existing(h, id);
            Administrators.refuseIfLast(h, id, "deleted");
            h.createUpdate("delete from users where id = :id").bind("id", id).execute();
            Events.record(h, ChangeEvents.USER_DELETED, Events.SUCCESS, null, null, actor, null,
                    Map.of("targetUserId", id, "username", user.username()));
            return null;
        });
    }

    /** Unlinks an external identity; the next sign-in with it matches by email again (or creates a user). */
    public void removeIdentity(UUID userId, UUID identityId, UUID actor) {
        change(h -> {
            User user = existing(h, userId);
            ExternalIdentity identity = h.createQuery("select * from external_identities where id = :id and user_id = :user")
                    .bind("id", identityId).bind("user", userId).map(Users.IDENTITY).findOne()
                    .orElseThrow(() -> ChangeRefusedException.notFound("identity_not_found",
                            "The user '" + user.username() + "' has no external identity with the id " + identityId + " (identityId)."));
            h.createUpdate("delete from external_identities where id = :id").bind("id", identityId).execute();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("targetUserId", userId);
            details.put("username", user.username());
            details.put("change", "external-identity-removed");
            details.put("identityId", identityId);
            details.put("issuer", identity.issuer());
            details.put("subject", identity.subject());
            Events.record(h, ChangeEvents.USER_CHANGED, Events.SUCCESS, null, null, actor, identity.providerId(), details);
            return null;
        });
    }

    private <T> T change(HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.inTransaction(work);
        } catch (UnableToExecuteStatementException e) {
            if (UniqueViolations.isUniqueViolation(e)) {
                throw ChangeRefusedException.conflict("username_taken",
                        "Another user has this username (username, compared regardless of case).");
            }
            throw e;
        }
    }

    private static User existing(Handle h, UUID id) {
        return Users.find(h, id).orElseThrow(() -> ChangeRefusedException.notFound("user_not_found", "No user has the id " + id + "."));
    }

    private static void refuseTaken(Handle h, String username, String email, UUID except) {
        if (username != null && Users.findByUsername(h, username).filter(u -> !u.id().equals(except)).isPresent()) {
            throw ChangeRefusedException.conflict("username_taken",
                    "Another user has the username '" + username + "' (username, compared regardless of case).");
        }
        if (email != null && Users.findByEmail(h, email).stream().anyMatch(u -> !u.id().equals(except))) {
            throw ChangeRefusedException.conflict("email_taken", "Another user has the email address '" + email
                    + "' (emailAddress); sign-ins could not tell the two apart.");
        }
    }

    private static String username(String value) {
        try {
            UsernamePolicy.validate(value);
        } catch (IllegalArgumentException e) {
            throw ChangeRefusedException.invalid("username", e.getMessage());
        }
        return value;
    }

    private static String email(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String email = value.strip();
        try {
            EmailPolicy.validate(email);
        } catch (IllegalArgumentException e) {
            throw ChangeRefusedException.invalid("emailAddress", e.getMessage().replaceFirst("^email", "emailAddress"));
        }
        return email;
    }

    private static List<String> changedFields(User before, User after) {
        List<String> changed = new java.util.ArrayList<>();
        if (!before.username().equals(after.username())) {
            changed.add("username");
        }
        if (!Objects.equals(before.displayName(), after.displayName())) {
            changed.add("displayName");
        }
        if (!Objects.equals(before.email(), after.email())) {
            changed.add("emailAddress");
        }
        if (before.active() != after.active()) {
            changed.add("active");
        }
        return changed;
    }
}
