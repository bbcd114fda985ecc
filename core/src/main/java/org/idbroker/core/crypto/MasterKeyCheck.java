package org.idbroker.core.crypto;

import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses to run with a master key other than the one the database's secrets were sealed with: a
 * node with another key would fail at every sign-in instead of once, at start, with a clear reason.
 * The database keeps the check of the key its secrets are under; a node given the previous key too
 * seals with whichever of its two keys that is, and follows a rotation when the check changes.
 */
public final class MasterKeyCheck {

    private static final String KEY = "master-key-check";
    private static final Logger LOG = LoggerFactory.getLogger(MasterKeyCheck.class);

    private MasterKeyCheck() {
    }

    public static void verify(Jdbi jdbi, SecretCipher cipher) {
        String stored = jdbi.inTransaction(h -> {
            h.createUpdate("insert into broker_settings (key, value) values (:key, :value) on conflict do nothing")
                    .bind("key", KEY).bind("value", cipher.keyCheck()).execute();
            return stored(h).orElseThrow();
        });
        if (!cipher.useKeyWithCheck(stored)) {
            throw new IllegalStateException(cipher.previousKeyCheck().isEmpty()
                    ? "this master key is not the one this database's secrets were encrypted with: "
                            + "give every node the same key (IDBROKER_MASTER_KEY or the same key file)"
                    : "neither the master key nor the previous master key is the one this database's secrets are "
                            + "encrypted with: give the key they are encrypted with now as the previous master key "
                            + "(IDBROKER_PREVIOUS_MASTER_KEY or --previous-master-key-file)");
        }
        if (cipher.sealsWithPreviousKey()) {
            LOG.info("The database's secrets are under the previous master key {}: this process encrypts with it until "
                    + "'idbroker rotate-master-key' moves them to master key {}", cipher.activeKeyId(), cipher.keyId());
        }
    }

    /**
     * Seals with the key the database names now (a node given both keys, after {@code rotate-master-key}).
     * Run every {@link #FOLLOW_INTERVAL_SECONDS} seconds by every node.
     */
    public static void follow(Jdbi jdbi, SecretCipher cipher) {
        Optional<String> stored = jdbi.withHandle(MasterKeyCheck::stored);
        if (stored.isEmpty()) {
            return;
        }
        String before = cipher.activeKeyId();
        if (!cipher.useKeyWithCheck(stored.get())) {
            LOG.error("The database's secrets were re-encrypted with a master key this node was not given: "
                    + "restart it with that key as --master-key-file (IDBROKER_MASTER_KEY)");
        } else if (!before.equals(cipher.activeKeyId())) {
            LOG.info("The database's secrets are now under master key {}: this node encrypts with it from now on",
                    cipher.activeKeyId());
        }
    }

    /** How often every node re-reads which key the database's secrets are under. */
    public static final int FOLLOW_INTERVAL_SECONDS = 2;

    /** The check of the key the database's secrets are under, locked for the rest of the transaction. */
    public static Optional<String> lockStored(Handle h) {
        return h.createQuery("select value from broker_settings where key = :key for update").bind("key", KEY)
                .mapTo(String.class).findOne();
    }

    /** Names the key the database's secrets are under from now on (in the caller's transaction). */
    public static void store(Handle h, String check) {
        h.createUpdate("""
                insert into broker_settings (key, value) values (:key, :value)
                on conflict (key) do update set value = excluded.value""").bind("key", KEY).bind("value", check).execute();
    }

    private static Optional<String> stored(Handle h) {
        return h.createQuery("select value from broker_settings where key = :key").bind("key", KEY)
                .mapTo(String.class).findOne();
    }
}
