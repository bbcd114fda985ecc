package org.idbroker.core.signin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.idbroker.core.crypto.SealedColumn;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.crypto.Tokens;
import org.jdbi.v3.core.Jdbi;

/**
 * Login transactions in PostgreSQL, so any node can finish a sign-in another node started. Each is
 * bound to the browser that started it, used once, and expires. What the provider remembers (nonce,
 * PKCE verifier) is encrypted with the master key.
 */
public final class LoginTransactions {

    public static final Duration LIFETIME = Duration.ofMinutes(10);
    /** Expired rows deleted per statement. */
    private static final int PURGE_BATCH = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };
    /**
     * The insert and the delete-returning each commit without waiting for the WAL flush (synchronous_commit off for
     * that one transaction, set by the statement itself, so it costs no round trip). Nothing any node sees changes:
     * a commit is visible to every other transaction at once either way; only a crash of PostgreSQL within
     * about 0.6 s can undo it. An undone insert fails that sign-in (start again). An undone delete gives back a
     * transaction whose sign-in made no session: the sign-in's own commit waits for the WAL flush, and the WAL is
     * flushed in order, so every sign-in that made a session has its delete on disk first. Measured in bench/RESULTS.md.
     */
    private static final String ASYNC_COMMIT = "set_config('synchronous_commit', 'off', true) as async_commit";

    private final Jdbi jdbi;
    private final SecretCipher cipher;
    private final Clock clock;

    public LoginTransactions(Jdbi jdbi, SecretCipher cipher, Clock clock) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.cipher = requireNonNull(cipher, "cipher is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Stores a transaction, started by {@code startedBy} (a claims preview's administrator) or {@code null}, from
     * {@code startedHost}, the host and port the browser used (at most 300 characters; {@code null} when unknown).
     */
    public void save(String state, String browserKey, String providerId, Map<String, String> remembered,
            String redirectAfter, SignInMode mode, UUID startedBy, String startedHost) {
        if (startedHost != null && startedHost.length() > 300) {
            throw new IllegalArgumentException("startedHost is longer than 300 characters");
        }
        byte[] stateHash = Tokens.hash(state);
        byte[] sealed;
        try {
            sealed = cipher.encrypt(JSON.writeValueAsBytes(remembered), context(stateHash));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize the login transaction", e);
        }
        Instant expires = clock.instant().plus(LIFETIME);
        jdbi.useHandle(h -> h.createQuery("""
                insert into login_transactions (state_hash, browser_hash, provider_id, remembered, redirect_after, mode, expires_at,
                    started_by, started_host)
                values (:state, :browser, :provider, :remembered, :redirect, :mode, :expires, :startedBy, :startedHost)
                returning\s""" + ASYNC_COMMIT)
                .bind("startedBy", startedBy).bind("startedHost", startedHost)
                .bind("state", stateHash).bind("browser", Tokens.hash(browserKey)).bind("provider", providerId)
                .bind("remembered", sealed).bind("redirect", redirectAfter).bind("mode", mode.code())
                .bind("expires", OffsetDateTime.ofInstant(expires, ZoneOffset.UTC)).mapTo(String.class).one());
    }

    /**
     * Takes the transaction for {@code state}, once: a second call with the same state finds nothing.
     * A transaction started by another browser is left in place and refused.
     */
    public LoginTransaction consume(String state, String browserKey, String providerId) throws LoginStateException {
        return consume(state, browserKey, providerId, null);
    }

    /**
     * Like {@link #consume(String, String, String)}, for a callback that reached the broker at {@code callbackHost}: a
     * transaction of another browser that was started at another host is refused as {@link SignInRefusal#STATE_OTHER_HOST}
     * (the browser kept its cookie for the other address), naming that host.
     */
    public LoginTransaction consume(String state, String browserKey, String providerId, String callbackHost)
            throws LoginStateException {
        if (state == null || state.isBlank()) {
            throw new LoginStateException(SignInRefusal.STATE_MISSING);
        }
        if (state.length() > 512) {
            throw new LoginStateException(SignInRefusal.STATE_UNKNOWN);
        }
        byte[] stateHash = Tokens.hash(state);
        byte[] browserHash = browserKey == null ? new byte[0] : Tokens.hash(browserKey);
        Optional<Row> taken = jdbi.withHandle(h -> h.createQuery("""
                delete from login_transactions where state_hash = :state and browser_hash = :browser
                returning provider_id, remembered, redirect_after, mode, expires_at, started_by,\s""" + ASYNC_COMMIT)
                .bind("state", stateHash).bind("browser", browserHash)
                .map((rs, ctx) -> new Row(rs.getString("provider_id"), rs.getBytes("remembered"),
                        rs.getString("redirect_after"), mode(rs.getString("mode")),
                        rs.getObject("expires_at", OffsetDateTime.class).toInstant(), rs.getObject("started_by", UUID.class)))
                .findOne());
        if (taken.isEmpty()) {
            Optional<Optional<String>> other = jdbi.withHandle(h -> h.createQuery(
                            "select started_host from login_transactions where state_hash = :state")
                    .bind("state", stateHash).map((rs, ctx) -> Optional.ofNullable(rs.getString("started_host"))).findOne());
            if (other.isEmpty()) {
                throw new LoginStateException(SignInRefusal.STATE_UNKNOWN);
            }
            Optional<String> startedHost = other.get();
            if (startedHost.isPresent() && callbackHost != null && !startedHost.get().equalsIgnoreCase(callbackHost)) {
                throw new LoginStateException(SignInRefusal.STATE_OTHER_HOST, startedHost.get());
            }
            throw new LoginStateException(SignInRefusal.STATE_OTHER_BROWSER);
        }
        Row row = taken.get();
        if (!row.providerId.equals(providerId)) {
            throw new LoginStateException(SignInRefusal.STATE_UNKNOWN);
        }
        if (!row.expiresAt.isAfter(clock.instant())) {
            throw new LoginStateException(SignInRefusal.STATE_EXPIRED);
        }
        Map<String, String> remembered;
        try {
            remembered = JSON.readValue(cipher.decrypt(row.remembered, context(stateHash)), MAP);
        } catch (IOException e) {
            throw new IllegalStateException("a stored login transaction is unreadable", e);
        }
        return new LoginTransaction(row.providerId, remembered, row.redirectAfter, row.mode, row.expiresAt, row.startedBy);
    }

    /** Deletes expired transactions; returns how many. */
    public int purgeExpired() {
        int total = 0;
        int deleted;
        do {
            deleted = jdbi.withHandle(h -> h.createUpdate("""
                    delete from login_transactions where state_hash in (
                        select state_hash from login_transactions where expires_at < now() limit :batch)""")
                    .bind("batch", PURGE_BATCH).execute());
            total += deleted;
        } while (deleted == PURGE_BATCH);
        return total;
    }

    /** The provider's remembered values, sealed with the master key (for {@code rotate-master-key}). */
    public static final SealedColumn SEALED = new SealedColumn("login_transactions", "state_hash", "remembered",
            hash -> context((byte[]) hash));

    private static String context(byte[] stateHash) {
        return "login-transaction:" + HexFormat.of().formatHex(stateHash);
    }

    private static SignInMode mode(String code) {
        return SignInMode.fromCode(code).orElseThrow(() -> new IllegalStateException("a stored login transaction has the unknown mode " + code));
    }

    private record Row(String providerId, byte[] remembered, String redirectAfter, SignInMode mode, Instant expiresAt,
            UUID startedBy) {
    }
}
