package org.idbroker.server.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfigFileTest {

    @Test
    void readsProvidersTeamsAndSessionsWithTheLineOfEveryValue() throws Exception {
        ConfigFile file = ConfigFile.parse("""
                version: 1
                providers:
                  Corp:
                    type: oidc
                    settings:
                      enabled: true
                      issuer: https://idp.example.com
                    secrets:
                      clientSecret: {file: /run/secret}
                teams:
                  Testers:
                    externalGroups:
                      - octopusTesters
                      - id: Ops
                        displayName: Operations
                    roles: [user-viewer]
                sessions: {idleMinutes: 30, absoluteMinutes: 600}
                """.getBytes(UTF_8));

        assertThat(file.problems()).isEmpty();
        ConfigFile.Provider corp = file.providers().get("Corp");
        assertThat(corp.settings()).containsEntry("enabled", "true").containsEntry("issuer", "https://idp.example.com");
        assertThat(corp.settingPaths().get("issuer")).hasToString("providers.Corp.settings.issuer (line 7)");
        assertThat(corp.secrets().get("clientSecret").file()).isEqualTo("/run/secret");
        assertThat(corp.secrets().get("clientSecret").path().line()).isEqualTo(9);
        ConfigFile.Team testers = file.teams().get("Testers");
        assertThat(testers.externalGroups()).extracting(ConfigFile.Group::id).containsExactly("octopusTesters", "Ops");
        assertThat(testers.externalGroups().get(1).path()).hasToString("teams.Testers.externalGroups[1] (line 14)");
        assertThat(testers.rolePaths().get(0)).hasToString("teams.Testers.roles[0] (line 16)");
        assertThat(file.sessions().idleMinutes()).isEqualTo(30);
    }

    @Test
    void listsEveryShapeProblemWithItsPlace() throws Exception {
        ConfigFile file = ConfigFile.parse("""
                version: 2
                providers:
                  Corp:
                    settings:
                      scopes: [openid]
                    secrets:
                      clientSecret: s3cret
                teams:
                  Testers:
                    roles: user-viewer
                  testers: {}
                sessions:
                  idleMinutes: soon
                colour: blue
                """.getBytes(UTF_8));

        assertThat(file.problems()).extracting(Object::toString).containsExactlyInAnyOrder(
                "version (line 1): must be 1 (the only version this broker reads), got 2",
                "providers.Corp.settings.scopes (line 5): must be a single value, not a list",
                "providers.Corp.secrets.clientSecret (line 7): a secret must be a reference, {env: NAME} or {file: /path}, never its value",
                "teams.Testers.roles (line 10): must be a list",
                "teams.testers (line 11): the team 'Testers' is already described: team names are compared regardless of case",
                "sessions.idleMinutes (line 13): must be a whole number of minutes, got soon",
                "sessions (line 12): absoluteMinutes is missing: give a whole number of minutes",
                "colour (line 14): unknown field; the fields here are clients, providers, sessions, teams, users, version");
        assertThat(file.toString()).doesNotContain("s3cret");
    }

    @Test
    void readsUsersMembersAndClientsAndListsTheirShapeProblems() throws Exception {
        ConfigFile file = ConfigFile.parse("""
                version: 1
                users:
                  alice: {email: alice@example.com, active: maybe}
                  Alice: {}
                  bob:
                teams:
                  Testers:
                    members: bob
                  Others:
                    members: [alice, bob]
                  Quiet: {description: No members listed}
                clients:
                  grafana:
                    name: Grafana
                    redirectUris: [https://grafana.example.com/cb]
                    accessTokenSeconds: soon
                    secret: plain-value
                  spa:
                    type: public
                    grantTypes: [authorization_code]
                    colour: blue
                """.getBytes(UTF_8));

        assertThat(file.problems()).extracting(Object::toString).containsExactlyInAnyOrder(
                "users.alice.active (line 3): must be true or false, got maybe",
                "users.Alice (line 4): the user 'alice' is already described: usernames are compared regardless of case",
                "teams.Testers.members (line 8): must be a list",
                "clients.grafana.accessTokenSeconds (line 16): must be a whole number of seconds, got soon",
                "clients.grafana.secret (line 17): a secret must be a reference, {env: NAME} or {file: /path}, never its value",
                "clients.spa.colour (line 21): unknown field; the fields here are accessTokenSeconds, backchannelLogoutUri, "
                        + "grantTypes, groupsClaim, idTokenSeconds, name, postLogoutRedirectUris, redirectUris, "
                        + "refreshTokenSeconds, secret, signingAlgorithm, teams, type");
        assertThat(file.users()).containsOnlyKeys("alice", "bob");
        assertThat(file.users().get("bob").email()).isNull();
        assertThat(file.teams().get("Others").members()).containsExactly("alice", "bob");
        assertThat(file.teams().get("Others").memberPaths().get(1)).hasToString("teams.Others.members[1] (line 10)");
        assertThat(file.teams().get("Quiet").members()).as("members left out: left as they are").isNull();
        assertThat(file.clients().get("grafana").redirectUris()).containsExactly("https://grafana.example.com/cb");
        assertThat(file.clients().get("grafana").fieldPaths().get("redirectUris")).hasToString("clients.grafana.redirectUris (line 15)");
        assertThat(file.clients().get("spa").redirectUris()).isNull();
    }

    @Test
    void refusesWhatIsNotYamlWithItsLine() {
        assertThatThrownBy(() -> ConfigFile.parse("version: 1\nteams:\n  - [unclosed\n".getBytes(UTF_8)))
                .isInstanceOfSatisfying(ConfigFile.InvalidFileException.class, e -> assertThat(e.problems())
                        .singleElement().satisfies(p -> {
                            assertThat(p.path().line()).isGreaterThanOrEqualTo(3);
                            assertThat(p.message()).startsWith("not valid YAML");
                        }));
    }
}
