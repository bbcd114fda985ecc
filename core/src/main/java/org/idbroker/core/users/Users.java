package org.idbroker.core.users;

import static java.util.Objects.requireNonNull;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads and writes user accounts and their external identities. */
public final class Users {

    static final String USER_COLUMNS = "u.id, u.username, u.display_name, u.email, u.active, u.external_groups, u.created";
    public static final RowMapper<User> USER = Users::mapUser;
    public static final RowMapper<ExternalIdentity> IDENTITY = Users::mapIdentity;

    private final Jdbi jdbi;

    public Users(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    public Optional<User> find(UUID id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    public static Optional<User> find(Handle h, UUID id) {
        return h.createQuery("select " + USER_COLUMNS + " from users u where u.id = :id")
                .bind("id", id).map(USER).findOne();
    }

    public Optional<User> findByUsername(String username) {
        return jdbi.withHandle(h -> findByUsername(h, username));
    }

    public static Optional<User> findByUsername(Handle h, String username) {
        return h.createQuery("select " + USER_COLUMNS + " from users u where lower(u.username) = lower(:username)")
                .bind("username", username).map(USER).findOne();
    }

    /** Every user, by username. */
    public List<User> all() {
        return jdbi.withHandle(h -> h.createQuery("select " + USER_COLUMNS + " from users u order by lower(u.username)")
                .map(USER).list());
    }

    public static List<User> findByEmail(Handle h, String email) {
        return h.createQuery("select " + USER_COLUMNS + " from users u where lower(u.email) = lower(:email) order by u.created")
                .bind("email", email).map(USER).list();
    }

    /**
     * A page of users whose username, display name or email contains {@code search} (any case), by
     * username, and how many match in all.
     */
    public UserPage page(String search, int offset, int limit) {
        if (limit < 1 || limit > 500) {
            throw new IllegalArgumentException("limit must be between 1 and 500");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        String pattern = search == null || search.isBlank() ? null
                : "%" + search.strip().toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                        .replace("_", "\\_") + "%";
        String where = pattern == null ? "" : " where lower(u.username) like :pattern or lower(u.display_name) like :pattern"
                + " or lower(u.email) like :pattern";
        return jdbi.withHandle(h -> {
            var count = h.createQuery("select count(*) from users u" + where);
            var rows = h.createQuery("select " + USER_COLUMNS + " from users u" + where
                    + " order by lower(u.username) limit :limit offset :offset").bind("limit", limit).bind("offset", offset);
            if (pattern != null) {
                count.bind("pattern", pattern);
                rows.bind("pattern", pattern);
            }
            return new UserPage(rows.map(USER).list(), count.mapTo(Long.class).one(), offset, limit);
        });
    }

    /** One page of a user list. */
    public record UserPage(List<User> items, long total, int offset, int limit) {
        public UserPage {
            items = List.copyOf(items);
        }
    }

    public List<ExternalIdentity> identities(UUID userId) {
        return jdbi.withHandle(h -> h.createQuery("select * from external_identities where user_id = :id order by created")
                .bind("id", userId).map(IDENTITY).list());
    }

    /**
     * Creates a user with a username that nobody else has: {@code wanted}, or {@code wanted2},
     * {@code wanted3}... when it is taken.
     */
    public static User createWithUniqueUsername(Handle h, String wanted, String displayName, String email) {
        String base = UsernamePolicy.sanitize(wanted);
        String candidate = base;
        for (int n = 2; ; n++) {
            Optional<User> created = h.createQuery("""
                    insert into users (username, display_name, email) values (:username, :displayName, :email)
                    on conflict do nothing
                    returning id, username, display_name, email, active, external_groups, created""")
                    .bind("username", candidate).bind("displayName", displayName).bind("email", email)
                    .map(USER).findOne();
            if (created.isPresent()) {
                return created.get();
            }
            candidate = base + n;
        }
    }

    /**
     * The seed command: creates the user, or updates the one with that username, and puts it in
     * the built-in Administrators team. Atomic and safe to run twice or concurrently.
     *
     * @return the user and whether it was created
     */
    public SeedResult seedAdministrator(String username, String email) {
        requireNonNull(username, "username is null");
        UsernamePolicy.validate(username);
        EmailPolicy.validate(email);
        return jdbi.inTransaction(h -> {
            h.execute("select pg_advisory_xact_lock(hashtext('idbroker.seed-admin'))");
            Optional<User> existing = findByUsername(h, username);
            User user;
            boolean created;
            if (existing.isPresent()) {
                user = h.createQuery("""
                        update users set email = :email, active = true, updated = now() where id = :id
                        returning id, username, display_name, email, active, external_groups, created""")
                        .bind("email", email).bind("id", existing.get().id()).map(USER).one();
                created = false;
            } else {
                user = h.createQuery("""
                        insert into users (username, display_name, email) values (:username, :username, :email)
                        returning id, username, display_name, email, active, external_groups, created""")
                        .bind("username", username).bind("email", email).map(USER).one();
                created = true;
            }
            int added = h.createUpdate("""
                    insert into team_members (team_id, user_id)
                    select id, :user from teams where builtin = 'administrators'
                    on conflict do nothing""").bind("user", user.id()).execute();
            return new SeedResult(user, created, added > 0);
        });
    }

    /** What the seed command did. */
    public record SeedResult(User user, boolean created, boolean addedToAdministrators) {
    }

    private static User mapUser(ResultSet rs, StatementContext ctx) throws SQLException {
        return new User(
                rs.getObject("id", UUID.class),
                rs.getString("username"),
                rs.getString("display_name"),
                rs.getString("email"),
                rs.getBoolean("active"),
                strings(rs.getArray("external_groups")),
                instant(rs, "created"));
    }

    private static ExternalIdentity mapIdentity(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ExternalIdentity(
                rs.getObject("id", UUID.class),
                rs.getObject("user_id", UUID.class),
                rs.getString("provider_id"),
                rs.getString("issuer"),
                rs.getString("subject"),
                rs.getString("email"),
                instant(rs, "created"),
                instant(rs, "last_sign_in"));
    }

    public static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        return Arrays.asList((String[]) array.getArray());
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
