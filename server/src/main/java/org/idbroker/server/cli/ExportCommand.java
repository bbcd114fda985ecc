package org.idbroker.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.server.config.ConfigExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write the broker's configuration (sign-in providers, users, teams, clients, session lifetimes) as a YAML "
                + "file that 'idbroker apply' reads.",
                "Secrets are written as references {env: NAME}, never their values."})
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions db;

    @Mixin
    ProvidersOptions providers;

    @Option(names = "--output", paramLabel = "FILE", description = "Write to this file instead of the standard output.")
    Path output;

    @Override
    public Integer call() {
        SecretCipher cipher = db.cipher();
        String yaml;
        try (DatabaseOptions.OpenDatabase open = db.open()) {
            yaml = new ConfigExporter(open.database().jdbi(), open.providerStore(cipher), providers.load()).export();
        }
        if (output == null) {
            spec.commandLine().getOut().print(yaml);
            spec.commandLine().getOut().flush();
        } else {
            try {
                Files.writeString(output, yaml);
            } catch (IOException e) {
                throw new CliException("cannot write " + output + ": " + e.getMessage());
            }
            spec.commandLine().getOut().println("Wrote the configuration to " + output + ".");
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
