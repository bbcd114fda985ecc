package org.idbroker.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.idbroker.core.TestingDatabase;
import org.idbroker.core.crypto.MasterKeyCheck;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.oauth.SigningKeys;
import org.idbroker.core.providers.ProviderStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every sealed value moves to the new key in one transaction; nodes given both keys follow; nothing else changes. */
class MasterKeyRotationTest {

    private static TestingDatabase db;

    @BeforeAll
    static void start() {
        db = TestingDatabase.start();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void movesEverySealedValueToTheNewKeyAndANodeWithBothKeysFollows() {
        byte[] oldKey = key();
        byte[] newKey = key();
        SecretCipher old = new SecretCipher(oldKey);
        MasterKeyCheck.verify(db.jdbi(), old);
        new ProviderStore(db.jdbi(), old).save("Rotated", "oidc", Map.of(), Map.of("clientSecret", "s3cret"));
        new SigningKeys(db.jdbi(), old, db.clock()).ensure(SigningKeys.Schedule.DEFAULT,
                () -> new SigningKeys.NewKey("kid-1", "RS256", "{}", "{\"d\":\"private\"}"));

        SecretCipher node = new SecretCipher(newKey, oldKey);
        MasterKeyCheck.verify(db.jdbi(), node);
        assertThat(node.sealsWithPreviousKey()).as("before the rotation a node given both keys seals with the old one").isTrue();

        MasterKeyRotation.Resealed first = new MasterKeyRotation(db.jdbi(), new SecretCipher(newKey, oldKey)).run();
        MasterKeyCheck.follow(db.jdbi(), node);

        assertThat(first.rotated()).isTrue();
        assertThat(first.counts()).containsEntry("provider secrets", 1).containsEntry("signing keys", 1)
                .containsEntry("session ID tokens", 0).doesNotContainKey("login transactions");
        assertThat(node.sealsWithPreviousKey()).isFalse();
        SecretCipher newAlone = new SecretCipher(newKey);
        assertThat(new ProviderStore(db.jdbi(), newAlone).find("Rotated").orElseThrow().secrets()).containsEntry("clientSecret", "s3cret");
        assertThat(new SigningKeys(db.jdbi(), newAlone, db.clock()).published()).extracting(SigningKeys.Key::privateJwk)
                .containsExactly("{\"d\":\"private\"}");
        assertThat(new ProviderStore(db.jdbi(), newAlone).find("Rotated").orElseThrow().version())
                .as("the same secrets: no node rebuilds the provider").isEqualTo(1);

        MasterKeyRotation.Resealed again = new MasterKeyRotation(db.jdbi(), new SecretCipher(newKey, oldKey)).run();
        assertThat(again.rotated()).isFalse();
        assertThat(again.total()).isZero();

        List<String> before = sealed();
        assertThatThrownBy(() -> new MasterKeyRotation(db.jdbi(), new SecretCipher(key(), key())).run())
                .isInstanceOf(MasterKeyRotation.WrongKeyException.class).hasMessageContaining("nothing was changed");
        assertThat(sealed()).isEqualTo(before);
    }

    private static List<String> sealed() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                select secrets::text from providers union all select encode(private_jwk, 'hex') from signing_keys
                order by 1""").mapTo(String.class).list());
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
