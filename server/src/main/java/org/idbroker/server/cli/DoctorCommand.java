package org.idbroker.server.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.providers.ProviderRecord;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.server.providers.BrokerSettings;
import org.idbroker.server.providers.ProviderDoctor;
import org.idbroker.spi.Finding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check sign-in providers the way an expert would: discovery, issuer, keys, algorithms, client "
                + "authentication, scopes, clocks and the redirect URI to register.",
                "Prints one line per finding: OK|WARN|FAIL  check  message. Exit code 0 when nothing FAILs, 1 otherwise."})
final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions db;

    @Mixin
    ProvidersOptions providers;

    @Option(names = "--provider", paramLabel = "ID",
            description = "The provider instance to check, even when disabled (default: every enabled one).")
    String provider;

    @Option(names = "--public-url", paramLabel = "URL", description = "The broker's public URL, from which the redirect URI is built (default: ${DEFAULT-VALUE}). "
                    + "Env: IDBROKER_PUBLIC_URL.")
    URI publicUrl;

    @Override
    public Integer call() {
        URI normalizedUrl = CliException.publicUrl(publicUrl);
        ProviderDoctor doctor = new ProviderDoctor(providers.load(), normalizedUrl);
        SecretCipher cipher = db.cipher();
        PrintWriter out = spec.commandLine().getOut();
        try (DatabaseOptions.OpenDatabase open = db.open()) {
            ProviderStore store = open.providerStore(cipher);
            List<ProviderRecord> records;
            if (provider != null) {
                records = List.of(store.find(provider).orElseThrow(() -> new CliException("there is no provider '" + provider
                        + "'; configured: " + store.list().stream().map(ProviderRecord::id).toList(), 2)));
            } else {
                records = store.list();
            }
            boolean failed = false;
            for (ProviderRecord record : records) {
                out.println("Provider " + record.id() + " (type " + record.type() + ")");
                boolean enabled = BrokerSettings.enabled(record.settings());
                if (provider == null && !enabled) {
                    out.println(ProviderDoctor.format(Finding.warn("enabled", "the provider is disabled and was not checked;"
                            + " run 'idbroker doctor --provider " + record.id() + "' to check it before enabling it")));
                    continue;
                }
                List<Finding> findings = doctor.examine(record);
                findings.forEach(f -> out.println(ProviderDoctor.format(f)));
                failed |= ProviderDoctor.failed(findings);
            }
            if (records.isEmpty()) {
                out.println(ProviderDoctor.format(Finding.warn("providers", "no provider is configured: run 'idbroker configure'")));
            }
            out.flush();
            return failed ? 1 : 0;
        }
    }
}
