package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.idbroker.it.support.TestingApi;
import org.idbroker.it.support.TestingApi.Reply;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBroker.CliResult;
import org.idbroker.it.support.TestingIdp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Configuration as code: a broker configured through the command line and the API is exported, the
 * file applied to a broker on an empty database, and the second broker then has the same
 * configuration, signs people in with the secret the file referenced, and says "no changes" when the
 * file is applied again. A bad file is refused with every problem and its line, and changes nothing.
 */
class ConfigurationAsCodeTest {

    private static final String SECRET_REF = "env: IDBROKER_SECRET_GENERICOIDC_CLIENT_SECRET";

    private TestingIdp idp;
    private TestingBroker configured;
    private TestingBroker empty;

    @BeforeEach
    void start() {
        idp = TestingIdp.start();
        configured = TestingBroker.start();
        empty = TestingBroker.start();
        configured.configureAsTheGuideSays(idp);
        TestingApi admin = TestingApi.signInAdministrator(configured, idp);
        Reply team = admin.post("/api/teams", "{\"name\": \"Testers\", \"description\": \"People who test\"}");
        assertThat(team.status()).as(team.body()).isEqualTo(201);
        String teamId = team.json().get("id").asText();
        assertThat(admin.post("/api/teams/" + teamId + "/external-groups",
                "{\"id\": \"octopusTesters\", \"displayName\": \"Octopus testers\"}").status()).isEqualTo(201);
        assertThat(admin.put("/api/teams/" + teamId + "/roles/user-viewer", null).status()).isEqualTo(200);
        assertThat(admin.put("/api/configuration/sessions", "{\"idleMinutes\": 30, \"absoluteMinutes\": 600}").status())
                .isEqualTo(200);
    }

    @AfterEach
    void stop() {
        empty.close();
        configured.close();
        idp.close();
    }

    @Test
    void anExportAppliedToAnEmptyBrokerGivesTheSameConfigurationAndASecondApplyChangesNothing() throws Exception {
        String exported = export(configured);
        assertThat(exported).startsWith("version: 1").contains("GenericOidc:", "issuer: " + idp.issuer(), "Testers:",
                "id: octopusTesters", "displayName: Octopus testers", "- user-viewer", "idleMinutes: 30",
                "absoluteMinutes: 600", SECRET_REF).doesNotContain(idp.clientSecret());

        Path file = withSecretFile(exported);
        CliResult applied = empty.cli("apply", file.toString());
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        // a new broker has a disabled GenericOidc instance: the file changes it
        assertThat(applied.out()).contains("change provider GenericOidc: ", "enabled 'false' -> 'true'",
                "issuer set to '" + idp.issuer() + "'", "clientSecret changed",
                "create team Testers", "change team Testers: add external group octopusTesters (Octopus testers)",
                "change team Testers: add role user-viewer", "change sessions: idleMinutes 30, absoluteMinutes 600")
                .doesNotContain(idp.clientSecret());

        assertThat(export(empty)).isEqualTo(exported);
        assertThat(empty.count("select count(*) from events where type = 'provider-saved' and details->>'actor' = 'apply'"
                + " and details->>'fileDigest' like 'sha256:%' and details::text not like ?", "%" + idp.clientSecret() + "%"))
                .isEqualTo(1);
        assertThat(empty.count("select count(*) from events where type in ('team-created', 'team-changed')"
                + " and user_agent = 'idbroker apply' and request_id like 'apply sha256:%'")).isEqualTo(3);
        long events = empty.count("select count(*) from events");

        CliResult again = empty.cli("apply", file.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out().strip()).isEqualTo("no changes: the broker already is as " + file + " describes it");
        assertThat(empty.count("select count(*) from events")).isEqualTo(events);

        // the secret the file referenced is the one the IdP knows: people sign in through the new broker
        empty.kit().refreshProviders();
        TestingApi alice = TestingApi.signIn(empty, idp, "sub-alice", Map.of("preferred_username", "alice",
                "email", "alice@example.com", "email_verified", true, "groups", List.of("octopusTesters")));
        assertThat(alice.get("/api/users/me").json().get("teams")).extracting(t -> t.get("name").asText())
                .containsExactly("Everyone", "Testers");
    }

    @Test
    void aChangedFileChangesOnlyWhatChangedAndTheSecretIsOnlySaidToHaveChanged() throws Exception {
        Path file = withSecretFile(export(configured));
        assertThat(empty.cli("apply", file.toString()).exitCode()).isZero();
        Path secret = org.idbroker.testkit.TestingBroker.writeTemp("another-secret");
        Files.writeString(file, Files.readString(file)
                .replaceAll("file: .*", "file: " + secret)
                .replace("displayName: Octopus testers", "displayName: The testers")
                .replace("idleMinutes: 30", "idleMinutes: 45"));

        CliResult applied = empty.cli("apply", file.toString());

        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.out().lines().toList()).containsExactly(
                "change provider GenericOidc: clientSecret changed",
                "change team Testers: change external group octopusTesters (The testers)",
                "change sessions: idleMinutes 30 -> 45, absoluteMinutes 600 -> 600",
                "applied 3 change(s)");
        assertThat(applied.out()).doesNotContain("another-secret");
    }

    @Test
    void aDryRunSaysWhatWouldChangeAndChangesNothing() throws Exception {
        Path file = withSecretFile(export(configured));
        String before = export(empty);
        long events = empty.count("select count(*) from events");

        CliResult dry = empty.cli("apply", file.toString(), "--dry-run");

        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("would change provider GenericOidc: ", "would create team Testers",
                "dry run: nothing was changed");
        assertThat(export(empty)).isEqualTo(before).doesNotContain("Testers", "idleMinutes");
        assertThat(empty.count("select count(*) from events")).isEqualTo(events);
    }

    @Test
    void aSecretFromTheEnvironmentIsTheOneStored() throws Exception {
        String exported = export(configured);
        org.idbroker.core.providers.ProviderStore store = new org.idbroker.core.providers.ProviderStore(empty.jdbi(),
                new org.idbroker.core.crypto.SecretCipher(java.util.Base64.getDecoder().decode(empty.masterKey())));
        org.idbroker.server.config.ConfigApplier applier = new org.idbroker.server.config.ConfigApplier(empty.jdbi(), store,
                empty.providerTypes(), empty.baseUri(), Map.of("IDBROKER_SECRET_GENERICOIDC_CLIENT_SECRET", idp.clientSecret())::get);

        List<String> changes = applier.apply(org.idbroker.server.config.ConfigFile.parse(exported.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), false);

        assertThat(changes).anySatisfy(line -> assertThat(line).startsWith("change provider GenericOidc: ")
                .endsWith("clientSecret changed"));
        assertThat(store.find("GenericOidc").orElseThrow().secrets()).containsEntry("clientSecret", idp.clientSecret());
        assertThat(export(empty)).isEqualTo(exported);
    }

    @Test
    void aTeamNamedTwiceIsRefusedWithItsLine() throws Exception {
        CliResult refused = empty.cli("apply", org.idbroker.testkit.TestingBroker.writeTemp(
                "version: 1\nteams:\n  A: {}\n  A: {}\n").toString());

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("(line 4): not valid YAML: Duplicate field 'A'");
    }

    @Test
    void aBadFileIsRefusedWithEveryProblemAndItsLineAndChangesNothing() throws Exception {
        String good = Files.readString(withSecretFile(export(configured)));
        String bad = good.replace("issuer: " + idp.issuer(), "issuer: not a url")
                .replace("- user-viewer", "- no-such-role")
                .replace("idleMinutes: 30", "idleMinutes: 0")
                .replace("description: People who test", "description: People who test\n    colour: blue");
        Path file = org.idbroker.testkit.TestingBroker.writeTemp(bad);
        assertThat(empty.cli("apply", withSecretFile(export(configured)).toString()).exitCode()).isZero();
        String before = export(empty);
        long events = empty.count("select count(*) from events");

        CliResult refused = empty.cli("apply", file.toString());

        assertThat(refused.exitCode()).isEqualTo(2);
        List<String> lines = bad.lines().toList();
        assertThat(refused.err()).contains("was not applied, nothing changed: 4 problem(s)",
                "providers.GenericOidc.settings.issuer (line " + lineOf(lines, "issuer: not a url") + "): ",
                "teams.Testers.roles[0] (line ", "no role has the id 'no-such-role'",
                "teams.Testers.colour (line " + lineOf(lines, "colour: blue") + "): unknown field",
                "sessions (line " + lineOf(lines, "sessions:") + "): idleMinutes must be between 1 and");
        assertThat(export(empty)).isEqualTo(before);
        assertThat(empty.count("select count(*) from events")).isEqualTo(events);

        Path unset = org.idbroker.testkit.TestingBroker.writeTemp(good.replaceAll("file: .*", "env: IDBROKER_TEST_NOT_SET_ANYWHERE"));
        CliResult noSecret = empty.cli("apply", unset.toString());
        assertThat(noSecret.exitCode()).isEqualTo(2);
        assertThat(noSecret.err()).contains("providers.GenericOidc.secrets.clientSecret (line "
                + lineOf(good.lines().toList(), "clientSecret:") + "): the environment variable IDBROKER_TEST_NOT_SET_ANYWHERE is not set");

        Path value = org.idbroker.testkit.TestingBroker.writeTemp(good.replaceAll("file: .*", "").replace("clientSecret:", "clientSecret: plain"));
        CliResult plain = empty.cli("apply", value.toString());
        assertThat(plain.exitCode()).isEqualTo(2);
        assertThat(plain.err()).contains("a secret must be a reference, {env: NAME} or {file: /path}, never its value");
    }

    @Test
    void aChangeTheBrokerRefusesHalfwayUndoesEveryChangeBeforeIt() throws Exception {
        String before = export(empty);
        long events = empty.count("select count(*) from events");
        String file = Files.readString(withSecretFile(export(configured))).replace("teams:\n", "teams:\n"
                + "  Newcomers:\n"
                + "    description: Made first, then undone\n")
                .replace("  Everyone:\n", "  Everyone:\n    externalGroups: [octopusTesters]\n");

        CliResult refused = empty.cli("apply", org.idbroker.testkit.TestingBroker.writeTemp(file).toString());

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("nothing changed", "teams.Everyone (line " + lineOf(file.lines().toList(), "  Everyone:")
                + "): The Everyone team has every active user; it takes no external groups.");
        assertThat(export(empty)).isEqualTo(before).doesNotContain("Newcomers");
        assertThat(empty.count("select count(*) from events")).isEqualTo(events);
    }

    @Test
    void theReadmeExampleAppliesAndItsIssuerMustBeHttps() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("## Configuration as code");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        String example = readme.substring(start, readme.indexOf("```", start));
        Path secret = org.idbroker.testkit.TestingBroker.writeTemp("the-client-secret");
        String withSecret = example.replace("env: IDBROKER_SECRET_GENERICOIDC_CLIENT_SECRET", "file: " + secret);

        Path http = org.idbroker.testkit.TestingBroker.writeTemp(withSecret.replace("issuer: https://", "issuer: http://"));
        CliResult refused = empty.cli("apply", http.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("providers.GenericOidc.settings.issuer (line 8): Issuer must use https");

        CliResult applied = empty.cli("apply", org.idbroker.testkit.TestingBroker.writeTemp(withSecret).toString());
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("change provider GenericOidc: ", "clientSecret changed", "create team Testers",
                "change team Testers: add external group octopusTesters (Octopus testers)",
                "change team Testers: add role user-viewer");
        assertThat(export(empty)).contains("issuer: https://auth.example.com/application/o/my-app/", "id: octopusTesters",
                "env: IDBROKER_SECRET_GENERICOIDC_CLIENT_SECRET").doesNotContain("the-client-secret");
    }

    private static String export(TestingBroker broker) {
        CliResult result = broker.cli("export");
        assertThat(result.exitCode()).as(result.err()).isZero();
        return result.out();
    }

    /** The exported file with its secret reference pointing at a file that holds the IdP's client secret. */
    private Path withSecretFile(String exported) {
        assertThat(exported).contains(SECRET_REF);
        Path secret = org.idbroker.testkit.TestingBroker.writeTemp(idp.clientSecret());
        return org.idbroker.testkit.TestingBroker.writeTemp(exported.replace(SECRET_REF, "file: " + secret));
    }

    private static int lineOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " is not in the file");
    }
}
