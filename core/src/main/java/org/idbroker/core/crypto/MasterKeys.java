package org.idbroker.core.crypto;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads the master key from {@code IDBROKER_MASTER_KEY}, or from a key file made at first start. */
public final class MasterKeys {

    private static final Logger LOG = LoggerFactory.getLogger(MasterKeys.class);

    private MasterKeys() {
    }

    /**
     * @param fromEnvironment the base64 key given in the environment, or {@code null}
     * @param keyFile where the key file is (created with owner-only permissions when missing)
     */
    public static byte[] load(String fromEnvironment, Path keyFile) {
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return decode(fromEnvironment.trim(), "IDBROKER_MASTER_KEY");
        }
        try {
            if (Files.exists(keyFile)) {
                return decode(Files.readString(keyFile).trim(), keyFile.toString());
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Path parent = keyFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(keyFile);
            } catch (FileAlreadyExistsException e) {
                // made by another process a moment ago
                return decode(Files.readString(keyFile).trim(), keyFile.toString());
            }
            Files.writeString(keyFile, Base64.getEncoder().encodeToString(key) + "\n", StandardOpenOption.TRUNCATE_EXISTING);
            LOG.warn("Created a new master key in {}. Back it up: without it the secrets stored in the database "
                    + "cannot be decrypted. Every node must use the same key.", keyFile.toAbsolutePath());
            return key;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the master key file " + keyFile.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a key that must exist already (the previous key of a rotation, the new key it rotates to): from the
     * environment variable {@code variable} when it holds one, else from {@code keyFile}; never creates one.
     *
     * @param keyFile the file, or {@code null} when none was named
     * @param what what the key is, for messages ("the previous master key")
     * @param howToGive the options that give it, for messages
     */
    public static byte[] read(String fromEnvironment, String variable, Path keyFile, String what, String howToGive) {
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return decode(fromEnvironment.trim(), variable);
        }
        if (keyFile == null) {
            throw new IllegalStateException(what + " is needed: give it with " + howToGive);
        }
        if (!Files.isRegularFile(keyFile)) {
            throw new IllegalStateException("the file of " + what + ", " + keyFile.toAbsolutePath() + ", does not exist"
                    + " (make a new key with: openssl rand -base64 32 > FILE; chmod 600 FILE)");
        }
        try {
            return decode(Files.readString(keyFile).trim(), keyFile.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + what + " from " + keyFile.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static byte[] decode(String base64, String where) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the master key in " + where + " is not base64", e);
        }
        if (key.length != 32) {
            throw new IllegalStateException("the master key in " + where + " must be 32 bytes encoded in base64 "
                    + "(for example: openssl rand -base64 32), got " + key.length + " bytes");
        }
        return key;
    }
}
