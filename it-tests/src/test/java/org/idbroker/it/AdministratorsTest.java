package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.idbroker.it.support.BrokerScene;
import org.idbroker.it.support.TestingApi;
import org.idbroker.it.support.TestingApi.Reply;
import org.idbroker.it.support.TestingBrowser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker stays administrable, and disabling a user takes effect at once. */
class AdministratorsTest {

    @RegisterExtension
    final BrokerScene scene = BrokerScene.asTheGuideSays().withAdministrator();

    private String bossId;
    private String administratorsId;

    @BeforeEach
    void start() {
        bossId = scene.admin().get("/api/users/me").json().get("id").asText();
        for (JsonNode team : scene.admin().get("/api/teams").json()) {
            if (team.get("name").asText().equals("Administrators")) {
                administratorsId = team.get("id").asText();
            }
        }
    }

    @Test
    void theLastActiveAdministratorCannotBeDisabledRemovedOrDeleted() {
        for (Reply reply : List.of(
                scene.admin().put("/api/users/" + bossId, "{\"active\": false}"),
                scene.admin().delete("/api/teams/" + administratorsId + "/members/" + bossId),
                scene.admin().delete("/api/users/" + bossId))) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
            assertThat(reply.error()).isEqualTo("last_administrator");
            assertThat(reply.json().get("message").asText()).contains("Administrators");
        }
        assertThat(scene.admin().get("/api/users/me").json().get("permissions")).extracting(JsonNode::asText).contains("administer-system");
        assertThat(scene.broker().count("select count(*) from sessions")).isEqualTo(1);
    }

    @Test
    void anInactiveMemberDoesNotCountAsAnotherAdministrator() {
        String carol = scene.admin().post("/api/users", "{\"username\": \"carol\", \"emailAddress\": \"carol@example.com\", \"active\": false}")
                .json().get("id").asText();
        assertThat(scene.admin().put("/api/teams/" + administratorsId + "/members/" + carol, null).status()).isEqualTo(200);

        assertThat(scene.admin().delete("/api/teams/" + administratorsId + "/members/" + bossId).error()).isEqualTo("last_administrator");

        assertThat(scene.admin().put("/api/users/" + carol, "{\"active\": true}").status()).isEqualTo(200);
        assertThat(scene.admin().delete("/api/teams/" + administratorsId + "/members/" + bossId).status()).isEqualTo(200);
        // now carol is the last one
        assertThat(scene.broker().count("select count(*) from team_members where user_id = ?::uuid", bossId)).isZero();
        Reply removeCarol = TestingApi.signIn(scene.broker(), scene.idp(), "sub-carol", Map.of("email", "carol@example.com", "email_verified", true))
                .delete("/api/teams/" + administratorsId + "/members/" + carol);
        assertThat(removeCarol.error()).isEqualTo("last_administrator");
    }

    @Test
    void aTeamManagerCannotMakeThemselvesAnAdministrator() {
        String managers = scene.admin().post("/api/teams", "{\"name\": \"Managers\"}").json().get("id").asText();
        scene.admin().put("/api/teams/" + managers + "/roles/team-manager", null);
        scene.admin().put("/api/teams/" + managers + "/roles/user-manager", null);
        scene.admin().post("/api/teams/" + managers + "/external-groups", "{\"id\": \"managers\"}");
        TestingApi manager = TestingApi.signIn(scene.broker(), scene.idp(), "sub-mallory", Map.of("preferred_username", "mallory",
                "email", "mallory@example.com", "email_verified", true, "groups", List.of("managers")));
        String malloryId = manager.get("/api/users/me").json().get("id").asText();

        assertThat(manager.put("/api/teams/" + administratorsId + "/members/" + malloryId, null).status()).isEqualTo(403);
        assertThat(manager.put("/api/teams/" + managers + "/roles/system-administrator", null).status()).isEqualTo(403);
        assertThat(manager.put("/api/users/" + bossId, "{\"emailAddress\": \"mallory@example.com\"}").status()).isEqualTo(403);
        assertThat(manager.post("/api/teams/" + administratorsId + "/external-groups", "{\"id\": \"managers\"}").status())
                .isEqualTo(403);

        assertThat(manager.get("/api/users/me").json().get("permissions")).extracting(JsonNode::asText)
                .doesNotContain("administer-system");
        assertThat(scene.admin().get("/api/users/" + bossId).json().get("emailAddress").asText()).isEqualTo("boss@example.com");
    }

    @Test
    void aTeamManagerCannotGrantOrJoinMoreThanTheyHold() {
        String helpers = scene.admin().post("/api/teams", "{\"name\": \"Helpers\"}").json().get("id").asText();
        scene.admin().put("/api/teams/" + helpers + "/roles/team-manager", null);
        scene.admin().post("/api/teams/" + helpers + "/external-groups", "{\"id\": \"helpers\"}");
        String auditors = scene.admin().post("/api/teams", "{\"name\": \"Auditors\"}").json().get("id").asText();
        scene.admin().put("/api/teams/" + auditors + "/roles/event-viewer", null);
        TestingApi manager = TestingApi.signIn(scene.broker(), scene.idp(), "sub-mallory", Map.of("preferred_username", "mallory",
                "email", "mallory@example.com", "email_verified", true, "groups", List.of("helpers")));
        String malloryId = manager.get("/api/users/me").json().get("id").asText();

        Reply grant = manager.put("/api/teams/" + helpers + "/roles/user-manager", null);
        assertThat(grant.status()).isEqualTo(403);
        assertThat(grant.json().get("message").asText()).contains("edit-users");
        Reply join = manager.put("/api/teams/" + auditors + "/members/" + malloryId, null);
        assertThat(join.status()).isEqualTo(403);
        assertThat(join.json().get("message").asText()).contains("view-events");

        // within what they hold, they manage teams freely
        String mine = manager.post("/api/teams", "{\"name\": \"Mine\"}").json().get("id").asText();
        assertThat(manager.put("/api/teams/" + mine + "/roles/team-viewer", null).status()).isEqualTo(200);
        assertThat(manager.put("/api/teams/" + mine + "/members/" + malloryId, null).status()).isEqualTo(200);
        assertThat(manager.get("/api/users/me").json().get("permissions")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("view-teams", "edit-teams");
    }

    @Test
    void aUserManagerCannotTakeOverAnAccountThatHoldsMore() {
        String people = scene.admin().post("/api/teams", "{\"name\": \"People\"}").json().get("id").asText();
        scene.admin().put("/api/teams/" + people + "/roles/user-manager", null);
        scene.admin().post("/api/teams/" + people + "/external-groups", "{\"id\": \"people\"}");
        String auditors = scene.admin().post("/api/teams", "{\"name\": \"Auditors\"}").json().get("id").asText();
        scene.admin().put("/api/teams/" + auditors + "/roles/event-viewer", null);
        String auditor = scene.admin().post("/api/users", "{\"username\": \"auditor\", \"emailAddress\": \"auditor@example.com\"}")
                .json().get("id").asText();
        scene.admin().put("/api/teams/" + auditors + "/members/" + auditor, null);
        String plain = scene.admin().post("/api/users", "{\"username\": \"plain\"}").json().get("id").asText();
        TestingApi manager = TestingApi.signIn(scene.broker(), scene.idp(), "sub-mallory", Map.of("preferred_username", "mallory",
                "email", "mallory@example.com", "email_verified", true, "groups", List.of("people")));

        Reply takeOver = manager.put("/api/users/" + auditor, "{\"emailAddress\": \"mallory2@example.com\"}");
        assertThat(takeOver.status()).isEqualTo(403);
        assertThat(takeOver.json().get("message").asText()).contains("view-events");
        assertThat(manager.delete("/api/users/" + auditor).status()).isEqualTo(403);
        assertThat(scene.admin().get("/api/users/" + auditor).json().get("emailAddress").asText()).isEqualTo("auditor@example.com");

        assertThat(manager.put("/api/users/" + plain, "{\"displayName\": \"Plain Person\"}").status()).isEqualTo(200);
    }

    @Test
    void disablingAUserEndsTheirSessionsAtOnce() {
        Map<String, Object> aliceClaims = Map.of("preferred_username", "alice", "email", "alice@example.com", "email_verified", true);
        TestingApi alice = TestingApi.signIn(scene.broker(), scene.idp(), "sub-alice", aliceClaims);
        TestingApi aliceElsewhere = TestingApi.signIn(scene.broker(), scene.idp(), "sub-alice", aliceClaims);
        String aliceId = alice.get("/api/users/me").json().get("id").asText();
        assertThat(scene.broker().count("select count(*) from sessions where user_id = ?::uuid", aliceId)).isEqualTo(2);

        Reply disabled = scene.admin().put("/api/users/" + aliceId, "{\"active\": false}");

        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        assertThat(disabled.json().get("active").asBoolean()).isFalse();
        assertThat(alice.get("/api/users/me").status()).isEqualTo(401);
        assertThat(aliceElsewhere.get("/api/users/me").status()).isEqualTo(401);
        assertThat(scene.broker().count("select count(*) from sessions where user_id = ?::uuid", aliceId)).isZero();
        assertThat(scene.admin().get("/api/users/me").status()).isEqualTo(200);
        JsonNode event = scene.admin().get("/api/events?type=user-changed").json().get("items").get(0);
        assertThat(event.get("userId").asText()).isEqualTo(bossId);
        assertThat(event.get("details").get("targetUserId").asText()).isEqualTo(aliceId);
        assertThat(event.get("details").get("changed")).extracting(JsonNode::asText).containsExactly("active");

        TestingBrowser again = new TestingBrowser();
        scene.idp().nextSignIn("sub-alice", aliceClaims);
        List<HttpResponse<String>> hops = again.signIn(scene.broker(), "GenericOidc");
        assertThat(hops.get(hops.size() - 1).body()).contains("user_inactive");
        assertThat(again.cookie("idb_session")).isEmpty();
    }
}
