package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.idbroker.it.support.TestingBroker;
import org.junit.jupiter.api.Test;

/**
 * {@code configure}'s setting options come from the installed types' setting descriptors: the built-in OpenID
 * Connect and Authentik types give the guide's flags, with their help, and Authentik's own.
 */
class ConfigureOptionsTest {

    @Test
    void theGuidesFlagsAreTheGenericTypesSettingsWithTheirHelp() {
        TestingBroker.CliResult help = TestingBroker.run("configure", "--help");

        assertThat(help.exitCode()).as(help.err()).isZero();
        String text = help.out().replaceAll("\\s+", " ");
        assertThat(text).contains("--issuer=URL").contains("--client-id=TEXT").contains("--client-secret-file=FILE")
                .contains("--scopes=VALUES").contains("--role-claim-type=TEXT").contains("--username-claim-type=TEXT")
                .contains("--resource=TEXT").contains("--display-name=TEXT").contains("--enabled=true|false")
                .contains("--allow-auto-user-creation=true|false").contains("--trust-email=true|false")
                .contains("Role Claim Type: The claim that lists the person's groups or roles.")
                .contains("File holding the Client Secret (never given on the command line itself).")
                .contains("--client-authentication=client_secret_basic|client_secret_post")
                .contains("Installed types: authentik (Authentik), ldap (LDAP directory), oidc (OpenID Connect, the default).");
        assertThat(text).contains("Authentik Base URL: The address of Authentik").contains("Types: authentik.")
                .contains("--bind-password-file=FILE").contains("Types: ldap.");
    }

    @Test
    void theRemovedSecretFileOptionIsRefusedNamingEachSecretsOwnOption() {
        TestingBroker.CliResult result = TestingBroker.run("configure", "--provider", "Corp", "--type", "ldap",
                "--secret-file", "bindPassword=/run/secrets/ldap-bind", "--secret-file", "token=/run/secrets/t");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("idbroker: --secret-file was removed: every secret setting has an option of its own,"
                + " --bind-password-file /run/secrets/ldap-bind for bindPassword, none for 'token', which is no secret setting"
                + " of an installed type ('idbroker configure --help' lists them)" + System.lineSeparator());
        assertThat(TestingBroker.run("configure", "--help").out()).doesNotContain("--secret-file");
    }

    @Test
    void aValueForAnOptionOfNoInstalledTypeIsRefusedAsAnUnknownOption() {
        TestingBroker.CliResult result = TestingBroker.run("configure", "--provider", "Corp", "--no-such-setting", "x");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("'--no-such-setting'").contains("see 'idbroker configure --help'");
    }
}
