package org.idbroker.core.signin;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.crypto.SecretDecryptionException;
import org.idbroker.core.crypto.Tokens;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.PGStatement;

/**
 * Login states carried by the browser, not stored: what a sign-in must remember from its start to the IdP's callback
 * ({@link LoginState}) is sealed with the master key (AES-GCM through {@link SecretCipher}, so it can be neither read
 * nor changed, and any node opens it) into the OAuth {@code state} parameter, or the password form's hidden field.
 * A sign-in start writes nothing to the database.
 *
 * <p>Each state holds a 256-bit random one-use id, which is also the state the provider was given (the broker puts the
 * sealed value in its place in the authorization address, {@link #carrying}, and hands the provider its own value back
 * at the callback). Once a state leads anywhere, its id is spent in {@code spent_login_states}: a callback checks it
 * is not spent before the IdP is asked anything ({@link #open}), and the sign-in's own transaction spends it as its
 * first statement ({@link #spend(Handle, LoginState)}), so of two uses at once, on any nodes, one waits for the other's
 * commit and is refused. A state is bound to the browser that started it (a hash of its {@code idb_login} value)
 * and to its provider, and expires after {@link #LIFETIME}.
 *
 * <p>A state sealed with the previous master key opens while a node is given that key (a rotation in progress); once
 * it is not, a sign-in started before the rotation is refused as unknown and the person starts again.
 */
public final class LoginStates {

    public static final Duration LIFETIME = Duration.ofMinutes(10);
    /** Longest state given out or accepted, in characters: anything longer is refused before it is decoded. */
    public static final int MAX_LENGTH = 4096;
    /**
     * How long a spent id is kept after its state expired: each node judges expiry by its own clock and the purge by
     * PostgreSQL's, so a node whose clock is up to this far behind still finds the id spent.
     */
    public static final Duration SPENT_KEPT_AFTER_EXPIRY = Duration.ofMinutes(5);
    private static final int PURGE_BATCH = 5_000;
    private static final byte VERSION = 1;
    private static final String CONTEXT = "login-state";
    private static final int ID_BYTES = 32;
    /** 128 bits of SHA-256 of the browser's binding value: finding another value with the same bits is out of reach. */
    private static final int BROWSER_HASH_BYTES = 16;
    private static final byte SIGN_IN = 0;
    private static final byte CLAIMS_PREVIEW = 1;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final Jdbi jdbi;
    private final SecretCipher cipher;
    private final Clock clock;

    public LoginStates(Jdbi jdbi, SecretCipher cipher, Clock clock) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.cipher = requireNonNull(cipher, "cipher is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A new one-use id: 256 random bits, base64url (43 characters); give it to the provider as its state. */
    public static String newId() {
        return Tokens.random();
    }

    /**
     * Seals a login state, started by {@code startedBy} (a claims preview's administrator) or {@code null}, from
     * {@code startedHost}, the host and port the browser used ({@code null} when unknown).
     *
     * @param id a value of {@link #newId()}
     * @param browserKey the browser's binding value ({@code idb_login})
     * @return the state: base64url without padding, at most {@link #MAX_LENGTH} characters
     * @throws LoginStateException {@link SignInRefusal#STATE_TOO_LONG} when the state would be longer
     */
    public String seal(String id, String browserKey, String providerId, Map<String, String> remembered, String redirectAfter,
            SignInMode mode, UUID startedBy, String startedHost) throws LoginStateException {
        byte[] idBytes = idBytes(requireNonNull(id, "id is null"));
        requireNonNull(browserKey, "browserKey is null");
        requireNonNull(providerId, "providerId is null");
        requireNonNull(remembered, "remembered is null");
        requireNonNull(redirectAfter, "redirectAfter is null");
        requireNonNull(mode, "mode is null");
        Writer out = new Writer();
        out.write(VERSION);
        out.writeLong(clock.instant().plus(LIFETIME).getEpochSecond());
        out.write(mode == SignInMode.CLAIMS_PREVIEW ? CLAIMS_PREVIEW : SIGN_IN);
        out.write(idBytes);
        out.write(browserHash(browserKey));
        out.writeString(providerId);
        out.writeString(redirectAfter);
        out.write(startedBy == null ? 0 : 1);
        if (startedBy != null) {
            out.write(ByteBuffer.allocate(16).putLong(startedBy.getMostSignificantBits())
                    .putLong(startedBy.getLeastSignificantBits()).array());
        }
        out.write(startedHost == null ? 0 : 1);
        if (startedHost != null) {
            out.writeString(startedHost);
        }
        out.writeVarint(remembered.size());
        for (Map.Entry<String, String> entry : remembered.entrySet()) {
            out.writeString(entry.getKey());
            // a provider that keeps its state to compare at the callback (every OAuth one does) keeps the id: one byte
            if (entry.getValue().equals(id)) {
                out.writeVarint(0);
            } else {
                byte[] value = entry.getValue().getBytes(StandardCharsets.UTF_8);
                out.writeVarint(value.length + 1L);
                out.write(value);
            }
        }
        byte[] plain = out.toByteArray();
        // base64 of the sealed bytes: 4 characters per 3 bytes; refuse before encrypting what cannot be sent
        if (sealedLength(plain.length) > MAX_LENGTH) {
            throw new LoginStateException(SignInRefusal.STATE_TOO_LONG);
        }
        String sealed = BASE64URL.encodeToString(cipher.encrypt(plain, CONTEXT));
        if (sealed.length() > MAX_LENGTH) {
            throw new LoginStateException(SignInRefusal.STATE_TOO_LONG);
        }
        return sealed;
    }

    /** How long a state sealed from {@code plainBytes} is: the cipher adds 37 bytes (version, key id, nonce, tag). */
    static int sealedLength(int plainBytes) {
        long bytes = plainBytes + 37L;
        return (int) Math.min(Integer.MAX_VALUE, (bytes * 4 + 2) / 3);
    }

    /**
     * Opens the state of a callback that reached the broker at {@code callbackHost} ({@code null} when unknown), and
     * checks that it is usable there: sealed by a broker with this master key (or the previous one) and not changed,
     * not spent, from this browser, for this provider and not expired. Writes nothing: the caller spends it.
     *
     * @throws LoginStateException {@link SignInRefusal#STATE_MISSING}, {@link SignInRefusal#STATE_UNKNOWN} (not a
     *     state, another provider's or spent), {@link SignInRefusal#STATE_OTHER_HOST} (another browser's, started
     *     at another host than the callback's: the browser kept its cookie for that host; names it),
     *     {@link SignInRefusal#STATE_OTHER_BROWSER} or {@link SignInRefusal#STATE_EXPIRED}
     */
    public LoginState open(String state, String browserKey, String providerId, String callbackHost) throws LoginStateException {
        if (state == null || state.isBlank()) {
            throw new LoginStateException(SignInRefusal.STATE_MISSING);
        }
        if (state.length() > MAX_LENGTH) {
            throw new LoginStateException(SignInRefusal.STATE_UNKNOWN);
        }
        Sealed sealed = unseal(state).orElseThrow(() -> new LoginStateException(SignInRefusal.STATE_UNKNOWN));
        // in the order the stored login transactions were refused in: a used one was gone whoever asked
        if (spent(sealed.state.id())) {
            throw new LoginStateException(SignInRefusal.STATE_UNKNOWN);
        }
        if (browserKey == null || !MessageDigest.isEqual(sealed.browserHash, browserHash(browserKey))) {
            if (sealed.startedHost != null && callbackHost != null && !sealed.startedHost.equalsIgnoreCase(callbackHost)) {
                throw new LoginStateException(SignInRefusal.STATE_OTHER_HOST, sealed.startedHost);
            }
            throw new LoginStateException(SignInRefusal.STATE_OTHER_BROWSER);
        }
        if (!sealed.state.providerId().equals(providerId)) {
            throw new LoginStateException(SignInRefusal.STATE_UNKNOWN);
        }
        if (!sealed.state.expiresAt().isAfter(clock.instant())) {
            throw new LoginStateException(SignInRefusal.STATE_EXPIRED);
        }
        return sealed.state;
    }

    /**
     * Spends the state's id in {@code h}'s transaction; call it first in the transaction that writes the outcome (or
     * alone, {@link #spend(LoginState)}, where the outcome writes nothing). A concurrent use of the same state waits
     * here until this transaction ends.
     *
     * @throws LoginStateException {@link SignInRefusal#STATE_UNKNOWN} when it was spent already (another use won):
     *     write nothing else
     */
    public void spend(Handle h, LoginState state) throws LoginStateException {
        int inserted = h.createUpdate("insert into spent_login_states (id, expires_at) values (:id, :expires) on conflict do nothing")
                .bind("id", idBytes(state.id())).bind("expires", OffsetDateTime.ofInstant(state.expiresAt(), ZoneOffset.UTC))
                .execute();
        if (inserted == 0) {
            throw new LoginStateException(SignInRefusal.STATE_UNKNOWN);
        }
    }

    /** Spends the state's id in a statement of its own, for an outcome that writes nothing. */
    public void spend(LoginState state) throws LoginStateException {
        jdbi.useHandle(h -> spend(h, state));
    }

    /** Spends the state's id and, in the same transaction, writes the outcome ({@code alongside}, say its event). */
    public void spend(LoginState state, Consumer<Handle> alongside) throws LoginStateException {
        jdbi.useTransaction(h -> {
            spend(h, state);
            alongside.accept(h);
        });
    }

    /**
     * Whether the id was spent. Planned afresh at every call, never as a prepared statement's generic plan: the table
     * is nearly empty when a broker first starts, a generic plan made then is a sequential scan (cheaper than the
     * primary key on a page or two), and the connection keeps it until autovacuum next analyses the table, which it
     * does ever more rarely as the table grows to fifteen minutes of sign-ins: 1.0 ms and ~50 pages per look-up in the
     * realistic bench, against 0.03 ms and 2 pages by the key.
     */
    private boolean spent(String id) {
        return jdbi.withHandle(h -> h.createQuery("select 1 from spent_login_states where id = :id")
                .addCustomizer(PLANNED_EACH_TIME)
                .bind("id", idBytes(id)).mapTo(Integer.class).findOne().isPresent());
    }

    /** Sends the statement unnamed (pgjdbc's prepare threshold 0), so PostgreSQL plans it with the value bound. */
    private static final StatementCustomizer PLANNED_EACH_TIME = new StatementCustomizer() {
        @Override
        public void beforeExecution(PreparedStatement statement, StatementContext ctx) throws SQLException {
            if (statement.isWrapperFor(PGStatement.class)) {
                statement.unwrap(PGStatement.class).setPrepareThreshold(0);
            }
        }
    };

    /** Deletes the ids of states that expired {@link #SPENT_KEPT_AFTER_EXPIRY} ago; returns how many. */
    public int purgeSpent() {
        int total = 0;
        int deleted;
        do {
            deleted = jdbi.withHandle(h -> h.createUpdate("""
                    delete from spent_login_states where id in (
                        select id from spent_login_states where expires_at < now() - cast(:kept as interval) limit :batch)""")
                    .bind("kept", SPENT_KEPT_AFTER_EXPIRY.toSeconds() + " seconds").bind("batch", PURGE_BATCH).execute());
            total += deleted;
        } while (deleted == PURGE_BATCH);
        return total;
    }

    /**
     * {@code authorizationUri} with {@code sealed} in place of the value of its {@code state} query parameter that is
     * {@code id} (the state the provider was given); every other part of the address as the provider wrote it. Empty
     * when no {@code state} parameter has that value (the provider type does not send the state it was given).
     */
    public static Optional<URI> carrying(URI authorizationUri, String id, String sealed) {
        String uri = authorizationUri.toString();
        int query = uri.indexOf('?');
        if (query < 0) {
            return Optional.empty();
        }
        int fragment = uri.indexOf('#', query);
        int end = fragment < 0 ? uri.length() : fragment;
        String[] pairs = uri.substring(query + 1, end).split("&", -1);
        boolean found = false;
        for (int i = 0; i < pairs.length; i++) {
            int equals = pairs[i].indexOf('=');
            if (equals > 0 && "state".equals(decoded(pairs[i].substring(0, equals)))
                    && id.equals(decoded(pairs[i].substring(equals + 1)))) {
                pairs[i] = pairs[i].substring(0, equals + 1) + sealed;
                found = true;
            }
        }
        if (!found) {
            return Optional.empty();
        }
        return Optional.of(URI.create(uri.substring(0, query + 1) + String.join("&", pairs) + uri.substring(end)));
    }

    private static String decoded(String component) {
        try {
            return URLDecoder.decode(component, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The state sealed in {@code value}; empty when it is not one this broker sealed, or was changed. */
    private Optional<Sealed> unseal(String value) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // only the one spelling: padding, or other bits in the last character, would decode to the same bytes
        if (!BASE64URL.encodeToString(bytes).equals(value)) {
            return Optional.empty();
        }
        byte[] plain;
        try {
            plain = cipher.decrypt(bytes, CONTEXT);
        } catch (SecretDecryptionException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(read(new Reader(plain)));
        } catch (MalformedState e) {
            return Optional.empty();
        }
    }

    private static Sealed read(Reader in) throws MalformedState {
        if (in.read() != VERSION) {
            throw new MalformedState();
        }
        Instant expires = Instant.ofEpochSecond(in.readLong());
        int modeCode = in.read();
        SignInMode mode = switch (modeCode) {
            case SIGN_IN -> SignInMode.SIGN_IN;
            case CLAIMS_PREVIEW -> SignInMode.CLAIMS_PREVIEW;
            default -> throw new MalformedState();
        };
        String id = BASE64URL.encodeToString(in.read(ID_BYTES));
        byte[] browserHash = in.read(BROWSER_HASH_BYTES);
        String providerId = in.readString();
        String redirectAfter = in.readString();
        UUID startedBy = null;
        if (in.readFlag()) {
            ByteBuffer uuid = ByteBuffer.wrap(in.read(16));
            startedBy = new UUID(uuid.getLong(), uuid.getLong());
        }
        String startedHost = in.readFlag() ? in.readString() : null;
        long entries = in.readVarint();
        Map<String, String> remembered = new LinkedHashMap<>();
        for (long i = 0; i < entries; i++) {
            String key = in.readString();
            long length = in.readVarint();
            remembered.put(key, length == 0 ? id : new String(in.read(length - 1), StandardCharsets.UTF_8));
        }
        if (!in.atEnd()) {
            throw new MalformedState();
        }
        return new Sealed(new LoginState(id, providerId, remembered, redirectAfter, mode, expires, startedBy), browserHash,
                startedHost);
    }

    private static byte[] browserHash(String browserKey) {
        return Arrays.copyOf(Tokens.hash(browserKey), BROWSER_HASH_BYTES);
    }

    private static byte[] idBytes(String id) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a login state id is 256 bits in base64url", e);
        }
        if (bytes.length != ID_BYTES) {
            throw new IllegalArgumentException("a login state id is 256 bits in base64url");
        }
        return bytes;
    }

    private record Sealed(LoginState state, byte[] browserHash, String startedHost) {
    }

    /** The sealed bytes are not a login state of this version (they decrypted, so only a broker bug could do that). */
    private static final class MalformedState extends Exception {
        MalformedState() {
            super(null, null, false, false);
        }
    }

    /** Lengths as LEB128 varints (one byte below 128), strings as their UTF-8 length and bytes. */
    private static final class Writer extends ByteArrayOutputStream {

        Writer() {
            super(256);
        }

        void writeLong(long value) {
            write(ByteBuffer.allocate(8).putLong(value).array(), 0, 8);
        }

        void writeVarint(long value) {
            long rest = value;
            while (rest >= 0x80) {
                write((int) (rest & 0x7f) | 0x80);
                rest >>>= 7;
            }
            write((int) rest);
        }

        void writeString(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            writeVarint(bytes.length);
            write(bytes, 0, bytes.length);
        }

        @Override
        public void write(byte[] bytes) {
            write(bytes, 0, bytes.length);
        }
    }

    private static final class Reader {

        private final byte[] bytes;
        private int at;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int read() throws MalformedState {
            if (at >= bytes.length) {
                throw new MalformedState();
            }
            return bytes[at++] & 0xff;
        }

        byte[] read(long length) throws MalformedState {
            if (length < 0 || length > bytes.length - at) {
                throw new MalformedState();
            }
            byte[] read = Arrays.copyOfRange(bytes, at, at + (int) length);
            at += (int) length;
            return read;
        }

        boolean readFlag() throws MalformedState {
            return switch (read()) {
                case 0 -> false;
                case 1 -> true;
                default -> throw new MalformedState();
            };
        }

        long readLong() throws MalformedState {
            return ByteBuffer.wrap(read(8)).getLong();
        }

        long readVarint() throws MalformedState {
            long value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = read();
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new MalformedState();
        }

        String readString() throws MalformedState {
            return new String(read(readVarint()), StandardCharsets.UTF_8);
        }

        boolean atEnd() {
            return at == bytes.length;
        }
    }
}
