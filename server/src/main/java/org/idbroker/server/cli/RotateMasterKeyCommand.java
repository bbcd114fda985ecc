package org.idbroker.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.idbroker.core.admin.MasterKeyRotation;
import org.idbroker.core.crypto.MasterKeyCheck;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.crypto.SecretDecryptionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "rotate-master-key", mixinStandardHelpOptions = true,
        description = {"Re-encrypt every stored secret (provider secrets, signing keys, session ID "
                + "tokens) with a new master key, in one transaction, and exit.",
                "The new key is --master-key-file (or IDBROKER_MASTER_KEY; it must exist: openssl rand -base64 32 > FILE), "
                        + "the key the secrets are under now is --previous-master-key-file (or IDBROKER_PREVIOUS_MASTER_KEY). "
                        + "Give every node both keys first; see the README's \"Rotating the master key\"."})
final class RotateMasterKeyCommand implements Callable<Integer> {

    /** Longer than a node takes to notice the rotation, so what it sealed with the previous key meanwhile is swept. */
    static final long SWEEP_AFTER_MILLIS = (MasterKeyCheck.FOLLOW_INTERVAL_SECONDS + 1) * 1000L;

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions db;

    @Override
    public Integer call() throws InterruptedException {
        SecretCipher cipher = db.rotationCipher();
        PrintWriter out = spec.commandLine().getOut();
        try (DatabaseOptions.OpenDatabase open = db.open()) {
            MasterKeyRotation rotation = new MasterKeyRotation(open.database().jdbi(), cipher);
            MasterKeyRotation.Resealed first = rotation.run();
            out.println((first.rotated() ? "Rotated: " : "The secrets were under master key " + cipher.keyId()
                    + " already; swept: ") + describe(first) + " re-encrypted with master key " + cipher.keyId() + ".");
            out.flush();
            Thread.sleep(SWEEP_AFTER_MILLIS);
            MasterKeyRotation.Resealed sweep = rotation.run();
            if (sweep.total() > 0) {
                out.println("Then " + describe(sweep) + " that nodes wrote with the previous key while switching.");
            }
            out.println("Every node given both keys now encrypts with the new key. Restart the nodes with only the new key "
                    + "(drop --previous-master-key-file), then destroy the previous key.");
            out.flush();
            return 0;
        } catch (MasterKeyRotation.WrongKeyException | SecretDecryptionException e) {
            throw new CliException(e.getMessage()
                    + (e instanceof SecretDecryptionException ? "; nothing was changed" : ""));
        }
    }

    private static String describe(MasterKeyRotation.Resealed resealed) {
        return resealed.counts().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }
}
