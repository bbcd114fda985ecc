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
                "colour (line 14): unknown field; the fields here are providers, sessions, teams, version");
        assertThat(file.toString()).doesNotContain("s3cret");
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
