package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.idbroker.it.support.BrokerScene;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Your sessions, an administrator's power over them, and lifetimes that change while the broker runs. */
class SessionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final BrokerScene scene = BrokerScene.configured("--scopes", "openid profile email",
            "--username-claim-type", "preferred_username", "--allow-auto-user-creation", "true");

    private final List<TestingBroker> otherNodes = new ArrayList<>();
    private final TestingBrowser aliceAtWork = new TestingBrowser();
    private final TestingBrowser aliceAtHome = new TestingBrowser();
    private final TestingBrowser bob = new TestingBrowser();

    @AfterEach
    void stop() {
        otherNodes.forEach(TestingBroker::close);
    }

    @Test
    void listsYourOwnSessionsAndMarksTheCurrentOne() throws Exception {
        signIn(aliceAtWork, "alice");
        signIn(aliceAtHome, "alice");
        signIn(bob, "bob");

        HttpResponse<String> response = aliceAtWork.getJson(scene.broker().uri("/api/users/me/sessions"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode sessions = JSON.readTree(response.body());
        assertThat(sessions).hasSize(2);
        assertThat(sessions).extracting(s -> s.get("current").asBoolean()).containsExactlyInAnyOrder(true, false);
        for (JsonNode session : sessions) {
            assertThat(session.get("providerId").asText()).isEqualTo("GenericOidc");
            Instant created = Instant.parse(session.get("created").asText());
            Instant lastSeen = Instant.parse(session.get("lastSeen").asText());
            Instant expiresAt = Instant.parse(session.get("expiresAt").asText());
            assertThat(created).isBetween(Instant.now().minusSeconds(120), Instant.now().plusSeconds(5));
            assertThat(lastSeen).isAfterOrEqualTo(created);
            // unused, a session ends after the idle lifetime (8 hours by default)
            assertThat(Duration.between(lastSeen, expiresAt)).isEqualTo(Duration.ofHours(8));
        }
        assertThat(response.body()).doesNotContain(aliceAtWork.cookie("idb_session").orElseThrow())
                .doesNotContain(aliceAtHome.cookie("idb_session").orElseThrow());
        assertThat(new TestingBrowser().getJson(scene.broker().uri("/api/users/me/sessions")).statusCode()).isEqualTo(401);
    }

    @Test
    void endsOneOfYourOtherSessions() throws Exception {
        signIn(aliceAtWork, "alice");
        signIn(aliceAtHome, "alice");
        signIn(bob, "bob");
        String homeSession = otherSessionId(aliceAtWork);
        String bobsSession = currentSessionId(bob);

        HttpResponse<String> response = aliceAtWork.delete(scene.broker().uri("/api/users/me/sessions/" + homeSession));

        assertThat(response.statusCode()).isEqualTo(204);
        assertSignedIn(aliceAtHome, false);
        assertSignedIn(aliceAtWork, true);
        // someone else's session is not yours to end, and does not even exist for you
        HttpResponse<String> notYours = aliceAtWork.delete(scene.broker().uri("/api/users/me/sessions/" + bobsSession));
        assertThat(notYours.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(notYours.body()).get("error").asText()).isEqualTo("not_found");
        assertSignedIn(bob, true);
        assertThat(aliceAtWork.delete(scene.broker().uri("/api/users/me/sessions/not-a-session-id")).statusCode()).isEqualTo(404);
        assertThat(scene.broker().strings("select user_id::text from events where type = 'sessions-ended'"))
                .containsExactly(me(aliceAtWork).get("id").asText());
    }

    @Test
    void endingYourCurrentSessionSignsThisBrowserOut() throws Exception {
        signIn(aliceAtWork, "alice");

        HttpResponse<String> response = aliceAtWork.delete(scene.broker().uri("/api/users/me/sessions/" + currentSessionId(aliceAtWork)));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("idb_session=;") && c.contains("Max-Age=0"));
        assertThat(scene.broker().count("select count(*) from sessions")).isZero();
    }

    @Test
    void endsAllYourSessionsAndNobodyElses() throws Exception {
        signIn(aliceAtWork, "alice");
        signIn(aliceAtHome, "alice");
        signIn(bob, "bob");

        HttpResponse<String> response = aliceAtWork.delete(scene.broker().uri("/api/users/me/sessions"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("ended").asInt()).isEqualTo(2);
        assertSignedIn(aliceAtWork, false);
        assertSignedIn(aliceAtHome, false);
        assertSignedIn(bob, true);
    }

    @Test
    void endsAllYourOtherSessionsWhenAskedToKeepThisOne() throws Exception {
        signIn(aliceAtWork, "alice");
        signIn(aliceAtHome, "alice");

        HttpResponse<String> response = aliceAtWork.delete(scene.broker().uri("/api/users/me/sessions?keepCurrent=true"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("ended").asInt()).isEqualTo(1);
        assertSignedIn(aliceAtWork, true);
        assertSignedIn(aliceAtHome, false);
        assertThat(aliceAtWork.delete(scene.broker().uri("/api/users/me/sessions?keepCurrent=maybe")).statusCode()).isEqualTo(400);
    }

    @Test
    void anAdministratorEndsEverySessionOfAUser() throws Exception {
        TestingBrowser admin = signInAdministrator();
        signIn(aliceAtWork, "alice");
        signIn(aliceAtHome, "alice");
        signIn(bob, "bob");
        String aliceId = me(aliceAtWork).get("id").asText();

        // Bob may not
        HttpResponse<String> byBob = bob.delete(scene.broker().uri("/api/users/" + aliceId + "/sessions"));
        assertThat(byBob.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(byBob.body()).get("message").asText()).contains("edit-users");
        assertSignedIn(aliceAtWork, true);

        HttpResponse<String> listed = admin.getJson(scene.broker().uri("/api/users/" + aliceId + "/sessions"));
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(listed.body())).hasSize(2);

        HttpResponse<String> response = admin.delete(scene.broker().uri("/api/users/" + aliceId + "/sessions"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("ended").asInt()).isEqualTo(2);
        assertSignedIn(aliceAtWork, false);
        assertSignedIn(aliceAtHome, false);
        assertSignedIn(bob, true);
        assertSignedIn(admin, true);
        assertThat(scene.broker().strings("select details->>'by' from events where type = 'sessions-ended'")).containsExactly("boss");
        assertThat(admin.delete(scene.broker().uri("/api/users/00000000-0000-0000-0000-000000000000/sessions")).statusCode()).isEqualTo(404);
    }

    @Test
    void onlySystemAdministratorsSeeOrChangeTheSessionLifetimes() throws Exception {
        signIn(bob, "bob");
        TestingBrowser admin = signInAdministrator();

        assertThat(bob.getJson(scene.broker().uri("/api/configuration/sessions")).statusCode()).isEqualTo(403);
        assertThat(bob.putJson(scene.broker().uri("/api/configuration/sessions"), "{\"idleMinutes\":5,\"absoluteMinutes\":10}").statusCode())
                .isEqualTo(403);
        JsonNode lifetimes = JSON.readTree(admin.getJson(scene.broker().uri("/api/configuration/sessions")).body());
        assertThat(lifetimes.get("idleMinutes").asLong()).isEqualTo(480);
        assertThat(lifetimes.get("absoluteMinutes").asLong()).isEqualTo(1440);
    }

    @Test
    void refusesLifetimesThatMakeNoSense() throws Exception {
        TestingBrowser admin = signInAdministrator();

        assertBadLifetimes(admin, "{\"idleMinutes\":0,\"absoluteMinutes\":60}", "idleMinutes");
        assertBadLifetimes(admin, "{\"idleMinutes\":30}", "absoluteMinutes");
        assertBadLifetimes(admin, "{\"idleMinutes\":120,\"absoluteMinutes\":60}", "must not exceed");
        assertBadLifetimes(admin, "{\"idleMinutes\":30,\"absoluteMinutes\":99999999}", "absoluteMinutes");
        assertBadLifetimes(admin, "{\"idleMinutes\":\"soon\",\"absoluteMinutes\":60}", "idleMinutes");
        assertBadLifetimes(admin, "{\"idleMinutes\":1.5,\"absoluteMinutes\":60}", "idleMinutes");
        assertBadLifetimes(admin, "{\"idleMinutes\":30,\"absoluteMinutes\":60,\"forever\":true}", "forever");
        assertThat(JSON.readTree(admin.getJson(scene.broker().uri("/api/configuration/sessions")).body()).get("idleMinutes").asLong())
                .isEqualTo(480);
    }

    @Test
    void newLifetimesReachEveryNodeWithinSecondsAndApplyToExistingSessions() throws Exception {
        TestingBrowser admin = signInAdministrator();
        signIn(aliceAtWork, "alice");
        signIn(bob, "bob");
        TestingBroker secondNode = TestingBroker.anotherNode(scene.broker());
        otherNodes.add(secondNode);
        // Alice has not been seen for 45 minutes; Bob signed in 3 hours ago and is busy
        scene.broker().jdbi().useHandle(h -> {
            h.execute("update sessions set last_seen = now() - interval '45 minutes' where id = cast(? as uuid)",
                    currentSessionId(aliceAtWork));
            h.execute("update sessions set created = now() - interval '3 hours' where id = cast(? as uuid)",
                    currentSessionId(bob));
        });

        HttpResponse<String> put = admin.putJson(scene.broker().uri("/api/configuration/sessions"),
                "{\"idleMinutes\":30,\"absoluteMinutes\":120}");

        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(JSON.readTree(put.body()).get("idleMinutes").asLong()).isEqualTo(30);
        long waitedMillis = waitForLifetimes(secondNode, admin, 30, 120);
        assertThat(waitedMillis).isLessThan(5_000);
        assertThat(aliceAtWork.getJson(secondNode.uri("/api/users/me")).statusCode()).isEqualTo(401);
        assertThat(bob.getJson(secondNode.uri("/api/users/me")).statusCode()).isEqualTo(401);
        assertThat(admin.getJson(secondNode.uri("/api/users/me")).statusCode()).isEqualTo(200);
        assertThat(scene.broker().strings("select details->'after'->>'idleMinutes' from events where type = 'configuration-changed'"))
                .containsExactly("30");
    }

    @Test
    void storedLifetimesOutliveARestart() throws Exception {
        TestingBrowser admin = signInAdministrator();
        assertThat(admin.putJson(scene.broker().uri("/api/configuration/sessions"), "{\"idleMinutes\":45,\"absoluteMinutes\":600}")
                .statusCode()).isEqualTo(200);

        TestingBroker restarted = TestingBroker.anotherNode(scene.broker());
        otherNodes.add(restarted);

        JsonNode lifetimes = JSON.readTree(admin.getJson(restarted.uri("/api/configuration/sessions")).body());
        assertThat(lifetimes.get("idleMinutes").asLong()).isEqualTo(45);
        assertThat(lifetimes.get("absoluteMinutes").asLong()).isEqualTo(600);
    }

    private long waitForLifetimes(TestingBroker node, TestingBrowser admin, long idle, long absolute) throws Exception {
        long start = System.nanoTime();
        while (System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
            JsonNode lifetimes = JSON.readTree(admin.getJson(node.uri("/api/configuration/sessions")).body());
            if (lifetimes.get("idleMinutes").asLong() == idle && lifetimes.get("absoluteMinutes").asLong() == absolute) {
                return Duration.ofNanos(System.nanoTime() - start).toMillis();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the other node did not pick up the lifetimes within 10 s");
    }

    private void assertBadLifetimes(TestingBrowser admin, String json, String messagePart) throws IOException {
        HttpResponse<String> response = admin.putJson(scene.broker().uri("/api/configuration/sessions"), json);
        assertThat(response.statusCode()).as(json).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("message").asText()).as(json).contains(messagePart);
    }

    private TestingBrowser signInAdministrator() {
        assertThat(scene.broker().cli("admin", "--username", "boss", "--email", "boss@example.com").exitCode()).isZero();
        TestingBrowser admin = new TestingBrowser();
        scene.idp().nextSignIn("sub-boss", Map.of("preferred_username", "boss", "email", "boss@example.com", "email_verified", true));
        admin.signIn(scene.broker(), "GenericOidc");
        assertSignedIn(admin, true);
        return admin;
    }

    private void signIn(TestingBrowser browser, String username) {
        scene.idp().nextSignIn("sub-" + username, Map.of("preferred_username", username, "email", username + "@example.com",
                "email_verified", true));
        browser.signIn(scene.broker(), "GenericOidc");
        assertSignedIn(browser, true);
    }

    private void assertSignedIn(TestingBrowser browser, boolean signedIn) {
        assertThat(browser.getJson(scene.broker().uri("/api/users/me")).statusCode()).isEqualTo(signedIn ? 200 : 401);
    }

    private String currentSessionId(TestingBrowser browser) throws IOException {
        return sessionIds(browser, true).get(0);
    }

    private String otherSessionId(TestingBrowser browser) throws IOException {
        return sessionIds(browser, false).get(0);
    }

    private List<String> sessionIds(TestingBrowser browser, boolean current) throws IOException {
        List<String> ids = new ArrayList<>();
        for (JsonNode session : JSON.readTree(browser.getJson(scene.broker().uri("/api/users/me/sessions")).body())) {
            if (session.get("current").asBoolean() == current) {
                ids.add(session.get("id").asText());
            }
        }
        return ids;
    }

    private JsonNode me(TestingBrowser browser) throws IOException {
        return JSON.readTree(browser.getJson(scene.broker().uri("/api/users/me")).body());
    }
}
