package org.idbroker.core.apikeys;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.idbroker.core.admin.ChangeEvents;
import org.idbroker.core.admin.ChangeRefusedException;
import org.idbroker.core.admin.Inputs;
import org.idbroker.core.crypto.Tokens;
import org.idbroker.core.events.Events;
import org.idbroker.core.users.Caller;
import org.idbroker.core.users.CallerQuery;
import org.idbroker.core.users.Users;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * API keys for automation: {@code idb_} and 256 random bits. Only the SHA-256 of a key is stored,
 * with its first characters to recognise it by. A key acts as its user while the user is active;
 * its last use is written at most once a minute.
 */
public final class ApiKeys {

    public static final String PREFIX = "idb_";
    public static final int MAX_NAME_LENGTH = 100;
    public static final int MAX_KEYS_PER_USER = 50;
    private static final int SHOWN_PREFIX_LENGTH = PREFIX.length() + 8;
    private static final int MAX_KEY_LENGTH = 128;
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final String AUTHENTICATE = authenticateSql(false);
    private static final String AUTHENTICATE_WITH_IDENTITIES = authenticateSql(true);

    private final Jdbi jdbi;
    private final Clock clock;

    public ApiKeys(Jdbi jdbi, Clock clock) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public CreatedApiKey create(UUID userId, String name) {
        requireNonNull(userId, "userId is null");
        String cleanName = Inputs.required("name", name, MAX_NAME_LENGTH);
        String secret = PREFIX + Tokens.random();
        return jdbi.inTransaction(h -> {
            h.createQuery("select id from users where id = :user for update").bind("user", userId).mapTo(UUID.class).one();
            long existing = h.createQuery("select count(*) from api_keys where user_id = :user").bind("user", userId)
                    .mapTo(Long.class).one();
            if (existing >= MAX_KEYS_PER_USER) {
                throw ChangeRefusedException.conflict("too_many_api_keys",
                        "You have " + existing + " API keys, the most allowed; revoke one you no longer use first.");
            }
            ApiKey key = h.createQuery("""
                    insert into api_keys (user_id, name, key_hash, prefix) values (:user, :name, :hash, :prefix)
                    returning id, user_id, name, prefix, created, last_used""")
                    .bind("user", userId).bind("name", cleanName).bind("hash", Tokens.hash(secret))
                    .bind("prefix", secret.substring(0, SHOWN_PREFIX_LENGTH)).map(ApiKeys::map).one();
            Events.record(h, ChangeEvents.API_KEY_CREATED, Events.SUCCESS, null, null, userId, null,
                    Map.of("apiKeyId", key.id(), "name", key.name(), "prefix", key.prefix()));
            return new CreatedApiKey(key, secret);
        });
    }

    /** A user's keys, newest first. */
    public List<ApiKey> list(UUID userId) {
        return jdbi.withHandle(h -> h.createQuery("""
                select id, user_id, name, prefix, created, last_used from api_keys where user_id = :user
                order by created desc, id""").bind("user", userId).map(ApiKeys::map).list());
    }

    /** Revokes one of the user's keys; a key of someone else is as unknown as a key that never was. */
    public void revoke(UUID userId, UUID keyId) {
        jdbi.useTransaction(h -> {
            Optional<ApiKey> key = h.createQuery("""
                    delete from api_keys where id = :id and user_id = :user
                    returning id, user_id, name, prefix, created, last_used""")
                    .bind("id", keyId).bind("user", userId).map(ApiKeys::map).findOne();
            if (key.isEmpty()) {
                throw ChangeRefusedException.notFound("api_key_not_found", "You have no API key with the id " + keyId + ".");
            }
            Events.record(h, ChangeEvents.API_KEY_REVOKED, Events.SUCCESS, null, null, userId, null,
                    Map.of("apiKeyId", keyId, "name", key.get().name(), "prefix", key.get().prefix()));
        });
    }

    /**
     * The key with this value and who it acts as (user, teams, permissions and, when
     * {@code withIdentities}, external identities), when the key exists and its user is active: one
     * statement on one connection, read at every call so a revoked key or a disabled user is refused at
     * the next request on every node. The last use is written on the same connection when over a minute old.
     */
    public Optional<Authenticated> authenticate(String secret, boolean withIdentities) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        byte[] hash = Tokens.hash(secret);
        String sql = withIdentities ? AUTHENTICATE_WITH_IDENTITIES : AUTHENTICATE;
        return jdbi.withHandle(h -> {
            Optional<Authenticated> found = h.createQuery(sql).bind("hash", hash).map((rs, ctx) -> {
                ApiKey key = map(rs, ctx);
                return new Authenticated(key, CallerQuery.map(rs, key.userId(), withIdentities));
            }).findOne();
            Instant now = clock.instant();
            found.map(Authenticated::key).filter(k -> k.lastUsed() == null || k.lastUsed().plus(TOUCH_INTERVAL).isBefore(now))
                    .ifPresent(k -> h.createUpdate("update api_keys set last_used = now() where id = :id")
                            .bind("id", k.id()).execute());
            return found;
        });
    }

    /** An API key that was presented and is valid, and who it acts as. */
    public record Authenticated(ApiKey key, Caller caller) {
    }

    private static String authenticateSql(boolean withIdentities) {
        return "select k.id, k.user_id, k.name, k.prefix, k.created, k.last_used, " + CallerQuery.columns(withIdentities)
                + " from api_keys k join users u on u.id = k.user_id" + CallerQuery.joins()
                + " where k.key_hash = :hash and u.active";
    }

    private static ApiKey map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ApiKey(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class), rs.getString("name"),
                rs.getString("prefix"), Users.instant(rs, "created"), Users.instant(rs, "last_used"));
    }
}
