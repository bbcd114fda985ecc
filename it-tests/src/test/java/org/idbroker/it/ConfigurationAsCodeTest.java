package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
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
    private static final String CLIENT_SECRET_REF = "env: IDBROKER_SECRET_CLIENT_GRAFANA";
    private static final String CLIENT_SECRET = "grafana-secret-0123456789-abcdefghij";

    private static final YAMLMapper YAML = new YAMLMapper();

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
        Reply bob = admin.post("/api/users", "{\"username\": \"bob\", \"displayName\": \"Bob Tester\", "
                + "\"emailAddress\": \"bob@example.com\"}");
        assertThat(bob.status()).as(bob.body()).isEqualTo(201);
        assertThat(admin.post("/api/users", "{\"username\": \"carol\", \"active\": false}").status()).isEqualTo(201);
        assertThat(admin.put("/api/teams/" + teamId + "/members/" + bob.json().get("id").asText(), null).status()).isEqualTo(200);
        Reply grafana = admin.post("/api/clients", "{\"clientId\": \"grafana\", \"name\": \"Grafana\", "
                + "\"redirectUris\": [\"https://grafana.example.com/login/generic_oauth\"], \"teams\": [\"Testers\"], "
                + "\"groupsClaim\": \"external-groups\", \"accessTokenSeconds\": 600, \"secret\": \"" + CLIENT_SECRET + "\"}");
        assertThat(grafana.status()).as(grafana.body()).isEqualTo(201);
        assertThat(admin.post("/api/clients", "{\"clientId\": \"spa\", \"name\": \"Single page\", \"type\": \"public\", "
                + "\"redirectUris\": [\"http://localhost:3000/callback\"], \"grantTypes\": [\"authorization_code\"]}").status())
                .isEqualTo(201);
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
                "absoluteMinutes: 600", SECRET_REF, "  bob:\n    email: bob@example.com\n    displayName: Bob Tester\n    active: true",
                "  carol:\n    displayName: carol\n    active: false", "members:\n    - bob", "members:\n    - boss",
                "  grafana:\n    name: Grafana\n    type: confidential", "groupsClaim: external-groups", "accessTokenSeconds: 600",
                CLIENT_SECRET_REF, "  spa:\n    name: Single page\n    type: public")
                .doesNotContain(idp.clientSecret(), CLIENT_SECRET);

        Path file = withSecretFile(exported);
        CliResult applied = empty.cli("apply", file.toString());
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        // a new broker has a disabled GenericOidc instance: the file changes it
        assertThat(applied.out()).contains("change provider GenericOidc: ", "enabled 'false' -> 'true'",
                "issuer set to '" + idp.issuer() + "'", "clientSecret changed",
                "create team Testers", "change team Testers: add external group octopusTesters (Octopus testers)",
                "change team Testers: add role user-viewer", "change sessions: idleMinutes 30, absoluteMinutes 600",
                "create user bob", "create user carol (disabled)", "change team Administrators: add member boss",
                "change team Testers: add member bob", "create client grafana; secret changed", "create client spa")
                .doesNotContain(idp.clientSecret(), CLIENT_SECRET);

        assertThat(export(empty)).isEqualTo(exported);
        assertThat(empty.count("select count(*) from events where type = 'provider-saved' and details->>'actor' = 'apply'"
                + " and details->>'fileDigest' like 'sha256:%' and details::text not like ?", "%" + idp.clientSecret() + "%"))
                .isEqualTo(1);
        // every change carries the actor apply and the file's digest, as the API's events carry their user
        assertThat(empty.count("select count(*) from events where type in ('team-created', 'team-changed')"
                + " and user_agent = 'idbroker apply' and request_id like 'apply sha256:%' and details->>'actor' = 'apply'"
                + " and details->>'fileDigest' like 'sha256:%'")).isEqualTo(5);
        assertThat(empty.count("select count(*) from events where type in ('user-created', 'client-created')"
                + " and user_agent = 'idbroker apply' and details->>'actor' = 'apply' and details->>'fileDigest' like 'sha256:%'"
                + " and details::text not like ?", "%" + CLIENT_SECRET + "%")).isEqualTo(5);
        assertThat(new org.idbroker.core.clients.Clients(empty.jdbi()).authenticate("grafana", CLIENT_SECRET)).isTrue();
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
                .replaceFirst("file: .*", "file: " + secret)
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
                empty.providerTypes(), empty.baseUri(), Map.of("IDBROKER_SECRET_GENERICOIDC_CLIENT_SECRET", idp.clientSecret(),
                        "IDBROKER_SECRET_CLIENT_GRAFANA", CLIENT_SECRET)::get);

        List<String> changes = applier.apply(org.idbroker.server.config.ConfigFile.parse(exported.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), false);

        assertThat(changes).anySatisfy(line -> assertThat(line).startsWith("change provider GenericOidc: ")
                .endsWith("clientSecret changed"));
        assertThat(store.find("GenericOidc").orElseThrow().secrets()).containsEntry("clientSecret", idp.clientSecret());
        assertThat(new org.idbroker.core.clients.Clients(empty.jdbi()).authenticate("grafana", CLIENT_SECRET)).isTrue();
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
                .replace("description: People who test", "description: People who test\n    colour: blue")
                .replace("members:\n    - boss", "members:\n    - boss\n    - nobody");
        Path file = org.idbroker.testkit.TestingBroker.writeTemp(bad);
        assertThat(empty.cli("apply", withSecretFile(export(configured)).toString()).exitCode()).isZero();
        String before = export(empty);
        long events = empty.count("select count(*) from events");

        CliResult refused = empty.cli("apply", file.toString());

        assertThat(refused.exitCode()).isEqualTo(2);
        List<String> lines = bad.lines().toList();
        // the problems found before the transaction and the refusal met in it (a member who does not exist), all at once
        assertThat(refused.err()).contains("was not applied, nothing changed: 5 problem(s)",
                "teams.Administrators.members[1] (line " + lineOf(lines, "- nobody") + "): no user has the username 'nobody'",
                "providers.GenericOidc.settings.issuer (line " + lineOf(lines, "issuer: not a url") + "): ",
                "teams.Testers.roles[0] (line ", "no role has the id 'no-such-role'",
                "teams.Testers.colour (line " + lineOf(lines, "colour: blue") + "): unknown field",
                "sessions (line " + lineOf(lines, "sessions:") + "): idleMinutes must be between 1 and");
        assertThat(export(empty)).isEqualTo(before);
        assertThat(empty.count("select count(*) from events")).isEqualTo(events);

        Path unset = org.idbroker.testkit.TestingBroker.writeTemp(good.replaceFirst("file: .*", "env: IDBROKER_TEST_NOT_SET_ANYWHERE"));
        CliResult noSecret = empty.cli("apply", unset.toString());
        assertThat(noSecret.exitCode()).isEqualTo(2);
        assertThat(noSecret.err()).contains("providers.GenericOidc.secrets.clientSecret (line "
                + lineOf(good.lines().toList(), "clientSecret:") + "): the environment variable IDBROKER_TEST_NOT_SET_ANYWHERE is not set");

        Path value = org.idbroker.testkit.TestingBroker.writeTemp(good.replaceFirst("file: .*", "").replace("clientSecret:", "clientSecret: plain"));
        CliResult plain = empty.cli("apply", value.toString());
        assertThat(plain.exitCode()).isEqualTo(2);
        assertThat(plain.err()).contains("a secret must be a reference, {env: NAME} or {file: /path}, never its value");
    }

    @Test
    void aChangeTheBrokerRefusesHalfwayUndoesEveryChangeBeforeIt() throws Exception {
        String before = export(empty);
        long events = empty.count("select count(*) from events");
        String file = Files.readString(withSecretFile(export(configured))).replace("\nteams:\n", "\nteams:\n"
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
    void pruneRemovesWhatTheFileDoesNotNameButNeverABuiltInTeamAndItsDryRunSaysSo() throws Exception {
        Path file = withSecretFile(export(configured));
        assertThat(empty.cli("apply", file.toString()).exitCode()).isZero();
        ObjectNode tree = (ObjectNode) YAML.readTree(file.toFile());
        ((ObjectNode) tree.get("teams")).remove(List.of("Testers", "Everyone", "Administrators"));
        ((ObjectNode) tree.get("users")).remove(List.of("bob", "carol"));
        ((ObjectNode) tree.get("clients")).remove("grafana");
        Path pruned = org.idbroker.testkit.TestingBroker.writeTemp(YAML.writeValueAsString(tree));
        CliResult other = empty.cli("configure", "--provider", "Other", "--enabled", "false");
        assertThat(other.exitCode()).as(other.err()).isZero();
        String before = export(empty);
        long events = empty.count("select count(*) from events");

        CliResult dry = empty.cli("apply", pruned.toString(), "--prune", "--dry-run");

        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out().lines().toList()).containsExactly("would remove client grafana", "would remove team Testers",
                "would remove user bob", "would remove user carol", "would remove provider Other", "dry run: nothing was changed");
        assertThat(export(empty)).isEqualTo(before);
        assertThat(empty.count("select count(*) from events")).isEqualTo(events);

        CliResult applied = empty.cli("apply", pruned.toString(), "--prune");

        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("remove client grafana", "remove team Testers", "remove user bob",
                "remove provider Other", "applied 5 change(s)");
        String after = export(empty);
        assertThat(after).contains("  Administrators:", "  Everyone:", "  boss:", "  spa:", "GenericOidc:")
                .doesNotContain("Testers", "bob", "carol", "grafana", "Other:");
        assertThat(empty.count("select count(*) from events where type = 'provider-deleted' and details->>'actor' = 'apply'"
                + " and details->>'fileDigest' like 'sha256:%'")).isEqualTo(1);
        assertThat(empty.count("select count(*) from events where type in ('client-deleted', 'team-deleted', 'user-deleted')"
                + " and user_agent = 'idbroker apply'")).isEqualTo(4);
        // a file without the teams section prunes no built-in team either, and without --prune nothing named is removed
        assertThat(empty.cli("apply", pruned.toString(), "--prune").out().strip())
                .isEqualTo("no changes: the broker already is as " + pruned + " describes it");
    }

    @Test
    void aClientWhoseTeamsWereAllDeletedStaysClosedThroughExportAndApply() throws Exception {
        TestingApi admin = TestingApi.signInAdministrator(configured, idp);
        String testers = configured.strings("select id::text from teams where name = 'Testers'").get(0);
        assertThat(admin.delete("/api/teams/" + testers).status()).isEqualTo(204);
        String exported = export(configured);
        assertThat(exported).contains("  grafana:\n    name: Grafana", "    teams: []\n");

        CliResult applied = empty.cli("apply", withSecretFile(exported).toString());

        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(empty.strings("select team_restricted::text from clients where id = 'grafana'")).containsExactly("true");
        assertThat(export(empty)).isEqualTo(exported);
    }

    @Test
    void pruneNeverDeletesTheLastAdministratorAndSaysWhy() throws Exception {
        Path file = withSecretFile(export(configured));
        assertThat(empty.cli("apply", file.toString()).exitCode()).isZero();
        ObjectNode tree = (ObjectNode) YAML.readTree(file.toFile());
        tree.remove("users");
        ((ObjectNode) tree.get("teams").get("Administrators")).remove("members");
        Path withoutUsers = org.idbroker.testkit.TestingBroker.writeTemp(YAML.writeValueAsString(tree));
        String before = export(empty);
        long events = empty.count("select count(*) from events");

        CliResult refused = empty.cli("apply", withoutUsers.toString(), "--prune");

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("was not applied, nothing changed: 1 problem(s)", "users: --prune would delete the "
                + "user 'boss', the last active member of Administrators: name them under users");
        assertThat(export(empty)).isEqualTo(before).contains("  bob:", "  carol:");
        assertThat(empty.count("select count(*) from events")).isEqualTo(events);
    }

    @Test
    void oneBadValueAmongTenChangesChangesNothingAndIsNamedWithItsLine() throws Exception {
        String file = """
                version: 1
                users:
                  u1: {email: u1@example.com}
                  u2: {email: u2@example.com}
                  u3: {displayName: User three}
                  u4: {active: false}
                  u5: {}
                teams:
                  T1:
                    description: One
                    members: [u1, u2]
                  T2: {description: Two, roles: [user-viewer]}
                clients:
                  app:
                    name: App
                    type: public
                    redirectUris: [https://app.example.com/callback]
                    grantTypes: [authorization_code]
                    teams: [T1]
                  bad:
                    name: Bad
                    type: public
                    redirectUris: [not a uri]
                sessions: {idleMinutes: 60, absoluteMinutes: 120}
                """;
        String before = export(empty);
        long events = empty.count("select count(*) from events");

        CliResult refused = empty.cli("apply", org.idbroker.testkit.TestingBroker.writeTemp(file).toString());

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("nothing changed: 1 problem(s)", "clients.bad.redirectUris (line "
                + lineOf(file.lines().toList(), "[not a uri]") + "): Each URI");
        assertThat(export(empty)).isEqualTo(before);
        assertThat(empty.count("select count(*) from events")).isEqualTo(events);

        CliResult good = empty.cli("apply", org.idbroker.testkit.TestingBroker.writeTemp(file.substring(0, file.indexOf("  bad:"))
                + "sessions: {idleMinutes: 60, absoluteMinutes: 120}\n").toString());
        assertThat(good.exitCode()).as(good.err()).isZero();
        assertThat(good.out()).contains("create user u4 (disabled)", "change team T1: add member u2", "create client app",
                "applied 12 change(s)");
    }

    @Test
    void theReadmeExampleAppliesAndItsIssuerMustBeHttps() throws Exception {
        String example = readmeExample();
        Path secret = org.idbroker.testkit.TestingBroker.writeTemp("the-client-secret");
        Path clientSecret = org.idbroker.testkit.TestingBroker.writeTemp(CLIENT_SECRET);
        String withSecret = example.replace("env: IDBROKER_SECRET_GENERICOIDC_CLIENT_SECRET", "file: " + secret)
                .replace(CLIENT_SECRET_REF, "file: " + clientSecret);

        Path http = org.idbroker.testkit.TestingBroker.writeTemp(withSecret.replace("issuer: https://", "issuer: http://"));
        CliResult refused = empty.cli("apply", http.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("providers.GenericOidc.settings.issuer (line 8): Issuer must use https");

        Path file = org.idbroker.testkit.TestingBroker.writeTemp(withSecret);
        CliResult applied = empty.cli("apply", file.toString());
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("change provider GenericOidc: ", "clientSecret changed", "create user alice",
                "change team Administrators: add member alice", "create team Testers",
                "change team Testers: add external group octopusTesters (Octopus testers)",
                "change team Testers: add role user-viewer", "create client grafana; secret changed")
                .doesNotContain("the-client-secret", CLIENT_SECRET, "change team Administrators: description", "remove role");
        assertThat(export(empty)).contains("issuer: https://auth.example.com/application/o/my-app/", "id: octopusTesters",
                "env: IDBROKER_SECRET_GENERICOIDC_CLIENT_SECRET", CLIENT_SECRET_REF, "  alice:\n    email: alice@example.com")
                .doesNotContain("the-client-secret", CLIENT_SECRET);
        assertThat(empty.cli("apply", file.toString()).out().strip())
                .isEqualTo("no changes: the broker already is as " + file + " describes it");
    }

    /** The complete example of the README's "Configuration as code": the one the schema test validates too. */
    static String readmeExample() throws java.io.IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("## Configuration as code");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    private static String export(TestingBroker broker) {
        CliResult result = broker.cli("export");
        assertThat(result.exitCode()).as(result.err()).isZero();
        return result.out();
    }

    /** The exported file with its secret reference pointing at a file that holds the IdP's client secret. */
    private Path withSecretFile(String exported) {
        assertThat(exported).contains(SECRET_REF, CLIENT_SECRET_REF);
        Path secret = org.idbroker.testkit.TestingBroker.writeTemp(idp.clientSecret());
        Path clientSecret = org.idbroker.testkit.TestingBroker.writeTemp(CLIENT_SECRET);
        return org.idbroker.testkit.TestingBroker.writeTemp(exported.replace(SECRET_REF, "file: " + secret)
                .replace(CLIENT_SECRET_REF, "file: " + clientSecret));
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
