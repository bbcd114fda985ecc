package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.idbroker.it.support.BrokerScene;
import org.idbroker.it.support.TestingApi;
import org.idbroker.it.support.TestingApi.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** API keys: created while signed in and shown once, used in {@code X-Api-Key}, revoked. */
class ApiKeysTest {

    @RegisterExtension
    final BrokerScene scene = BrokerScene.asTheGuideSays().withAdministrator();

    @Test
    void aKeyIsShownOnceActsAsItsUserAndStopsWorkingWhenRevoked() {
        Reply created = scene.admin().post("/api/users/me/api-keys", "{\"name\": \"deploy pipeline\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String key = created.json().get("key").asText();
        String keyId = created.json().get("id").asText();
        assertThat(key).startsWith("idb_").hasSize(4 + 43);
        assertThat(created.json().get("prefix").asText()).isEqualTo(key.substring(0, 12));

        JsonNode listed = scene.admin().get("/api/users/me/api-keys").json();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("name").asText()).isEqualTo("deploy pipeline");
        assertThat(listed.get(0).has("key")).isFalse();
        assertThat(listed.toString()).doesNotContain(key);
        assertThat(scene.broker().count("select count(*) from api_keys where encode(key_hash, 'escape') like ? or prefix = ?",
                "%" + key.substring(4) + "%", key)).isZero();

        TestingApi automation = TestingApi.withApiKey(scene.broker(), key);
        JsonNode me = automation.get("/api/users/me").json();
        assertThat(me.get("username").asText()).isEqualTo("boss");
        // a key needs no CSRF header: it is not a cookie a browser sends by itself
        Reply team = automation.post("/api/teams", "{\"name\": \"Made by a script\"}");
        assertThat(team.status()).as(team.body()).isEqualTo(201);
        assertThat(scene.broker().count("select count(*) from api_keys where last_used is not null")).isEqualTo(1);

        assertThat(scene.admin().delete("/api/users/me/api-keys/" + keyId).status()).isEqualTo(204);

        Reply revoked = automation.get("/api/users/me");
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.error()).isEqualTo("unauthenticated");
        assertThat(scene.admin().get("/api/users/me/api-keys").json()).isEmpty();
        assertThat(scene.broker().strings("select type from events where type like 'api-key-%' order by id"))
                .containsExactly("api-key-created", "api-key-revoked");
        assertThat(scene.broker().count("select count(*) from events where details::text like ? or coalesce(message, '') like ?",
                "%" + key.substring(4) + "%", "%" + key.substring(4) + "%")).isZero();
    }

    @Test
    void aKeyOfADisabledUserIsRefused() {
        TestingApi alice = TestingApi.signIn(scene.broker(), scene.idp(), "sub-alice", Map.of("preferred_username", "alice",
                "email", "alice@example.com", "email_verified", true));
        String key = alice.post("/api/users/me/api-keys", "{\"name\": \"laptop\"}").json().get("key").asText();
        String aliceId = alice.get("/api/users/me").json().get("id").asText();
        TestingApi script = TestingApi.withApiKey(scene.broker(), key);
        assertThat(script.get("/api/users/me").status()).isEqualTo(200);

        assertThat(scene.admin().put("/api/users/" + aliceId, "{\"active\": false}").status()).isEqualTo(200);
        assertThat(script.get("/api/users/me").status()).isEqualTo(401);

        assertThat(scene.admin().put("/api/users/" + aliceId, "{\"active\": true}").status()).isEqualTo(200);
        assertThat(script.get("/api/users/me").status()).isEqualTo(200);
    }

    @Test
    void aKeyCannotCreateMoreKeysButCanListAndRevokeItsUsersKeys() {
        String key = scene.admin().post("/api/users/me/api-keys", "{\"name\": \"ci\"}").json().get("key").asText();
        TestingApi script = TestingApi.withApiKey(scene.broker(), key);

        Reply more = script.post("/api/users/me/api-keys", "{\"name\": \"another\"}");
        assertThat(more.status()).isEqualTo(403);
        assertThat(more.error()).isEqualTo("session_required");
        assertThat(script.get("/api/users/me/api-keys").json()).hasSize(1);
    }

    @Test
    void refusesUnknownKeysAndNeverFallsBackToTheCookie() {
        assertThat(TestingApi.withApiKey(scene.broker(), "idb_" + "A".repeat(43)).get("/api/users/me").status()).isEqualTo(401);
        assertThat(TestingApi.withApiKey(scene.broker(), "not-a-key").get("/api/users/me").status()).isEqualTo(401);
        // a signed-in browser sending a wrong key is refused, not served by its cookie
        assertThat(scene.admin().withHeader("X-Api-Key", "idb_wrong").get("/api/users/me").status()).isEqualTo(401);
    }

    @Test
    void aUserCannotRevokeAnotherUsersKey() {
        String keyId = scene.admin().post("/api/users/me/api-keys", "{\"name\": \"ci\"}").json().get("id").asText();
        TestingApi alice = TestingApi.signIn(scene.broker(), scene.idp(), "sub-alice", Map.of("preferred_username", "alice",
                "email", "alice@example.com", "email_verified", true));

        Reply revoke = alice.delete("/api/users/me/api-keys/" + keyId);

        assertThat(revoke.status()).isEqualTo(404);
        assertThat(revoke.error()).isEqualTo("api_key_not_found");
        assertThat(alice.get("/api/users/me/api-keys").json()).isEmpty();
        assertThat(scene.admin().get("/api/users/me/api-keys").json()).hasSize(1);
    }

    @Test
    void refusesAKeyWithoutAName() {
        for (String body : List.of("{\"name\": \"\"}", "{}")) {
            Reply reply = scene.admin().post("/api/users/me/api-keys", body);
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.error()).isEqualTo("invalid_name");
        }
        assertThat(TestingApi.anonymous(scene.broker()).post("/api/users/me/api-keys", "{\"name\": \"x\"}").status()).isEqualTo(401);
        assertThat(scene.broker().count("select count(*) from api_keys")).isZero();
    }
}
