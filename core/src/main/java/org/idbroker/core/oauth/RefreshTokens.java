package org.idbroker.core.oauth;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.idbroker.core.crypto.Tokens;
import org.idbroker.core.users.Users;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Refresh tokens, rotated at every use. A token is 256 random bits, only its hash stored. Tokens of
 * one sign-in form a family; using a token spends it (a row lock and a compare-and-set, so it holds
 * across nodes and restarts) and gives the next one. A spent token presented again revokes the whole
 * family: one of the two presenters stole it. A family is bound to its client and broker session
 * and dies with the session.
 */
public final class RefreshTokens {

    private final Jdbi jdbi;
    private final Clock clock;

    public RefreshTokens(Jdbi jdbi, Clock clock) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** What a family was issued for. */
    public record Family(UUID id, String clientId, UUID userId, UUID sessionId, String scope, Instant authTime) {
    }

    /** What presenting a refresh token gave. */
    public sealed interface Use {
        /** The token was live and is now spent; {@code next} replaces it. */
        record Rotated(Family family, String next) implements Use {
            @Override
            public String toString() {
                return "Rotated[family=" + family.id() + ", next=(hidden)]";
            }
        }

        /** The token was spent before: the family is now revoked. */
        record Reused(Family family) implements Use {
        }

        /** Unknown, expired, revoked, or another client's. */
        record Refused(String reason) implements Use {
        }
    }

    /** Starts a family for a code just redeemed and returns its first token. */
    public String start(AuthorizationCodes.Grant grant, byte[] codeHash, Duration lifetime) {
        return jdbi.inTransaction(h -> {
            UUID family = h.createQuery("""
                    insert into refresh_families (client_id, user_id, session_id, code_hash, scope, auth_time)
                    values (:client, :user, :session, :code, :scope, :authTime) returning id""")
                    .bind("client", grant.clientId()).bind("user", grant.userId()).bind("session", grant.sessionId())
                    .bind("code", codeHash).bind("scope", grant.scope())
                    .bind("authTime", OffsetDateTime.ofInstant(grant.authTime(), ZoneOffset.UTC))
                    .mapTo(UUID.class).one();
            return insert(h, family, lifetime);
        });
    }

    /** Spends {@code token} for {@code clientId} and gives the next one, or says why not. */
    public Use use(String token, String clientId, Duration lifetime) {
        if (token == null || token.isEmpty() || token.length() > 128) {
            return new Use.Refused("unknown");
        }
        byte[] hash = Tokens.hash(token);
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return jdbi.inTransaction(h -> {
            Optional<Row> found = h.createQuery("""
                    select t.used_at is not null as used, t.expires_at <= :now as expired, f.revoked_at is not null as revoked,
                        f.id, f.client_id, f.user_id, f.session_id, f.scope, f.auth_time
                    from refresh_tokens t join refresh_families f on f.id = t.family_id
                    where t.token_hash = :hash for update of t, f""")
                    .bind("hash", hash).bind("now", now)
                    .map((rs, ctx) -> new Row(rs.getBoolean("used"), rs.getBoolean("expired"), rs.getBoolean("revoked"),
                            new Family(rs.getObject("id", UUID.class), rs.getString("client_id"), rs.getObject("user_id", UUID.class),
                                    rs.getObject("session_id", UUID.class), rs.getString("scope"), Users.instant(rs, "auth_time"))))
                    .findOne();
            if (found.isEmpty()) {
                return new Use.Refused("unknown");
            }
            Row row = found.get();
            if (!row.family().clientId().equals(clientId)) {
                return new Use.Refused("another_client");
            }
            if (row.revoked()) {
                return new Use.Refused("revoked");
            }
            if (row.used()) {
                revoke(h, row.family().id());
                return new Use.Reused(row.family());
            }
            if (row.expired()) {
                return new Use.Refused("expired");
            }
            h.createUpdate("update refresh_tokens set used_at = :now where token_hash = :hash").bind("hash", hash).bind("now", now)
                    .execute();
            return new Use.Rotated(row.family(), insert(h, row.family().id(), lifetime));
        });
    }

    /** Revokes the family of {@code token} when it is {@code clientId}'s (RFC 7009); returns whether it was. */
    public boolean revoke(String token, String clientId) {
        if (token == null || token.isEmpty() || token.length() > 128) {
            return false;
        }
        return jdbi.withHandle(h -> h.createUpdate("""
                update refresh_families f set revoked_at = now() from refresh_tokens t
                where t.token_hash = :hash and t.family_id = f.id and f.client_id = :client and f.revoked_at is null""")
                .bind("hash", Tokens.hash(token)).bind("client", clientId).execute()) > 0;
    }

    /** A live refresh token: unused, unexpired, its family not revoked (RFC 7662). */
    public record Live(Family family, Instant issuedAt, Instant expiresAt) {
    }

    public Optional<Live> inspect(String token) {
        if (token == null || token.isEmpty() || token.length() > 128) {
            return Optional.empty();
        }
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return jdbi.withHandle(h -> h.createQuery("""
                select t.created as issued, t.expires_at, f.id, f.client_id, f.user_id, f.session_id, f.scope, f.auth_time
                from refresh_tokens t join refresh_families f on f.id = t.family_id
                where t.token_hash = :hash and t.used_at is null and t.expires_at > :now and f.revoked_at is null""")
                .bind("hash", Tokens.hash(token)).bind("now", now)
                .map((rs, ctx) -> new Live(new Family(rs.getObject("id", UUID.class), rs.getString("client_id"),
                        rs.getObject("user_id", UUID.class), rs.getObject("session_id", UUID.class), rs.getString("scope"),
                        Users.instant(rs, "auth_time")), Users.instant(rs, "issued"), Users.instant(rs, "expires_at")))
                .findOne());
    }

    /** Revokes the families started from this code (it was replayed); returns how many. */
    public int revokeIssuedFrom(byte[] codeHash) {
        return jdbi.withHandle(h -> h.createUpdate("update refresh_families set revoked_at = now() "
                + "where code_hash = :code and revoked_at is null").bind("code", codeHash).execute());
    }

    /** Deletes tokens expired over a day ago and families left without a token. */
    public int purgeExpired() {
        return jdbi.withHandle(h -> {
            int tokens = h.createUpdate("delete from refresh_tokens where expires_at < now() - interval '1 day'").execute();
            h.createUpdate("delete from refresh_families f where not exists (select 1 from refresh_tokens t where t.family_id = f.id)"
                    + " and f.created < now() - interval '1 day'").execute();
            return tokens;
        });
    }

    private static void revoke(Handle h, UUID family) {
        h.createUpdate("update refresh_families set revoked_at = now() where id = :id").bind("id", family).execute();
    }

    private String insert(Handle h, UUID family, Duration lifetime) {
        String token = Tokens.random();
        h.createUpdate("insert into refresh_tokens (token_hash, family_id, expires_at) values (:hash, :family, :expires)")
                .bind("hash", Tokens.hash(token)).bind("family", family)
                .bind("expires", OffsetDateTime.ofInstant(clock.instant().plus(lifetime), ZoneOffset.UTC)).execute();
        return token;
    }

    private record Row(boolean used, boolean expired, boolean revoked, Family family) {
    }
}
