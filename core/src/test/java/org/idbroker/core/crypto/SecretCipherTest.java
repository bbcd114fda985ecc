package org.idbroker.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private final SecretCipher cipher = new SecretCipher(key());

    @Test
    void roundTripsAndNeverShowsThePlaintext() {
        String sealed = cipher.encryptString("the-client-secret", "provider:A:clientSecret");
        assertThat(sealed).doesNotContain("the-client-secret");
        assertThat(cipher.decryptString(sealed, "provider:A:clientSecret")).isEqualTo("the-client-secret");
        assertThat(cipher.encryptString("the-client-secret", "provider:A:clientSecret")).isNotEqualTo(sealed);
    }

    @Test
    void refusesAValueMovedToAnotherPlace() {
        String sealed = cipher.encryptString("s", "provider:A:clientSecret");
        assertThatThrownBy(() -> cipher.decryptString(sealed, "provider:B:clientSecret"))
                .isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void refusesAnotherKeyAndTamperedValues() {
        byte[] sealed = cipher.encrypt("s".getBytes(StandardCharsets.UTF_8), "c");
        assertThatThrownBy(() -> new SecretCipher(key()).decrypt(sealed, "c"))
                .hasMessageContaining("encrypted with master key " + cipher.keyId() + ", which this process was not given");
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> cipher.decrypt(sealed, "c")).isInstanceOf(SecretDecryptionException.class);
        assertThatThrownBy(() -> cipher.decryptString("not base64!", "c")).isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void keyCheckIdentifiesTheKeyWithoutRevealingIt() {
        byte[] key = key();
        assertThat(new SecretCipher(key).keyCheck()).isEqualTo(new SecretCipher(key).keyCheck()).isNotEqualTo(cipher.keyCheck());
        assertThatThrownBy(() -> new SecretCipher(new byte[16])).hasMessageContaining("32 bytes");
    }

    @Test
    void aValueNamesItsKeySoTheMasterKeyAndThePreviousOneBothDecrypt() {
        byte[] oldKey = key();
        byte[] newKey = key();
        SecretCipher old = new SecretCipher(oldKey);
        SecretCipher both = new SecretCipher(newKey, oldKey);
        byte[] underOld = old.encrypt("s".getBytes(StandardCharsets.UTF_8), "c");
        byte[] underNew = both.encrypt("t".getBytes(StandardCharsets.UTF_8), "c");

        assertThat(both.decrypt(underOld, "c")).asString(StandardCharsets.UTF_8).isEqualTo("s");
        assertThat(new SecretCipher(newKey).decrypt(underNew, "c")).asString(StandardCharsets.UTF_8).isEqualTo("t");
        assertThatThrownBy(() -> old.decrypt(underNew, "c")).isInstanceOf(SecretDecryptionException.class)
                .hasMessageContaining(both.keyId());
        assertThatThrownBy(() -> new SecretCipher(oldKey, oldKey)).hasMessageContaining("same key");
    }

    @Test
    void sealsWithWhicheverKeyTheDatabaseNamesAndResealsOnlyWhatIsUnderTheOther() {
        byte[] oldKey = key();
        byte[] newKey = key();
        SecretCipher both = new SecretCipher(newKey, oldKey);
        assertThat(both.useKeyWithCheck(new SecretCipher(oldKey).keyCheck())).isTrue();
        assertThat(both.sealsWithPreviousKey()).isTrue();
        byte[] underOld = both.encrypt("s".getBytes(StandardCharsets.UTF_8), "c");
        assertThat(new SecretCipher(oldKey).decrypt(underOld, "c")).asString(StandardCharsets.UTF_8).isEqualTo("s");
        assertThat(both.useKeyWithCheck(new SecretCipher(key()).keyCheck())).as("a third key").isFalse();
        assertThat(both.sealsWithPreviousKey()).isTrue();

        assertThat(both.useKeyWithCheck(both.keyCheck())).isTrue();
        byte[] resealed = both.reseal(underOld, "c");
        assertThat(new SecretCipher(newKey).decrypt(resealed, "c")).asString(StandardCharsets.UTF_8).isEqualTo("s");
        assertThat(both.reseal(resealed, "c")).isSameAs(resealed);
    }

    @Test
    void decryptsValuesSealedBeforeKeyIdsWithEitherKey() throws Exception {
        byte[] oldKey = key();
        // version 1: 1, nonce, AES-GCM ciphertext and tag, as stored before values named their key
        byte[] nonce = new byte[12];
        javax.crypto.Cipher gcm = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(oldKey, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, nonce));
        gcm.updateAAD("c".getBytes(StandardCharsets.UTF_8));
        byte[] body = gcm.doFinal("s".getBytes(StandardCharsets.UTF_8));
        byte[] v1 = java.nio.ByteBuffer.allocate(1 + 12 + body.length).put((byte) 1).put(nonce).put(body).array();

        assertThat(new SecretCipher(key(), oldKey).decrypt(v1, "c")).asString(StandardCharsets.UTF_8).isEqualTo("s");
        assertThatThrownBy(() -> new SecretCipher(key()).decrypt(v1, "c")).isInstanceOf(SecretDecryptionException.class);
    }
}
