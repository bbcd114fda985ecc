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
        assertThatThrownBy(() -> new SecretCipher(key()).decrypt(sealed, "c")).hasMessageContaining("same master key");
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
}
