package org.idbroker.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.server.config.ConfigApplier;
import org.idbroker.server.config.ConfigFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Make the broker as a configuration file (from 'idbroker export') describes it: sign-in providers, "
                + "users, teams with their members, external groups and roles, clients, session lifetimes.",
                "Prints one line per change and applies all of them in one transaction, or none. What the file does not "
                        + "name is left alone (removed with --prune). An invalid file changes nothing: every problem is listed "
                        + "with its line (exit 2)."})
final class ApplyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions db;

    @Mixin
    ProvidersOptions providers;

    @Parameters(index = "0", paramLabel = "FILE", description = "The configuration file (YAML).")
    Path file;

    @Option(names = "--dry-run", description = "Print what would change, and change nothing.")
    boolean dryRun;

    @Option(names = "--prune", description = "Also remove the providers, users, teams and clients the file does not name "
            + "(never the built-in teams, never the last administrator).")
    boolean prune;

    @Option(names = "--public-url", paramLabel = "URL",
            description = "The broker's public URL, from which the redirect URIs are built (default: ${DEFAULT-VALUE}). "
                    + "Env: IDBROKER_PUBLIC_URL.")
    URI publicUrl;

    @Override
    public Integer call() {
        URI normalizedUrl = CliException.publicUrl(publicUrl);
        byte[] bytes = read(file);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ConfigFile config = ConfigFile.parse(bytes);
            SecretCipher cipher = db.cipher();
            List<String> changes;
            try (DatabaseOptions.OpenDatabase open = db.open()) {
                changes = new ConfigApplier(open.database().jdbi(), open.providerStore(cipher), providers.load(),
                        normalizedUrl, System::getenv).apply(config, dryRun, prune);
            }
            changes.forEach(line -> out.println((dryRun ? "would " : "") + line));
            if (changes.isEmpty()) {
                out.println("no changes: the broker already is as " + file + " describes it");
            } else if (dryRun) {
                out.println("dry run: nothing was changed");
            } else {
                out.println("applied " + changes.size() + " change(s)");
            }
            out.flush();
            return 0;
        } catch (ConfigFile.InvalidFileException e) {
            err.println("idbroker: " + file + " was not applied, nothing changed: " + e.problems().size() + " problem(s)");
            e.problems().forEach(p -> err.println("  " + p));
            err.flush();
            return 2;
        }
    }

    /** The file's content, bounded; a file that cannot be read is a usage error (exit 2). */
    static byte[] read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(ConfigFile.MAX_BYTES + 1);
            if (bytes.length > ConfigFile.MAX_BYTES) {
                throw new CliException(file + " is larger than " + ConfigFile.MAX_BYTES + " bytes", 2);
            }
            return bytes;
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), 2);
        }
    }
}
