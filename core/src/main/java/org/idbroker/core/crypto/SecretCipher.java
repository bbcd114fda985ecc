package org.idbroker.core.crypto;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest with AES-256-GCM under the master key. Each value gets a fresh 96-bit
 * nonce; the associated data binds a ciphertext to where it is stored, so a value copied to
 * another row or column does not decrypt. A value starts with the id of the key that sealed it
 * (version 2), so a node given the master key and the previous one (during a rotation) decrypts
 * either; values of version 1, from before key ids, are tried with both keys.
 *
 * <p>Values are sealed with the active key: the master key, or the previous one while the database
 * says its secrets are still under that one ({@link #useKeyWithCheck}), so that nodes not yet given
 * the new key can read everything until {@code idbroker rotate-master-key} has run.
 */
public final class SecretCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte UNNAMED_KEY = 1;
    private static final byte NAMED_KEY = 2;

    private final MasterKey current;
    private final MasterKey previous;
    private volatile MasterKey active;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(byte[] masterKey) {
        this(masterKey, null);
    }

    /** @param previousKey the key a rotation replaces, accepted for decryption; {@code null} for none */
    public SecretCipher(byte[] masterKey, byte[] previousKey) {
        this.current = new MasterKey(requireNonNull(masterKey, "masterKey is null"));
        this.previous = previousKey == null ? null : new MasterKey(previousKey);
        if (previous != null && Arrays.equals(previous.id, current.id)) {
            throw new IllegalArgumentException("the previous master key is the same key as the master key");
        }
        this.active = current;
    }

    public byte[] encrypt(byte[] plaintext, String context) {
        requireNonNull(plaintext, "plaintext is null");
        MasterKey key = active;
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + MasterKey.ID_BYTES + NONCE_BYTES + sealed.length)
                    .put(NAMED_KEY).put(key.id).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public byte[] decrypt(byte[] sealed, String context) {
        requireNonNull(sealed, "sealed is null");
        if (sealed.length > 0 && sealed[0] == NAMED_KEY && sealed.length >= 1 + MasterKey.ID_BYTES + NONCE_BYTES + TAG_BITS / 8) {
            byte[] id = Arrays.copyOfRange(sealed, 1, 1 + MasterKey.ID_BYTES);
            MasterKey key = Arrays.equals(id, current.id) ? current
                    : previous != null && Arrays.equals(id, previous.id) ? previous : null;
            if (key == null) {
                throw new SecretDecryptionException("a stored secret is encrypted with master key "
                        + HexFormat.of().formatHex(id) + ", which this process was not given (it has " + keyIds()
                        + "): every node must use the key the database's secrets are encrypted with");
            }
            return open(key, sealed, 1 + MasterKey.ID_BYTES, context)
                    .orElseThrow(() -> new SecretDecryptionException("a stored secret does not decrypt: it was changed"));
        }
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != UNNAMED_KEY) {
            throw new SecretDecryptionException("the stored value is not an IdBroker secret");
        }
        MasterKey first = active;
        MasterKey second = first == current ? previous : current;
        return open(first, sealed, 1, context)
                .or(() -> second == null ? Optional.empty() : open(second, sealed, 1, context))
                .orElseThrow(() -> new SecretDecryptionException("a stored secret cannot be decrypted with this master key: "
                        + "every node must use the same master key (IDBROKER_MASTER_KEY or the key file)"));
    }

    private static Optional<byte[]> open(MasterKey key, byte[] sealed, int nonceAt, String context) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.key, new GCMParameterSpec(TAG_BITS, sealed, nonceAt, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            int at = nonceAt + NONCE_BYTES;
            return Optional.of(cipher.doFinal(sealed, at, sealed.length - at));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    public String encryptString(String plaintext, String context) {
        return Base64.getEncoder().encodeToString(encrypt(plaintext.getBytes(StandardCharsets.UTF_8), context));
    }

    public String decryptString(String sealed, String context) {
        return new String(decrypt(base64(sealed), context), StandardCharsets.UTF_8);
    }

    /** {@code sealed} as the active key seals it: unchanged when it already is, else decrypted and encrypted again. */
    public byte[] reseal(byte[] sealed, String context) {
        MasterKey key = active;
        boolean sealedWithActive = sealed.length > 1 + MasterKey.ID_BYTES && sealed[0] == NAMED_KEY
                && Arrays.equals(Arrays.copyOfRange(sealed, 1, 1 + MasterKey.ID_BYTES), key.id);
        return sealedWithActive ? sealed : encrypt(decrypt(sealed, context), context);
    }

    /** Like {@link #reseal(byte[], String)} for a value stored as base64. */
    public String resealString(String sealed, String context) {
        byte[] bytes = base64(sealed);
        byte[] resealed = reseal(bytes, context);
        return resealed == bytes ? sealed : Base64.getEncoder().encodeToString(resealed);
    }

    private static byte[] base64(String sealed) {
        try {
            return Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new SecretDecryptionException("the stored value is not an IdBroker secret");
        }
    }

    /** A value that identifies the master key without revealing it, stored to detect nodes with another key. */
    public String keyCheck() {
        return current.check;
    }

    /** The {@link #keyCheck()} of the previous key, when one was given. */
    public Optional<String> previousKeyCheck() {
        return Optional.ofNullable(previous).map(k -> k.check);
    }

    /** The id stored in front of the values this cipher seals now (16 hex digits; reveals nothing of the key). */
    public String activeKeyId() {
        return active.hexId();
    }

    /** The id of the master key (not the previous one). */
    public String keyId() {
        return current.hexId();
    }

    /** Whether values are sealed with the previous key (the database's secrets are still under it). */
    public boolean sealsWithPreviousKey() {
        return active == previous;
    }

    /**
     * Seals with the given key from now on: the master key or the previous one, whichever {@code check} names.
     *
     * @return false, changing nothing, when {@code check} names neither
     */
    public boolean useKeyWithCheck(String check) {
        if (current.check.equals(check)) {
            active = current;
            return true;
        }
        if (previous != null && previous.check.equals(check)) {
            active = previous;
            return true;
        }
        return false;
    }

    private String keyIds() {
        return previous == null ? "key " + current.hexId() : "keys " + current.hexId() + " and " + previous.hexId();
    }

    /** One AES key, its id (stored in each value) and its check (stored once, in the database). */
    private static final class MasterKey {

        static final int ID_BYTES = 8;

        final SecretKey key;
        final byte[] id;
        final String check;

        MasterKey(byte[] bytes) {
            if (bytes.length != 32) {
                throw new IllegalArgumentException("the master key must be 32 bytes (256 bits), got " + bytes.length);
            }
            this.key = new SecretKeySpec(bytes.clone(), "AES");
            this.id = Arrays.copyOf(MasterKeyDigest.of(bytes, "idbroker master key id"), ID_BYTES);
            this.check = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MasterKeyDigest.of(bytes, "idbroker master key check"));
        }

        String hexId() {
            return HexFormat.of().formatHex(id);
        }
    }
}
