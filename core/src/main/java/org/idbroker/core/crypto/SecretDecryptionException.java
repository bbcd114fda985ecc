package org.idbroker.core.crypto;

/** A stored secret that does not decrypt: tampered, or encrypted under another master key. */
public final class SecretDecryptionException extends RuntimeException {
    public SecretDecryptionException(String message) {
        super(message);
    }
}
