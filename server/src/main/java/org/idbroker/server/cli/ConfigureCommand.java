package org.idbroker.server.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.providers.ProviderRecord;
import org.idbroker.server.BrokerConfig;
import org.idbroker.server.providers.BrokerSettings;
import org.idbroker.server.providers.InvalidConfigurationException;
import org.idbroker.server.providers.ProviderConfigurator;
import org.idbroker.server.providers.ProviderTypes;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.SignInStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "configure", mixinStandardHelpOptions = true,
        description = {"Create or change a sign-in provider instance. Settings left out keep their value (or the type's preset).",
                "Prints the redirect URI and the back-channel logout URI to register at the IdP."})
final class ConfigureCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions db;

    @Mixin
    ProvidersOptions providers;

    @Option(names = "--provider", required = true, paramLabel = "ID",
            description = "The instance id, used in its URLs (the redirect URI ends with it).")
    String provider;

    @Option(names = "--type", paramLabel = "TYPE", description = "The provider type, one of those installed (listed below;"
            + " default: the instance's current type, for a new instance the one marked as the default).")
    String type;

    @Option(names = "--public-url", paramLabel = "URL", description = "The broker's public URL, to print the redirect URI (default: ${DEFAULT-VALUE}). Env: IDBROKER_PUBLIC_URL.")
    URI publicUrl;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Any other setting of the type, by its name (repeatable).")
    Map<String, String> other = new LinkedHashMap<>();

    @Option(names = "--set-file", paramLabel = "NAME=FILE",
            description = "A setting of the type read from a file, such as a PEM certificate of several lines (repeatable).")
    Map<String, Path> otherFiles = new LinkedHashMap<>();

    /** Gone: every secret setting has its own option ({@code --bind-password-file}); kept, hidden, to say so. */
    @Option(names = "--secret-file", paramLabel = "NAME=FILE", hidden = true)
    Map<String, Path> secretFiles = new LinkedHashMap<>();

    /** The options of the installed types' settings, made before the command line is parsed ({@link #withOptionsOf}). */
    private ProviderSettingOptions settingOptions;

    /** Gives the command one option per setting of these types, and the types' list at the end of its help. */
    static void withOptionsOf(picocli.CommandLine configure, ProviderTypes types) {
        ConfigureCommand command = configure.getCommand();
        command.settingOptions = ProviderSettingOptions.addTo(configure.getCommandSpec(), types);
        String defaultType = types.defaultForNewInstances().map(IdentityProviderFactory::type).orElse("");
        configure.getCommandSpec().usageMessage().footer("", "Installed types: " + String.join(", ", types.all().stream()
                .map(f -> f.type() + " (" + f.displayName() + (f.type().equals(defaultType) ? ", the default" : "") + ")")
                .toList()) + ".");
    }

    @Override
    public Integer call() {
        if (!secretFiles.isEmpty()) {
            throw new CliException("--secret-file was removed: every secret setting has an option of its own, "
                    + String.join(", ", secretFiles.entrySet().stream()
                            .map(e -> settingOptions.secretOptionFor(e.getKey(), e.getValue())).toList())
                    + " ('idbroker configure --help' lists them)", 2);
        }
        URI normalizedUrl = CliException.publicUrl(publicUrl);
        Map<String, String> settings = new LinkedHashMap<>(other);
        settings.putAll(settingOptions.settings());
        Map<String, String> secrets = new LinkedHashMap<>(settingOptions.secrets());
        otherFiles.forEach((name, file) -> settings.put(name, read(file, "the file of the setting " + name).strip()));
        ProviderTypes types = providers.load();
        SecretCipher cipher = db.cipher();
        try (DatabaseOptions.OpenDatabase open = db.openForSeeding(types)) {
            ProviderConfigurator configurator = new ProviderConfigurator(open.providerStore(cipher),
                    types);
            ProviderRecord saved;
            try {
                saved = configurator.save(provider, type, settings, secrets, true, normalizedUrl);
            } catch (InvalidConfigurationException e) {
                throw new CliException("the settings were not saved: " + e.getMessage(), 2);
            }
            spec.commandLine().getOut().println("Saved provider '" + saved.id() + "' (type " + saved.type() + ", enabled "
                    + BrokerSettings.enabled(saved.settings()) + ").");
            boolean password = types.find(saved.type()).map(t -> t.signInStyle() == SignInStyle.PASSWORD).orElse(false);
            if (password) {
                spec.commandLine().getOut().println("Sign-in form: " + normalizedUrl + "/app/sign-in/" + saved.id());
            } else {
                spec.commandLine().getOut().println("Redirect URI to register at the IdP: " + BrokerConfig.redirectUri(normalizedUrl, saved.id()));
                spec.commandLine().getOut().println("Back-channel logout URI (the IdP's \"Logout URI\", back-channel mode): "
                        + BrokerConfig.backchannelLogoutUri(normalizedUrl, saved.id()));
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CliException("cannot read " + what + ", " + file + ": " + e.getMessage());
        }
    }
}
