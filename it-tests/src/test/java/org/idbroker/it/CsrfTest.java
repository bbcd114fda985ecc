package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.idbroker.it.support.BrokerScene;
import org.idbroker.it.support.TestingApi;
import org.idbroker.it.support.TestingApi.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A form on another site can make the browser send the session cookie, but not a custom header:
 * every cookie request that changes something must carry {@code X-Requested-With}.
 */
class CsrfTest {

    @RegisterExtension
    final BrokerScene scene = BrokerScene.configured("--scopes", "openid profile email groups",
            "--role-claim-type", "groups", "--allow-auto-user-creation", "true").withAdministrator();

    @Test
    void aCookieRequestThatChangesStateWithoutTheHeaderIsRefusedAndChangesNothing() {
        String teamId = scene.admin().post("/api/teams", "{\"name\": \"Testers\"}").json().get("id").asText();
        String bossId = scene.admin().get("/api/users/me").json().get("id").asText();
        long events = scene.broker().count("select count(*) from events");
        TestingApi forged = scene.admin().withoutCsrfHeader();

        for (Reply reply : new Reply[] {
                forged.post("/api/teams", "{\"name\": \"Forged\"}"),
                forged.send("POST", "/api/teams", "name=Forged", "application/x-www-form-urlencoded"),
                forged.send("POST", "/api/teams", "{\"name\": \"Forged\"}", "text/plain"),
                forged.put("/api/teams/" + teamId, "{\"name\": \"Renamed\"}"),
                forged.delete("/api/teams/" + teamId),
                forged.send("PATCH", "/api/teams/" + teamId, "{}", "application/json"),
                forged.put("/api/users/" + bossId, "{\"emailAddress\": \"attacker@example.com\"}"),
                forged.post("/api/users/me/api-keys", "{\"name\": \"stolen\"}"),
                forged.post("/api/users/sign-out", "")}) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
            assertThat(reply.error()).isEqualTo("csrf");
            assertThat(reply.json().get("message").asText()).contains("X-Requested-With");
        }

        assertThat(scene.broker().strings("select name from teams where builtin is null")).containsExactly("Testers");
        assertThat(scene.broker().strings("select email from users")).containsExactly("boss@example.com");
        assertThat(scene.broker().count("select count(*) from api_keys")).isZero();
        assertThat(scene.broker().count("select count(*) from sessions")).isEqualTo(1);
        assertThat(scene.broker().count("select count(*) from events")).isEqualTo(events);
        // reading needs no header, and the same call with the header works
        assertThat(forged.get("/api/teams/" + teamId).status()).isEqualTo(200);
        assertThat(scene.admin().post("/api/teams", "{\"name\": \"Real\"}").status()).isEqualTo(201);
    }

    @Test
    void theIdpCallbackPostNeedsNoHeader() {
        Reply callback = scene.admin().withoutCsrfHeader().send("POST", "/api/users/authenticatedToken/GenericOidc", "code=abc",
                "application/x-www-form-urlencoded");
        assertThat(callback.status()).isEqualTo(400);
        assertThat(callback.body()).contains("state_missing").doesNotContain("\"csrf\"");
    }

    @Test
    void refusesAStreamedBodyOverTheLimit() {
        byte[] big = ("{\"name\": \"Big\", \"description\": \"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = scene.admin().browser().send(HttpRequest.newBuilder(scene.broker().uri("/api/teams"))
                .header("Content-Type", "application/json").header("X-Requested-With", "t")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("payload_too_large");
        assertThat(scene.broker().count("select count(*) from teams where builtin is null")).isZero();
    }
}
