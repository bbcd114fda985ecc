package org.idbroker.core.admin;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.idbroker.core.crypto.MasterKeyCheck;
import org.idbroker.core.crypto.SealedColumn;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.events.Events;
import org.idbroker.core.oauth.SigningKeys;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.core.sessions.Sessions;
import org.jdbi.v3.core.Jdbi;

/**
 * Moves every value sealed with the master key to a new key in one transaction: provider secrets, the OpenID
 * Provider's signing keys and the upstream ID tokens of sessions, then names the new key as the one the database's
 * secrets are under. Login states are not stored (the browser carries them, {@code LoginStates}): one sealed with
 * the previous key still opens while nodes are given that key, and once they are not, a sign-in started before
 * the rotation is refused and starts again. Until it commits, every node reads the values as they were; a rotation
 * that fails or is interrupted changes nothing. Running it again with the same keys seals what nodes still
 * switching wrote with the previous key meanwhile.
 */
public final class MasterKeyRotation {

    private static final Map<String, SealedColumn> COLUMNS = Map.of(
            "signing keys", SigningKeys.SEALED,
            "session ID tokens", Sessions.SEALED);

    private final Jdbi jdbi;
    private final SecretCipher cipher;

    /** @param cipher the new key as its master key, the key the secrets are under now as its previous key */
    public MasterKeyRotation(Jdbi jdbi, SecretCipher cipher) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.cipher = requireNonNull(cipher, "cipher is null");
        if (cipher.previousKeyCheck().isEmpty()) {
            throw new IllegalArgumentException("a rotation needs the previous master key");
        }
    }

    /** What one run sealed again, by kind of value, in a stable order. */
    public record Resealed(Map<String, Integer> counts, boolean rotated) {

        public int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * Seals everything with the new key and names it in the database, in one transaction.
     *
     * @return what was sealed again; {@code rotated} is false when the database was under the new key already
     * @throws WrongKeyException when the database's secrets are under neither key (nothing is changed)
     * @throws org.idbroker.core.crypto.SecretDecryptionException when a value decrypts with neither key (nothing is changed)
     */
    public Resealed run() {
        cipher.useKeyWithCheck(cipher.keyCheck());
        return jdbi.inTransaction(h -> {
            Optional<String> stored = MasterKeyCheck.lockStored(h);
            boolean rotated = stored.isEmpty() || !stored.get().equals(cipher.keyCheck());
            if (rotated && stored.isPresent() && !stored.equals(cipher.previousKeyCheck())) {
                throw new WrongKeyException("the previous master key is not the key this database's secrets are "
                        + "encrypted with (nor is the new one): give the key the nodes use now as the previous master key; "
                        + "nothing was changed");
            }
            Map<String, Integer> counts = new LinkedHashMap<>();
            counts.put("provider secrets", ProviderStore.reseal(h, cipher));
            COLUMNS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(column -> counts.put(column.getKey(), column.getValue().reseal(h, cipher)));
            MasterKeyCheck.store(h, cipher.keyCheck());
            if (rotated) {
                Events.record(h, "master-key-rotated", "success", null,
                        "secrets re-encrypted with master key " + cipher.keyId(), null, null, Map.copyOf(counts));
            }
            return new Resealed(counts, rotated);
        });
    }

    /** The database's secrets are under neither key given. */
    public static final class WrongKeyException extends RuntimeException {
        WrongKeyException(String message) {
            super(message);
        }
    }
}
