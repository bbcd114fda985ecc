package org.idbroker.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.server.providers.ProviderTypes;
import org.idbroker.server.support.SupportBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "support-bundle", mixinStandardHelpOptions = true,
        description = {"Write a zip for support: the IdPs' metadata documents, provider settings without secrets, user "
                + "accounts and their external identities, the latest failure events, versions and the doctor's findings.",
                "It holds no secret, token or key, but it does hold personal data: share it with care."})
final class SupportBundleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions db;

    @Mixin
    ProvidersOptions providers;

    @Option(names = "--output", required = true, paramLabel = "FILE.zip", description = "Where to write the bundle.")
    Path output;

    @Option(names = "--public-url", paramLabel = "URL", description = "The broker's public URL, for the redirect URI findings (default: ${DEFAULT-VALUE}). Env: IDBROKER_PUBLIC_URL.")
    URI publicUrl;

    @Override
    public Integer call() {
        URI normalizedUrl = CliException.publicUrl(publicUrl);
        Path parent = output.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new CliException("the folder of --output does not exist: " + parent, 2);
        }
        ProviderTypes types = providers.load();
        SecretCipher cipher = db.cipher();
        try (DatabaseOptions.OpenDatabase open = db.open()) {
            SupportBundle bundle = new SupportBundle(open.database().jdbi(), open.providerStore(cipher),
                    types, normalizedUrl, new Version().getVersion()[0]);
            List<String> entries;
            try {
                entries = bundle.write(output);
            } catch (IOException e) {
                throw new CliException("cannot write " + output + ": " + e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("Wrote " + output.toAbsolutePath() + " (" + entries.size() + " files). It holds no secret, token or key,"
                    + " but it holds user names and email addresses: share it only with the people helping you.");
            out.flush();
            return 0;
        }
    }
}
