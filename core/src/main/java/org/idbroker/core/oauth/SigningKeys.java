package org.idbroker.core.oauth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.idbroker.core.crypto.SealedColumn;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.users.Users;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The keys the broker signs tokens with, in PostgreSQL so every node signs with the same current key.
 * A key is published (in the JWKS) from its creation, signs from {@code activatesAt} until
 * {@code retiresAt}, and stays published until {@code expiresAt}, after every token it signed has
 * expired. The next key is made {@link Schedule#lead()} before the current one retires, so relying
 * parties see it before it is used. Private keys are stored encrypted with the master key. Key
 * material is opaque here (JWK JSON): the server makes and uses it.
 */
public final class SigningKeys {

    /** Taken in the transaction that decides on a new key, so two nodes never both make one. */
    private static final long LOCK = 0x1db0_4e75_1a61_0001L;
    /** The algorithm of the keys made and used when none is named. */
    public static final String DEFAULT_ALGORITHM = "RS256";

    private final Jdbi jdbi;
    private final SecretCipher cipher;
    private final Clock clock;

    public SigningKeys(Jdbi jdbi, SecretCipher cipher, Clock clock) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.cipher = requireNonNull(cipher, "cipher is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * How keys rotate.
     *
     * @param period how long a key signs
     * @param lead how long before use the next key is published
     * @param keep how long a retired key stays published: at least the longest token lifetime
     */
    public record Schedule(Duration period, Duration lead, Duration keep) {
        public static final Schedule DEFAULT = new Schedule(Duration.ofDays(30), Duration.ofDays(2), Duration.ofDays(2));

        public Schedule {
            requireNonNull(period, "period is null");
            requireNonNull(lead, "lead is null");
            requireNonNull(keep, "keep is null");
            if (lead.compareTo(period) >= 0) {
                throw new IllegalArgumentException("the lead must be shorter than the period");
            }
        }
    }

    /** New key material: the public and private JWK as JSON. */
    public record NewKey(String kid, String algorithm, String publicJwk, String privateJwk) {
        @Override
        public String toString() {
            return "NewKey[kid=" + kid + ", algorithm=" + algorithm + ", privateJwk=(hidden)]";
        }
    }

    /** A stored key, decrypted. */
    public record Key(String kid, String algorithm, String publicJwk, String privateJwk, Instant activatesAt,
            Instant retiresAt, Instant expiresAt) {
        public boolean signsAt(Instant now) {
            return !activatesAt.isAfter(now) && retiresAt.isAfter(now);
        }

        @Override
        public String toString() {
            return "Key[kid=" + kid + ", algorithm=" + algorithm + ", activatesAt=" + activatesAt + ", retiresAt=" + retiresAt
                    + ", privateJwk=(hidden)]";
        }
    }

    /** Every published key, oldest first. */
    public List<Key> published() {
        return jdbi.withHandle(this::published);
    }

    private List<Key> published(Handle h) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return h.createQuery("""
                select kid, algorithm, public_jwk, private_jwk, activates_at, retires_at, expires_at from signing_keys
                where expires_at > :now order by activates_at, kid""").bind("now", now)
                .map((rs, ctx) -> {
                    String kid = rs.getString("kid");
                    return new Key(kid, rs.getString("algorithm"), rs.getString("public_jwk"),
                            new String(cipher.decrypt(rs.getBytes("private_jwk"), context(kid)), StandardCharsets.UTF_8),
                            Users.instant(rs, "activates_at"), Users.instant(rs, "retires_at"), Users.instant(rs, "expires_at"));
                }).list();
    }

    /** The RS256 key that signs now: of those active, the latest to activate. */
    public static Optional<Key> current(List<Key> keys, Instant now) {
        return current(keys, DEFAULT_ALGORITHM, now);
    }

    /** The key of {@code algorithm} that signs now: of those active, the latest to activate. */
    public static Optional<Key> current(List<Key> keys, String algorithm, Instant now) {
        return keys.stream().filter(k -> k.algorithm().equals(algorithm) && k.signsAt(now)).max(Comparator.comparing(Key::activatesAt));
    }

    /**
     * Makes the keys the schedule asks for: a current key when there is none, and the next one once the
     * current one is within the lead of retiring. One node at a time decides (an advisory lock); the
     * others see its keys. Returns how many keys were made.
     */
    public int ensure(Schedule schedule, Supplier<NewKey> generator) {
        return ensure(schedule, DEFAULT_ALGORITHM, generator);
    }

    /** {@link #ensure(Schedule, Supplier)} for the keys of {@code algorithm}, each algorithm on its own schedule. */
    public int ensure(Schedule schedule, String algorithm, Supplier<NewKey> generator) {
        return jdbi.inTransaction(h -> {
            h.execute("select pg_advisory_xact_lock(?)", LOCK);
            Instant now = clock.instant();
            List<Key> keys = published(h).stream().filter(k -> k.algorithm().equals(algorithm)).toList();
            int made = 0;
            Optional<Key> current = current(keys, algorithm, now);
            Instant activates;
            if (current.isEmpty()) {
                activates = now;
            } else {
                Instant retires = current.get().retiresAt();
                boolean nextExists = keys.stream().anyMatch(k -> k.activatesAt().isAfter(now));
                if (nextExists || retires.minus(schedule.lead()).isAfter(now)) {
                    activates = null;
                } else {
                    activates = retires;
                }
            }
            if (activates != null) {
                insert(h, generator.get(), activates, schedule);
                made++;
            }
            h.createUpdate("delete from signing_keys where expires_at < :now").bind("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                    .execute();
            return made;
        });
    }

    private void insert(Handle h, NewKey key, Instant activates, Schedule schedule) {
        Instant retires = activates.plus(schedule.period());
        h.createUpdate("""
                insert into signing_keys (kid, algorithm, public_jwk, private_jwk, activates_at, retires_at, expires_at)
                values (:kid, :alg, :public, :private, :activates, :retires, :expires)""")
                .bind("kid", key.kid()).bind("alg", key.algorithm()).bind("public", key.publicJwk())
                .bind("private", cipher.encrypt(key.privateJwk().getBytes(StandardCharsets.UTF_8), context(key.kid())))
                .bind("activates", OffsetDateTime.ofInstant(activates, ZoneOffset.UTC))
                .bind("retires", OffsetDateTime.ofInstant(retires, ZoneOffset.UTC))
                .bind("expires", OffsetDateTime.ofInstant(retires.plus(schedule.keep()), ZoneOffset.UTC))
                .execute();
    }

    /** The private halves, sealed with the master key (for {@code rotate-master-key}). */
    public static final SealedColumn SEALED = new SealedColumn("signing_keys", "kid", "private_jwk", kid -> context((String) kid));

    private static String context(String kid) {
        return "signing-key:" + kid;
    }
}
