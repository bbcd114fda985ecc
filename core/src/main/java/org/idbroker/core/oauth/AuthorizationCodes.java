package org.idbroker.core.oauth;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.idbroker.core.crypto.Tokens;
import org.idbroker.core.users.Users;
import org.jdbi.v3.core.Jdbi;

/**
 * One-use authorization codes. A code is 256 random bits of which only the hash is stored, bound to
 * the client, redirect URI, PKCE challenge, nonce and broker session it was issued for (ending the
 * session deletes it). Redeeming is one compare-and-set on one row, so of two parallel redemptions
 * exactly one succeeds; a spent code stays recorded until it expires so a replay is recognised.
 */
public final class AuthorizationCodes {

    public static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final String COLUMNS = "client_id, user_id, session_id, redirect_uri, code_challenge, nonce, scope, auth_time";

    private final Jdbi jdbi;
    private final Clock clock;

    public AuthorizationCodes(Jdbi jdbi, Clock clock) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** What a code was issued for. */
    public record Grant(String clientId, UUID userId, UUID sessionId, String redirectUri, String codeChallenge, String nonce,
            String scope, Instant authTime) {
        public Grant {
            requireNonNull(clientId, "clientId is null");
            requireNonNull(userId, "userId is null");
            requireNonNull(sessionId, "sessionId is null");
            requireNonNull(redirectUri, "redirectUri is null");
            requireNonNull(scope, "scope is null");
            requireNonNull(authTime, "authTime is null");
        }
    }

    /** What presenting a code gave. */
    public sealed interface Redemption {
        /** The code was live and is now spent: this call owns it. */
        record Redeemed(byte[] codeHash, Grant grant) implements Redemption {
        }

        /** The code had been redeemed before: a replay. */
        record Replayed(byte[] codeHash, Grant grant) implements Redemption {
        }

        /** No such code, or it expired unused. */
        record Unknown() implements Redemption {
        }
    }

    public String issue(Grant grant) {
        String code = Tokens.random();
        Instant now = clock.instant();
        jdbi.useHandle(h -> h.createUpdate("insert into authorization_codes (code_hash, " + COLUMNS + ", expires_at) values "
                + "(:hash, :client, :user, :session, :redirect, :challenge, :nonce, :scope, :authTime, :expires)")
                .bind("hash", Tokens.hash(code)).bind("client", grant.clientId()).bind("user", grant.userId())
                .bind("session", grant.sessionId()).bind("redirect", grant.redirectUri()).bind("challenge", grant.codeChallenge())
                .bind("nonce", grant.nonce()).bind("scope", grant.scope())
                .bind("authTime", OffsetDateTime.ofInstant(grant.authTime(), ZoneOffset.UTC))
                .bind("expires", OffsetDateTime.ofInstant(now.plus(LIFETIME), ZoneOffset.UTC)).execute());
        return code;
    }

    /** Spends the code if it is live; says whether it was, was spent before, or is unknown. */
    public Redemption redeem(String code) {
        if (code == null || code.isEmpty() || code.length() > 128) {
            return new Redemption.Unknown();
        }
        byte[] hash = Tokens.hash(code);
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return jdbi.withHandle(h -> {
            Optional<Grant> redeemed = h.createQuery("update authorization_codes set consumed_at = :now "
                    + "where code_hash = :hash and consumed_at is null and expires_at > :now returning " + COLUMNS)
                    .bind("hash", hash).bind("now", now).map((rs, ctx) -> map(rs)).findOne();
            if (redeemed.isPresent()) {
                return new Redemption.Redeemed(hash, redeemed.get());
            }
            Optional<Grant> spent = h.createQuery("select " + COLUMNS + " from authorization_codes "
                    + "where code_hash = :hash and consumed_at is not null").bind("hash", hash).map((rs, ctx) -> map(rs)).findOne();
            return spent.<Redemption>map(g -> new Redemption.Replayed(hash, g)).orElseGet(Redemption.Unknown::new);
        });
    }

    /** Deletes codes expired over an hour ago (kept that long to recognise late replays). */
    public int purgeExpired() {
        return jdbi.withHandle(h -> h.createUpdate("delete from authorization_codes where expires_at < now() - interval '1 hour'")
                .execute());
    }

    private static Grant map(ResultSet rs) throws SQLException {
        return new Grant(rs.getString("client_id"), rs.getObject("user_id", UUID.class), rs.getObject("session_id", UUID.class),
                rs.getString("redirect_uri"), rs.getString("code_challenge"), rs.getString("nonce"), rs.getString("scope"),
                Users.instant(rs, "auth_time"));
    }
}
