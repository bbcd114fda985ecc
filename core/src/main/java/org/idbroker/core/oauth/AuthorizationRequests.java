package org.idbroker.core.oauth;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.idbroker.core.crypto.Tokens;
import org.idbroker.core.users.Users;
import org.jdbi.v3.core.Jdbi;

/**
 * Authorization requests waiting while the person signs in upstream. The browser carries a random id
 * through the sign-in (in the after-login address) and comes back with it; the request is then taken
 * once, on any node. Only the id's hash is stored.
 */
public final class AuthorizationRequests {

    public static final Duration LIFETIME = Duration.ofMinutes(10);

    private final Jdbi jdbi;
    private final Clock clock;

    public AuthorizationRequests(Jdbi jdbi, Clock clock) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A request taken back: its client, its parameters (as the query string it came with) and when it was made. */
    public record Pending(String clientId, String parameters, Instant created) {
    }

    /** Keeps the request and returns the id to resume it with. */
    public String save(String clientId, String parameters) {
        String id = Tokens.random();
        Instant now = clock.instant();
        jdbi.useHandle(h -> h.createUpdate("""
                insert into authorization_requests (id_hash, client_id, parameters, created, expires_at)
                values (:hash, :client, :parameters, :created, :expires)""")
                .bind("hash", Tokens.hash(id)).bind("client", clientId).bind("parameters", parameters)
                .bind("created", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .bind("expires", OffsetDateTime.ofInstant(now.plus(LIFETIME), ZoneOffset.UTC)).execute());
        return id;
    }

    /** The request with this id, removed so it is used once; empty when unknown, used or expired. */
    public Optional<Pending> take(String id) {
        if (id == null || id.isEmpty() || id.length() > 128) {
            return Optional.empty();
        }
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return jdbi.withHandle(h -> h.createQuery("""
                delete from authorization_requests where id_hash = :hash
                returning client_id, parameters, created, expires_at > :now as live""")
                .bind("hash", Tokens.hash(id)).bind("now", now)
                .map((rs, ctx) -> rs.getBoolean("live")
                        ? new Pending(rs.getString("client_id"), rs.getString("parameters"), Users.instant(rs, "created"))
                        : null)
                .findOne());
    }

    public int purgeExpired() {
        return jdbi.withHandle(h -> h.createUpdate("delete from authorization_requests where expires_at < now()").execute());
    }
}
