package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.idbroker.it.support.TestingApi.quote;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.idbroker.it.support.BrokerScene;
import org.idbroker.it.support.TestingApi;
import org.idbroker.it.support.TestingApi.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The guide's "Assign external groups to Octopus teams": an administrator adds the IdP group
 * {@code octopusTesters} to a team through the API, and whoever signs in with that group in the
 * role claim is in the team and has what it grants, for as long as the IdP sends the group.
 */
class ExternalGroupsTest {

    @RegisterExtension
    final BrokerScene scene = BrokerScene.asTheGuideSays().withAdministrator();

    @Test
    void aUserWithTheGroupIsInTheTeamAndLosesItWhenTheIdpDropsTheGroup() {
        String teamId = createTeam("Testers");
        assertThat(scene.admin().post("/api/teams/" + teamId + "/external-groups",
                "{\"id\": \"octopusTesters\", \"displayName\": \"Octopus testers\"}").status()).isEqualTo(201);
        assertThat(scene.admin().put("/api/teams/" + teamId + "/roles/user-viewer", null).status()).isEqualTo(200);

        TestingApi alice = TestingApi.signIn(scene.broker(), scene.idp(), "sub-alice", alice(List.of("octopusTesters", "developers")));

        JsonNode me = alice.get("/api/users/me").json();
        assertThat(me.get("teams")).extracting(t -> t.get("name").asText()).containsExactly("Everyone", "Testers");
        assertThat(me.get("permissions")).extracting(JsonNode::asText).containsExactly("view-users");
        assertThat(alice.get("/api/users").status()).isEqualTo(200);

        TestingApi aliceLater = TestingApi.signIn(scene.broker(), scene.idp(), "sub-alice", alice(List.of("developers")));

        JsonNode after = aliceLater.get("/api/users/me").json();
        assertThat(after.get("teams")).extracting(t -> t.get("name").asText()).containsExactly("Everyone");
        assertThat(after.get("permissions")).isEmpty();
        assertThat(aliceLater.get("/api/users").status()).isEqualTo(403);
        // the earlier session acts on the latest sign-in's groups too
        assertThat(alice.get("/api/users").status()).isEqualTo(403);
    }

    @Test
    void comparesGroupIdsRegardlessOfCase() {
        String teamId = createTeam("Testers");
        scene.admin().post("/api/teams/" + teamId + "/external-groups", "{\"id\": \"octopusTesters\", \"displayName\": \"Octopus testers\"}");

        TestingApi alice = TestingApi.signIn(scene.broker(), scene.idp(), "sub-alice", alice(List.of("OCTOPUSTESTERS")));
        assertThat(alice.get("/api/users/me").json().get("teams")).extracting(t -> t.get("name").asText())
                .containsExactly("Everyone", "Testers");

        Reply again = scene.admin().post("/api/teams/" + teamId + "/external-groups", "{\"id\": \"OctopusTesters\", \"displayName\": \"x\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).isEqualTo("external_group_exists");

        assertThat(scene.admin().delete("/api/teams/" + teamId + "/external-groups/OCTOPUSTESTERS").status()).isEqualTo(200);
        assertThat(scene.admin().get("/api/teams/" + teamId).json().get("externalGroups")).isEmpty();
        assertThat(alice.get("/api/users/me").json().get("teams")).extracting(t -> t.get("name").asText())
                .containsExactly("Everyone");
    }

    @Test
    void showsTheTeamWithItsGroupsMembersAndRoles() {
        String teamId = createTeam("Deployers");
        scene.admin().post("/api/teams/" + teamId + "/external-groups", "{\"id\": \"authentik Admins\", \"displayName\": \"\"}");
        scene.admin().put("/api/teams/" + teamId + "/roles/team-viewer", null);
        String bossId = scene.admin().get("/api/users/me").json().get("id").asText();
        scene.admin().put("/api/teams/" + teamId + "/members/" + bossId, null);

        JsonNode team = scene.admin().get("/api/teams/" + teamId).json();

        assertThat(team.get("name").asText()).isEqualTo("Deployers");
        assertThat(team.get("builtin").asBoolean()).isFalse();
        assertThat(team.get("externalGroups").get(0).get("id").asText()).isEqualTo("authentik Admins");
        assertThat(team.get("externalGroups").get(0).get("displayName").asText()).isEqualTo("authentik Admins");
        assertThat(team.get("roles")).extracting(r -> r.get("id").asText()).containsExactly("team-viewer");
        assertThat(team.get("members")).extracting(m -> m.get("username").asText()).containsExactly("boss");
        assertThat(scene.admin().get("/api/teams").json()).extracting(t -> t.get("name").asText())
                .containsExactly("Administrators", "Everyone", "Deployers");
        assertThat(scene.admin().delete("/api/teams/" + teamId + "/external-groups/authentik%20Admins").status()).isEqualTo(200);
    }

    @Test
    void refusesBadTeamInputNamingTheField() {
        createTeam("Testers");

        Reply duplicate = scene.admin().post("/api/teams", "{\"name\": \"TESTERS\"}");
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.error()).isEqualTo("team_name_taken");
        assertThat(duplicate.json().get("message").asText()).contains("name");

        Reply empty = scene.admin().post("/api/teams", "{\"name\": \"  \"}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.error()).isEqualTo("invalid_name");
        assertThat(empty.json().get("message").asText()).contains("name must not be empty");

        Reply missing = scene.admin().post("/api/teams", null);
        assertThat(missing.status()).isEqualTo(400);

        Reply malformed = scene.admin().post("/api/teams", "{\"name\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.error()).isEqualTo("invalid_json");

        Reply unknownField = scene.admin().post("/api/teams", "{\"name\": \"X\", \"colour\": \"red\"}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("message").asText()).contains("colour");

        Reply huge = scene.admin().post("/api/teams", "{\"name\": \"Big\", \"description\": " + quote("x".repeat(70_000)) + "}");
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.error()).isEqualTo("payload_too_large");

        Reply longName = scene.admin().post("/api/teams", "{\"name\": " + quote("n".repeat(101)) + "}");
        assertThat(longName.status()).isEqualTo(400);
        assertThat(longName.error()).isEqualTo("invalid_name");

        assertThat(scene.broker().count("select count(*) from teams")).isEqualTo(3);
    }

    @Test
    void refusesUnknownUsersRolesAndTeams() {
        String teamId = createTeam("Testers");
        String nobody = "00000000-0000-4000-8000-000000000000";

        Reply unknownUser = scene.admin().put("/api/teams/" + teamId + "/members/" + nobody, null);
        assertThat(unknownUser.status()).isEqualTo(404);
        assertThat(unknownUser.error()).isEqualTo("user_not_found");
        assertThat(unknownUser.json().get("message").asText()).contains("userId");

        Reply unknownRole = scene.admin().put("/api/teams/" + teamId + "/roles/no-such-role", null);
        assertThat(unknownRole.status()).isEqualTo(404);
        assertThat(unknownRole.error()).isEqualTo("role_not_found");
        assertThat(unknownRole.json().get("message").asText()).contains("roleId");

        Reply unknownTeam = scene.admin().get("/api/teams/" + nobody);
        assertThat(unknownTeam.status()).isEqualTo(404);
        assertThat(unknownTeam.error()).isEqualTo("team_not_found");

        Reply notAnId = scene.admin().get("/api/teams/not-a-uuid");
        assertThat(notAnId.status()).isEqualTo(404);
    }

    @Test
    void theBuiltInTeamsCannotBeDeletedOrRenamed() {
        JsonNode teams = scene.admin().get("/api/teams").json();
        String administrators = idOf(teams, "Administrators");
        String everyone = idOf(teams, "Everyone");

        for (String id : List.of(administrators, everyone)) {
            Reply deleted = scene.admin().delete("/api/teams/" + id);
            assertThat(deleted.status()).isEqualTo(409);
            assertThat(deleted.error()).isEqualTo("builtin_team");
            assertThat(scene.admin().put("/api/teams/" + id, "{\"name\": \"Renamed\"}").status()).isEqualTo(409);
        }
        assertThat(scene.admin().put("/api/teams/" + everyone, "{\"description\": \"All of us.\"}").status()).isEqualTo(200);
        String bossId = scene.admin().get("/api/users/me").json().get("id").asText();
        assertThat(scene.admin().put("/api/teams/" + everyone + "/members/" + bossId, null).error()).isEqualTo("builtin_team");
        assertThat(scene.admin().delete("/api/teams/" + administrators + "/roles/system-administrator").status()).isEqualTo(409);
        assertThat(scene.broker().strings("select name from teams where builtin is not null order by name"))
                .containsExactly("Administrators", "Everyone");
    }

    @Test
    void aTeamCanBeRenamedAndDeleted() {
        String teamId = createTeam("Testers");

        JsonNode renamed = scene.admin().put("/api/teams/" + teamId, "{\"name\": \"QA\", \"description\": \"Quality\"}").json();
        assertThat(renamed.get("name").asText()).isEqualTo("QA");
        assertThat(renamed.get("description").asText()).isEqualTo("Quality");

        assertThat(scene.admin().delete("/api/teams/" + teamId).status()).isEqualTo(204);
        assertThat(scene.admin().get("/api/teams/" + teamId).status()).isEqualTo(404);
    }

    @Test
    void everyChangeWritesAnEvent() {
        String teamId = createTeam("Testers");
        scene.admin().post("/api/teams/" + teamId + "/external-groups", "{\"id\": \"octopusTesters\", \"displayName\": \"Testers\"}");
        scene.admin().put("/api/teams/" + teamId + "/roles/event-viewer", null);
        scene.admin().delete("/api/teams/" + teamId);
        String bossId = scene.admin().get("/api/users/me").json().get("id").asText();

        JsonNode changes = scene.admin().get("/api/events?type=team-changed&userId=" + bossId).json().get("items");
        assertThat(changes).extracting(e -> e.get("details").get("change").asText())
                .containsExactly("role-added", "external-group-added");
        assertThat(changes.get(1).get("details").get("groupId").asText()).isEqualTo("octopusTesters");
        assertThat(scene.admin().get("/api/events?type=team-created").json().get("items")).hasSize(1);
        assertThat(scene.admin().get("/api/events?type=team-deleted").json().get("items")).hasSize(1);
        assertThat(scene.admin().get("/api/events?type=team-changed&limit=1").json().get("items")).hasSize(1);
        assertThat(scene.admin().get("/api/events?type=team-changed&from=2999-01-01T00:00:00Z").json().get("items")).isEmpty();

        Reply badFrom = scene.admin().get("/api/events?from=yesterday");
        assertThat(badFrom.status()).isEqualTo(400);
        assertThat(badFrom.error()).isEqualTo("invalid_from");
        assertThat(scene.admin().get("/api/events?userId=boss").error()).isEqualTo("invalid_userId");
        assertThat(scene.admin().get("/api/events?limit=100000").error()).isEqualTo("invalid_limit");
    }

    @Test
    void listsThePermissionsWithDescriptionsAndTheRoles() {
        JsonNode permissions = scene.admin().get("/api/permissions").json();
        assertThat(permissions).extracting(p -> p.get("id").asText()).containsExactly("administer-system", "view-users",
                "edit-users", "view-teams", "edit-teams", "configure-authentication", "view-events", "configure-clients");
        assertThat(permissions).allSatisfy(p -> assertThat(p.get("description").asText()).isNotBlank());

        JsonNode roles = scene.admin().get("/api/roles").json();
        assertThat(roles).extracting(r -> r.get("id").asText()).contains("system-administrator", "user", "user-viewer",
                "team-manager", "event-viewer");
        // every permission a role holds is one of the documented ones
        assertThat(scene.broker().strings("select distinct unnest(permissions) from roles"))
                .allSatisfy(p -> assertThat(permissions).extracting(x -> x.get("id").asText()).contains(p));
    }

    private String createTeam(String name) {
        Reply created = scene.admin().post("/api/teams", "{\"name\": " + quote(name) + ", \"description\": \"People who test\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.location()).hasValue("/api/teams/" + created.json().get("id").asText());
        return created.json().get("id").asText();
    }

    private static String idOf(JsonNode teams, String name) {
        for (JsonNode team : teams) {
            if (team.get("name").asText().equals(name)) {
                return team.get("id").asText();
            }
        }
        throw new AssertionError("no team " + name);
    }

    private static Map<String, Object> alice(List<String> groups) {
        return Map.of("preferred_username", "alice", "name", "Alice Doe", "email", "alice@example.com",
                "email_verified", true, "groups", groups);
    }
}
