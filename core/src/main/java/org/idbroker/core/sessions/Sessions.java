package org.idbroker.core.sessions;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.idbroker.core.crypto.SealedColumn;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.crypto.Tokens;
import org.idbroker.core.users.Caller;
import org.idbroker.core.users.CallerQuery;
import org.idbroker.core.users.User;
import org.idbroker.core.users.Users;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Server-side sessions in PostgreSQL. Every look-up reads the database, so a revocation on any
 * node takes effect on every node at the next request. The last-seen time is written at most once
 * a minute per session to keep reads cheap.
 */
public final class Sessions {

    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final String COLUMNS = "s.id, s.user_id, s.provider_id, s.external_identity_id, s.idp_session_id, "
            + "s.created, s.last_seen, s.expires_at";
    /**
     * A session is live until its stored expiry, until the current absolute lifetime has passed
     * since sign-in (so a shortened lifetime applies to existing sessions at once), and while it
     * has been used within the idle lifetime.
     */
    private static final String LIVE = "s.expires_at > :now and s.created > :absoluteLimit and s.last_seen > :idleLimit";
    private static final String FIND = findSql(false);
    private static final String FIND_WITH_IDENTITIES = findSql(true);

    private final Jdbi jdbi;
    private final SecretCipher cipher;
    private final Clock clock;
    private volatile SessionLifetimes lifetimes;

    public Sessions(Jdbi jdbi, SecretCipher cipher, Clock clock, SessionLifetimes lifetimes) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.cipher = requireNonNull(cipher, "cipher is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.lifetimes = requireNonNull(lifetimes, "lifetimes is null");
    }

    public void setLifetimes(SessionLifetimes lifetimes) {
        this.lifetimes = requireNonNull(lifetimes, "lifetimes is null");
    }

    public SessionLifetimes lifetimes() {
        return lifetimes;
    }

    /**
     * Starts a session in the caller's transaction (the sign-in's) and returns its token, to be set in
     * the cookie. The token is 256 random bits; only its hash is stored.
     */
    public String create(Handle h, UUID userId, String providerId, UUID externalIdentityId, String idpSessionId, String idToken) {
        return create(h, userId, providerId, externalIdentityId, idpSessionId, idToken, SignInProof.NONE);
    }

    /** A session, with what its sign-in proved (for the applications that sign in through it). */
    public String create(Handle h, UUID userId, String providerId, UUID externalIdentityId, String idpSessionId, String idToken,
            SignInProof proof) {
        String token = Tokens.random();
        byte[] hash = Tokens.hash(token);
        byte[] sealedIdToken = idToken == null ? null
                : cipher.encrypt(idToken.getBytes(StandardCharsets.UTF_8), context(hash));
        Instant expires = clock.instant().plus(lifetimes.absolute());
        h.createUpdate("""
                insert into sessions (token_hash, user_id, provider_id, external_identity_id, idp_session_id, id_token, expires_at,
                    verified_email, amr, acr)
                values (:hash, :user, :provider, :identity, :sid, :idToken, :expires, :verifiedEmail, :amr, :acr)""")
                .bind("hash", hash).bind("user", userId).bind("provider", providerId)
                .bind("identity", externalIdentityId).bind("sid", idpSessionId).bind("idToken", sealedIdToken)
                .bind("verifiedEmail", proof.verifiedEmail())
                .bind("amr", proof.amr().isEmpty() ? null : proof.amr().toArray(String[]::new)).bind("acr", proof.acr())
                .bind("expires", OffsetDateTime.ofInstant(expires, ZoneOffset.UTC)).execute();
        return token;
    }

    /**
     * The live session for a token: not expired, not idle too long, and its user active.
     */
    public Optional<Session> find(String token) {
        return findWithUser(token, false).map(SignedIn::session);
    }

    /**
     * The live session for a token together with its user, the user's teams and permissions and, when
     * {@code withIdentities}, the user's external identities: what an authenticated request needs, in
     * one statement on one connection. Read at every call, never cached, so an ended session, a
     * disabled user or a changed team takes effect at the next request on every node. When the
     * last-seen time is over a minute old it is written on the same connection.
     */
    public Optional<SignedIn> findWithUser(String token, boolean withIdentities) {
        if (token == null || token.isEmpty() || token.length() > 128) {
            return Optional.empty();
        }
        byte[] hash = Tokens.hash(token);
        Instant now = clock.instant();
        SessionLifetimes current = lifetimes;
        String sql = withIdentities ? FIND_WITH_IDENTITIES : FIND;
        return jdbi.withHandle(h -> {
            Optional<SignedIn> found = h.createQuery(sql).bind("hash", hash).bindMap(liveBindings(now, current))
                    .map((rs, ctx) -> {
                        Session session = map(rs, ctx);
                        return new SignedIn(session, CallerQuery.map(rs, session.userId(), withIdentities));
                    }).findOne();
            found.map(SignedIn::session).filter(s -> s.lastSeen().plus(TOUCH_INTERVAL).isBefore(now)).ifPresent(s ->
                    h.createUpdate("update sessions set last_seen = now() where id = :id").bind("id", s.id()).execute());
            return found;
        });
    }

    /** A live session and who it acts as. */
    public record SignedIn(Session session, Caller caller) {
        public User user() {
            return caller.user();
        }
    }

    /** The ID token received at sign-in, for {@code id_token_hint} at logout. */
    public Optional<String> idToken(String token) {
        byte[] hash = Tokens.hash(token);
        return jdbi.withHandle(h -> h.createQuery("select id_token from sessions where token_hash = :hash")
                .bind("hash", hash).mapTo(byte[].class).findOne())
                .map(sealed -> new String(cipher.decrypt(sealed, context(hash)), StandardCharsets.UTF_8));
    }

    /** Ends the session with this token; returns whether there was one. */
    public boolean delete(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        return jdbi.withHandle(h -> delete(h, token));
    }

    /** {@link #delete(String)} in the caller's transaction. */
    public boolean delete(Handle h, String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        return h.createUpdate("delete from sessions where token_hash = :hash").bind("hash", Tokens.hash(token)).execute() > 0;
    }

    /** Ends one session of a user; returns whether it existed. */
    public boolean delete(UUID userId, UUID sessionId) {
        return jdbi.withHandle(h -> h.createUpdate("delete from sessions where user_id = :user and id = :id")
                .bind("user", userId).bind("id", sessionId).execute()) > 0;
    }

    /** Ends every session of a user; returns how many. */
    public int deleteAll(UUID userId) {
        return jdbi.withHandle(h -> h.createUpdate("delete from sessions where user_id = :user")
                .bind("user", userId).execute());
    }

    /** Ends every session of a user but one (the caller's own); returns how many ended. */
    public int deleteAllExcept(UUID userId, UUID keptSessionId) {
        requireNonNull(keptSessionId, "keptSessionId is null");
        return jdbi.withHandle(h -> h.createUpdate("delete from sessions where user_id = :user and id <> :kept")
                .bind("user", userId).bind("kept", keptSessionId).execute());
    }

    /** The live sessions of a user, newest first. */
    public List<Session> list(UUID userId) {
        Map<String, Object> live = liveBindings(clock.instant(), lifetimes);
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS
                + " from sessions s where s.user_id = :user and " + LIVE + " order by s.created desc")
                .bind("user", userId).bindMap(live).map(Sessions::map).list());
    }

    /**
     * When a live session ends if it is not used again: the earliest of its stored expiry, its
     * sign-in time plus the current absolute lifetime, and its last use plus the idle lifetime.
     */
    public Instant endsAt(Session session) {
        SessionLifetimes current = lifetimes;
        Instant end = session.expiresAt();
        Instant absolute = session.created().plus(current.absolute());
        Instant idle = session.lastSeen().plus(current.idle());
        if (absolute.isBefore(end)) {
            end = absolute;
        }
        return idle.isBefore(end) ? idle : end;
    }

    /** Deletes expired sessions; returns how many. */
    public int purgeExpired() {
        Map<String, Object> live = liveBindings(clock.instant(), lifetimes);
        return jdbi.withHandle(h -> h.createUpdate("delete from sessions s where not (" + LIVE + ")")
                .bindMap(live).execute());
    }

    private static String findSql(boolean withIdentities) {
        return "select " + COLUMNS + ", " + CallerQuery.columns(withIdentities)
                + " from sessions s join users u on u.id = s.user_id" + CallerQuery.joins()
                + " where s.token_hash = :hash and u.active and " + LIVE;
    }

    private static Session map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Session(
                rs.getObject("id", UUID.class),
                rs.getObject("user_id", UUID.class),
                rs.getString("provider_id"),
                rs.getObject("external_identity_id", UUID.class),
                rs.getString("idp_session_id"),
                Users.instant(rs, "created"),
                Users.instant(rs, "last_seen"),
                Users.instant(rs, "expires_at"));
    }

    private static Map<String, Object> liveBindings(Instant now, SessionLifetimes current) {
        return Map.of(
                "now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC),
                "absoluteLimit", OffsetDateTime.ofInstant(now.minus(current.absolute()), ZoneOffset.UTC),
                "idleLimit", OffsetDateTime.ofInstant(now.minus(current.idle()), ZoneOffset.UTC));
    }

    /** The upstream ID tokens kept for logout, sealed with the master key (for {@code rotate-master-key}). */
    public static final SealedColumn SEALED = new SealedColumn("sessions", "token_hash", "id_token", hash -> context((byte[]) hash));

    private static String context(byte[] tokenHash) {
        return "session-id-token:" + HexFormat.of().formatHex(tokenHash);
    }
}
