package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.idbroker.it.support.TestingApi;
import org.idbroker.it.support.TestingApi.Reply;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingIdp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A form on another site can make the browser send the session cookie, but not a custom header:
 * every cookie request that changes something must carry {@code X-Requested-With}.
 */
class CsrfTest {

    private TestingIdp idp;
    private TestingBroker broker;
    private TestingApi admin;

    @BeforeEach
    void start() {
        idp = TestingIdp.start();
        broker = TestingBroker.start();
        broker.configureOidc("GenericOidc", idp, "--scopes", "openid profile email groups",
                "--role-claim-type", "groups", "--allow-auto-user-creation", "true");
        admin = TestingApi.signInAdministrator(broker, idp);
    }

    @AfterEach
    void stop() {
        broker.close();
        idp.close();
    }

    @Test
    void aCookieRequestThatChangesStateWithoutTheHeaderIsRefusedAndChangesNothing() {
        String teamId = admin.post("/api/teams", "{\"name\": \"Testers\"}").json().get("id").asText();
        String bossId = admin.get("/api/users/me").json().get("id").asText();
        long events = broker.count("select count(*) from events");
        TestingApi forged = admin.withoutCsrfHeader();

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

        assertThat(broker.strings("select name from teams where builtin is null")).containsExactly("Testers");
        assertThat(broker.strings("select email from users")).containsExactly("boss@example.com");
        assertThat(broker.count("select count(*) from api_keys")).isZero();
        assertThat(broker.count("select count(*) from sessions")).isEqualTo(1);
        assertThat(broker.count("select count(*) from events")).isEqualTo(events);
        // reading needs no header, and the same call with the header works
        assertThat(forged.get("/api/teams/" + teamId).status()).isEqualTo(200);
        assertThat(admin.post("/api/teams", "{\"name\": \"Real\"}").status()).isEqualTo(201);
    }

    @Test
    void theIdpCallbackPostNeedsNoHeader() {
        Reply callback = admin.withoutCsrfHeader().send("POST", "/api/users/authenticatedToken/GenericOidc", "code=abc",
                "application/x-www-form-urlencoded");
        assertThat(callback.status()).isEqualTo(400);
        assertThat(callback.body()).contains("state_missing").doesNotContain("\"csrf\"");
    }

    @Test
    void refusesAStreamedBodyOverTheLimit() {
        byte[] big = ("{\"name\": \"Big\", \"description\": \"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = admin.browser().send(HttpRequest.newBuilder(broker.uri("/api/teams"))
                .header("Content-Type", "application/json").header("X-Requested-With", "t")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("payload_too_large");
        assertThat(broker.count("select count(*) from teams where builtin is null")).isZero();
    }
}
