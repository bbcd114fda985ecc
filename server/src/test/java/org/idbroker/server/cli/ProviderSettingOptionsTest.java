package org.idbroker.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.idbroker.server.providers.ProviderTypes;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.SettingDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class ProviderSettingOptionsTest {

    private static final ProviderTypes TYPES = new ProviderTypes(List.of(
            new Type("plain", false, List.of(SettingDescriptor.url("baseUrl", "Base URL", "Where it is.", false))),
            new Type("standard", true, List.of(
                    SettingDescriptor.url("issuer", "Issuer", "The issuer, 100% exact: ${not a variable}.", true),
                    SettingDescriptor.text("clientId", "Client ID", "The client id.", true, null),
                    SettingDescriptor.secret("clientSecret", "Client Secret", "The secret.", false),
                    SettingDescriptor.list("scopes", "Scopes", "Scopes to ask.", false, "openid"),
                    SettingDescriptor.choice("userInfo", "Read Userinfo", "When.", "always", List.of("always", "never")),
                    SettingDescriptor.text("type", "Type", "Clashes with --type.", false, null)))));

    @Test
    void everySettingOfTheInstalledTypesAndTheBrokerIsAnOptionNamedAfterIt() {
        CommandLine configure = configure();

        assertThat(configure.getCommandSpec().options()).extracting(OptionSpec::longestName).contains("--enabled",
                "--display-name", "--allow-auto-user-creation", "--trust-email", "--issuer", "--client-id",
                "--client-secret-file", "--scopes", "--user-info", "--base-url");
        OptionSpec issuer = configure.getCommandSpec().findOption("--issuer");
        assertThat(issuer.paramLabel()).isEqualTo("URL");
        assertThat(configure.getUsageMessage()).contains("Issuer: The issuer, 100% exact: ${not a variable}.")
                .contains("File holding the Client Secret").contains("--user-info=always|never")
                .contains("Base URL: Where it is. Types: plain.")
                .contains("Installed types: plain (plain), standard (standard, the default).");
    }

    @Test
    void aSettingTypesDescribeDifferentlyHasEachTypesHelpAndOneTheyDescribeAlikeHasOne() {
        ProviderTypes types = new ProviderTypes(List.of(
                new Type("oidc", true, List.of(
                        SettingDescriptor.integer("idpTimeoutSeconds", "IdP Timeout", "Each call to the OpenID provider.", 5),
                        SettingDescriptor.text("clientId", "Client ID", "The client id.", true, null))),
                new Type("flavour", false, List.of(
                        SettingDescriptor.integer("idpTimeoutSeconds", "IdP Timeout", "Each call to the OpenID provider.", 5),
                        SettingDescriptor.text("clientId", "Client ID", "The client id.", true, null))),
                new Type("ldap", false, List.of(
                        SettingDescriptor.integer("idpTimeoutSeconds", "IdP Timeout", "Each directory operation.", 5),
                        SettingDescriptor.text("clientId", "Client ID", "The client id.", true, null)))));
        CommandLine configure = new CommandLine(new ConfigureCommand());
        ConfigureCommand.withOptionsOf(configure, types);

        assertThat(configure.getCommandSpec().findOption("--idp-timeout-seconds").description()).containsExactly(
                "IdP Timeout: Each call to the OpenID provider. Types: oidc, flavour.",
                "IdP Timeout: Each directory operation. Types: ldap.");
        assertThat(configure.getCommandSpec().findOption("--client-id").description()).containsExactly("Client ID: The client id.");
    }

    @Test
    void aSettingNamedLikeAFixedOptionIsLeftToSet() {
        OptionSpec type = configure().getCommandSpec().findOption("--type");

        assertThat(type.description()[0]).startsWith("The provider type");
    }

    @Test
    void theValuesGivenAreTheSettingsAndTheSecretComesFromItsFile(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "s3cret\n");
        CommandLine configure = new CommandLine(new ConfigureCommand());
        ProviderSettingOptions options = ProviderSettingOptions.addTo(configure.getCommandSpec(), TYPES);

        configure.parseArgs("--provider", "Corp", "--issuer", "https://idp.example.com/", "--client-id", "broker",
                "--client-secret-file", secret.toString(), "--scopes", "openid profile", "--enabled", "true");

        assertThat(options.settings()).containsExactlyInAnyOrderEntriesOf(Map.of("issuer", "https://idp.example.com/",
                "clientId", "broker", "scopes", "openid profile", "enabled", "true"));
        assertThat(options.secrets()).containsExactly(Map.entry("clientSecret", "s3cret"));
    }

    @Test
    void anUnreadableSecretFileIsNamed(@TempDir Path dir) {
        CommandLine configure = new CommandLine(new ConfigureCommand());
        ProviderSettingOptions options = ProviderSettingOptions.addTo(configure.getCommandSpec(), TYPES);
        configure.parseArgs("--provider", "Corp", "--client-secret-file", dir.resolve("missing.txt").toString());

        assertThatThrownBy(options::secrets).isInstanceOf(CliException.class)
                .hasMessageStartingWith("cannot read the client secret file " + dir.resolve("missing.txt"));
    }

    @Test
    void theRemovedSecretFileOptionSaysHowEachSecretIsGiven() {
        ProviderTypes types = new ProviderTypes(List.of(new Type("ldap", true, List.of(
                SettingDescriptor.secret("bindPassword", "Bind Password", "The service account's.", true),
                SettingDescriptor.secret("dbPassword", "Database Password", "Clashes with --db-password-file.", false)))));
        CommandLine configure = new CommandLine(new ConfigureCommand());
        configure.setOut(new PrintWriter(new StringWriter()));
        StringWriter err = new StringWriter();
        configure.setErr(new PrintWriter(err, true));
        configure.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println(e.getMessage());
            return e instanceof CliException c ? c.exitCode() : 1;
        });
        ConfigureCommand.withOptionsOf(configure, types);

        int code = configure.execute("--provider", "Corp", "--secret-file", "bindPassword=/run/secrets/bind",
                "--secret-file", "dbPassword=/run/secrets/db", "--secret-file", "token=/run/secrets/token");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("--secret-file was removed: every secret setting has an option of its own,"
                + " --bind-password-file /run/secrets/bind for bindPassword, none for 'dbPassword', whose option"
                + " --db-password-file is one of configure's own: set it with the settings API or 'idbroker apply', none for"
                + " 'token', which is no secret setting of an installed type ('idbroker configure --help' lists them)");
        assertThat(configure.getUsageMessage()).doesNotContain("--secret-file").contains("--bind-password-file");
    }

    private static CommandLine configure() {
        CommandLine configure = new CommandLine(new ConfigureCommand());
        ConfigureCommand.withOptionsOf(configure, TYPES);
        return configure;
    }

    private record Type(String type, boolean defaultForNewInstances, List<SettingDescriptor> settings)
            implements IdentityProviderFactory {
        @Override
        public String displayName() {
            return type;
        }

        @Override
        public IdentityProvider create(ProviderContext context) {
            throw new UnsupportedOperationException("never built");
        }
    }
}
