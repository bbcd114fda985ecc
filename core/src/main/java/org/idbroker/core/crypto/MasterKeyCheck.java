package org.idbroker.core.crypto;

import org.jdbi.v3.core.Jdbi;

/**
 * Refuses to run with a master key other than the one the database's secrets were sealed with: a
 * node with another key would fail at every sign-in instead of once, at start, with a clear reason.
 */
public final class MasterKeyCheck {

    private static final String KEY = "master-key-check";

    private MasterKeyCheck() {
    }

    public static void verify(Jdbi jdbi, SecretCipher cipher) {
        String expected = cipher.keyCheck();
        String stored = jdbi.inTransaction(h -> {
            h.createUpdate("insert into broker_settings (key, value) values (:key, :value) on conflict do nothing")
                    .bind("key", KEY).bind("value", expected).execute();
            return h.createQuery("select value from broker_settings where key = :key").bind("key", KEY)
                    .mapTo(String.class).one();
        });
        if (!stored.equals(expected)) {
            throw new IllegalStateException("this master key is not the one this database's secrets were encrypted with: "
                    + "give every node the same key (IDBROKER_MASTER_KEY or the same key file)");
        }
    }
}
