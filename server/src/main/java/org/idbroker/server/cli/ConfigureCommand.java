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
            description = "The instance id, used in its URLs, for example GenericOidc.")
    String provider;

    @Option(names = "--type", paramLabel = "TYPE", description = "The provider type, for example oidc or authentik "
            + "(default: the instance's current type; oidc for a new instance).")
    String type;

    @Option(names = "--public-url", paramLabel = "URL", defaultValue = "${env:IDBROKER_PUBLIC_URL:-http://localhost:8080}",
            description = "The broker's public URL, to print the redirect URI (default: ${DEFAULT-VALUE}). Env: IDBROKER_PUBLIC_URL.")
    URI publicUrl;

    @Option(names = "--enabled", paramLabel = "true|false", description = "Enabled.")
    String enabled;

    @Option(names = "--display-name", paramLabel = "TEXT", description = "Display Name: the sign-in button's text.")
    String displayName;

    @Option(names = "--issuer", paramLabel = "URL", description = "Issuer.")
    String issuer;

    @Option(names = "--client-id", paramLabel = "ID", description = "Client ID.")
    String clientId;

    @Option(names = "--client-secret-file", paramLabel = "FILE",
            description = "File holding the Client Secret (never given on the command line itself).")
    Path clientSecretFile;

    @Option(names = "--scopes", paramLabel = "SCOPES", description = "Scopes, separated by spaces, such as \"openid profile email groups\".")
    String scopes;

    @Option(names = "--role-claim-type", paramLabel = "CLAIM", description = "Role Claim Type, such as groups.")
    String roleClaimType;

    @Option(names = "--username-claim-type", paramLabel = "CLAIM", description = "Username Claim Type, such as preferred_username.")
    String usernameClaimType;

    @Option(names = "--resource", paramLabel = "VALUE", description = "Resource (sent as the resource parameter); empty to clear.")
    String resource;

    @Option(names = "--allow-auto-user-creation", paramLabel = "true|false", description = "Allow Auto User Creation.")
    String allowAutoUserCreation;

    @Option(names = "--trust-email", paramLabel = "true|false",
            description = "Trust Email: link to an account with the same email even when email_verified is not true.")
    String trustEmail;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Any other setting of the type, by its name (repeatable).")
    Map<String, String> other = new LinkedHashMap<>();

    @Option(names = "--set-file", paramLabel = "NAME=FILE",
            description = "A setting of the type read from a file, such as a PEM certificate of several lines (repeatable).")
    Map<String, Path> otherFiles = new LinkedHashMap<>();

    @Option(names = "--secret-file", paramLabel = "NAME=FILE",
            description = "A secret setting of the type (such as bindPassword) read from a file, never from the command line"
                    + " (repeatable).")
    Map<String, Path> secretFiles = new LinkedHashMap<>();

    @Override
    public Integer call() {
        URI normalizedUrl = CliException.publicUrl(publicUrl);
        Map<String, String> settings = new LinkedHashMap<>(other);
        put(settings, "enabled", enabled);
        put(settings, "displayName", displayName);
        put(settings, "issuer", issuer);
        put(settings, "clientId", clientId);
        put(settings, "scopes", scopes);
        put(settings, "roleClaimType", roleClaimType);
        put(settings, "usernameClaimType", usernameClaimType);
        put(settings, "resource", resource);
        put(settings, "allowAutoUserCreation", allowAutoUserCreation);
        put(settings, "trustEmail", trustEmail);
        otherFiles.forEach((name, file) -> settings.put(name, read(file, "the file of the setting " + name).strip()));
        Map<String, String> secrets = new LinkedHashMap<>();
        secretFiles.forEach((name, file) -> secrets.put(name, read(file, "the secret file of " + name).strip()));
        if (clientSecretFile != null) {
            try {
                secrets.put("clientSecret", Files.readString(clientSecretFile).strip());
            } catch (IOException e) {
                throw new CliException("cannot read the client secret file " + clientSecretFile + ": " + e.getMessage());
            }
        }
        ProviderTypes types = providers.load();
        SecretCipher cipher = db.cipher();
        try (DatabaseOptions.OpenDatabase open = db.openForSeeding()) {
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

    private static void put(Map<String, String> settings, String name, String value) {
        if (value != null) {
            settings.put(name, value);
        }
    }
}
