package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.idbroker.it.support.BrokerScene;
import org.idbroker.it.support.TestingApi;
import org.idbroker.it.support.TestingApi.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** User accounts through the administration API. */
class UsersApiTest {

    @RegisterExtension
    final BrokerScene scene = BrokerScene.asTheGuideSays().withAdministrator();

    @Test
    void searchesAndPagesUsers() {
        for (int i = 1; i <= 5; i++) {
            assertThat(scene.admin().post("/api/users", "{\"username\": \"zeta-" + i + "\", \"displayName\": \"Zeta " + i
                    + "\", \"emailAddress\": \"z" + i + "@example.com\"}").status()).isEqualTo(201);
        }

        JsonNode page = scene.admin().get("/api/users?search=ZETA&offset=2&limit=2").json();

        assertThat(page.get("total").asLong()).isEqualTo(5);
        assertThat(page.get("items")).extracting(u -> u.get("username").asText()).containsExactly("zeta-3", "zeta-4");
        assertThat(scene.admin().get("/api/users?search=z4@example").json().get("items")).extracting(u -> u.get("username").asText())
                .containsExactly("zeta-4");
        assertThat(scene.admin().get("/api/users?search=%25").json().get("total").asLong()).isZero();
        assertThat(scene.admin().get("/api/users").json().get("total").asLong()).isEqualTo(6);
        assertThat(scene.admin().get("/api/users?limit=0").error()).isEqualTo("invalid_limit");
        assertThat(scene.admin().get("/api/users?offset=x").error()).isEqualTo("invalid_offset");
    }

    @Test
    void createsGetsAndUpdatesAUser() {
        Reply created = scene.admin().post("/api/users", "{\"username\": \"carol\", \"displayName\": \"Carol C\", "
                + "\"emailAddress\": \"carol@example.com\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.location()).hasValue("/api/users/" + id);

        JsonNode carol = scene.admin().get("/api/users/" + id).json();
        assertThat(carol.get("username").asText()).isEqualTo("carol");
        assertThat(carol.get("active").asBoolean()).isTrue();
        assertThat(carol.get("teams")).extracting(t -> t.get("name").asText()).containsExactly("Everyone");

        JsonNode updated = scene.admin().put("/api/users/" + id, "{\"username\": \"caroline\", \"emailAddress\": \"caroline@example.com\"}")
                .json();
        assertThat(updated.get("username").asText()).isEqualTo("caroline");
        assertThat(updated.get("displayName").asText()).isEqualTo("Carol C");
        assertThat(updated.get("emailAddress").asText()).isEqualTo("caroline@example.com");
        assertThat(scene.admin().get("/api/events?type=user-changed").json().get("items").get(0).get("details").get("changed"))
                .extracting(JsonNode::asText).containsExactly("username", "emailAddress");

        // the first sign-in with that email finds the account
        TestingApi caroline = TestingApi.signIn(scene.broker(), scene.idp(), "sub-caroline", Map.of("email", "Caroline@example.com",
                "email_verified", true));
        assertThat(caroline.get("/api/users/me").json().get("id").asText()).isEqualTo(id);
    }

    @Test
    void refusesBadUserInputNamingTheField() {
        scene.admin().post("/api/users", "{\"username\": \"carol\", \"emailAddress\": \"carol@example.com\"}");

        Reply sameName = scene.admin().post("/api/users", "{\"username\": \"CAROL\"}");
        assertThat(sameName.status()).isEqualTo(409);
        assertThat(sameName.error()).isEqualTo("username_taken");

        Reply sameEmail = scene.admin().post("/api/users", "{\"username\": \"carol2\", \"emailAddress\": \"Carol@Example.com\"}");
        assertThat(sameEmail.status()).isEqualTo(409);
        assertThat(sameEmail.error()).isEqualTo("email_taken");
        assertThat(sameEmail.json().get("message").asText()).contains("emailAddress");

        Reply badEmail = scene.admin().post("/api/users", "{\"username\": \"dave\", \"emailAddress\": \"not an email\"}");
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.error()).isEqualTo("invalid_emailAddress");

        Reply noName = scene.admin().post("/api/users", "{\"emailAddress\": \"dave@example.com\"}");
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.error()).isEqualTo("invalid_username");

        Reply wrongType = scene.admin().post("/api/users", "{\"username\": \"dave\", \"active\": \"maybe\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("message").asText()).contains("active");

        Reply unknown = scene.admin().get("/api/users/00000000-0000-4000-8000-000000000000");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("user_not_found");
        assertThat(scene.broker().count("select count(*) from users")).isEqualTo(2);
    }

    @Test
    void theSignedInUsersOwnPathsStillWork() {
        assertThat(scene.admin().get("/api/users/me").json().get("username").asText()).isEqualTo("boss");
        assertThat(scene.admin().get("/api/users/not-a-uuid").status()).isEqualTo(404);
        assertThat(scene.admin().post("/api/users/sign-out", "").status()).isEqualTo(200);
        assertThat(scene.admin().get("/api/users/me").status()).isEqualTo(401);
    }

    @Test
    void listsAndUnlinksExternalIdentities() {
        TestingApi alice = TestingApi.signIn(scene.broker(), scene.idp(), "sub-alice", Map.of("preferred_username", "alice",
                "email", "alice@example.com", "email_verified", true));
        String aliceId = alice.get("/api/users/me").json().get("id").asText();

        JsonNode identities = scene.admin().get("/api/users/" + aliceId + "/external-identities").json();
        assertThat(identities).hasSize(1);
        assertThat(identities.get(0).get("subject").asText()).isEqualTo("sub-alice");
        assertThat(identities.get(0).get("issuer").asText()).isEqualTo(scene.idp().issuer());
        String identityId = identities.get(0).get("id").asText();

        assertThat(scene.admin().delete("/api/users/" + aliceId + "/external-identities/" + identityId).status()).isEqualTo(204);
        assertThat(scene.admin().get("/api/users/" + aliceId + "/external-identities").json()).isEmpty();
        assertThat(scene.admin().delete("/api/users/" + aliceId + "/external-identities/" + identityId).error())
                .isEqualTo("identity_not_found");
        assertThat(scene.admin().get("/api/events?type=user-changed").json().get("items").get(0).get("details").get("change").asText())
                .isEqualTo("external-identity-removed");
    }

    @Test
    void deletesAUser() {
        String id = scene.admin().post("/api/users", "{\"username\": \"temp\"}").json().get("id").asText();

        assertThat(scene.admin().delete("/api/users/" + id).status()).isEqualTo(204);

        assertThat(scene.admin().get("/api/users/" + id).status()).isEqualTo(404);
        assertThat(scene.admin().get("/api/events?type=user-deleted").json().get("items").get(0).get("details").get("username").asText())
                .isEqualTo("temp");
    }
}
