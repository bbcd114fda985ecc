package org.idbroker.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.idbroker.it.support.BrokerState;
import org.idbroker.it.support.HostileIdp;
import org.idbroker.it.support.HostileScene;
import org.idbroker.it.support.HostileScene.SignInAttempt;
import org.idbroker.it.support.TestingBrowser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a hostile page or browser can send: open redirects, oversized requests, planted cookies. */
class HostileBrowserTest {

    private static HostileScene scene;
    private HostileIdp idp;
    private BrokerState before;

    @BeforeAll
    static void startBroker() {
        scene = HostileScene.start();
    }

    @AfterAll
    static void stopBroker() {
        scene.close();
    }

    @BeforeEach
    void snapshot() {
        idp = scene.idp();
        before = scene.state();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example.com/", "//evil.example.com", "/\\evil.example.com", "javascript:alert(1)",
            "/\t/evil.example.com", "\\\\evil.example.com", "http:evil.example.com", "/%0d%0aSet-Cookie:x=y"})
    void sendsTheBrowserOnlyToPathsOnThisBrokerAfterSignIn(String target) {
        TestingBrowser browser = new TestingBrowser();
        List<HttpResponse<String>> hops = browser.follow(scene.broker().uri("/api/users/authenticate/GenericOidc?redirectAfterLoginTo="
                + URLEncoder.encode(target, StandardCharsets.UTF_8)));

        HttpResponse<String> callback = HostileScene.callback(hops);
        assertThat(callback.statusCode()).isEqualTo(303);
        String location = callback.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(scene.broker().baseUri() + "/").doesNotContain("evil").doesNotContain("\n");
        assertThat(callback.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("x="));
    }

    @Test
    void keepsAPathOnThisBroker() {
        TestingBrowser browser = new TestingBrowser();
        List<HttpResponse<String>> hops = browser.follow(scene.broker().uri(
                "/api/users/authenticate/GenericOidc?redirectAfterLoginTo=%2Fapp%2Fteams%3Fx%3D1"));

        assertThat(HostileScene.callback(hops).headers().firstValue("Location")).hasValue(scene.broker().baseUri() + "/app/teams?x=1");
    }

    @Test
    void refusesAnOversizedQueryWithoutAServerError() {
        long spent = scene.broker().count("select count(*) from spent_login_states");
        TestingBrowser browser = new TestingBrowser();

        HttpResponse<String> start = browser.navigate(scene.broker().uri("/api/users/authenticate/GenericOidc?redirectAfterLoginTo=/"
                + "a".repeat(40_000)));
        HttpResponse<String> callback = browser.navigate(scene.broker().uri("/api/users/authenticatedToken/GenericOidc?state="
                + "s".repeat(40_000) + "&code=c"));

        assertThat(start.statusCode()).isIn(400, 414, 431);
        assertThat(callback.statusCode()).isIn(400, 414, 431);
        assertThat(scene.broker().count("select count(*) from spent_login_states")).isEqualTo(spent);
        assertThat(scene.state()).isEqualTo(before);
    }

    @Test
    void refusesAnOversizedFormPostedCallback() {
        TestingBrowser browser = new TestingBrowser();
        HttpResponse<String> response = browser.send(HttpRequest.newBuilder(scene.broker().uri("/api/users/authenticatedToken/GenericOidc"))
                .header("Accept", "text/html").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("state=abc&code=" + "c".repeat(100_000))).build());

        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(response.body()).doesNotContain("Exception");
        assertThat(scene.state()).isEqualTo(before);
    }

    @Test
    void refusesAFormPostWithThousandsOfParameters() {
        StringBuilder body = new StringBuilder("state=abc");
        for (int i = 0; i < 5_000; i++) {
            body.append("&p").append(i).append("=v");
        }
        HttpResponse<String> response = new TestingBrowser().send(HttpRequest.newBuilder(
                        scene.broker().uri("/api/users/authenticatedToken/GenericOidc"))
                .header("Accept", "text/html").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());

        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(response.body()).doesNotContain("Exception");
        assertThat(scene.state()).isEqualTo(before);
    }

    @Test
    void refusesOversizedHeadersWithoutAServerError() {
        TestingBrowser browser = new TestingBrowser();
        HttpResponse<String> cookie = browser.send(HttpRequest.newBuilder(scene.broker().uri("/api/users/authenticate/GenericOidc"))
                .header("Cookie", "idb_login=" + "l".repeat(40_000)).GET().build());
        HttpResponse<String> header = browser.send(HttpRequest.newBuilder(scene.broker().uri("/api/users/authenticatedToken/GenericOidc?state=x"))
                .header("X-Padding", "p".repeat(40_000)).GET().build());

        assertThat(cookie.statusCode()).isIn(400, 431);
        assertThat(header.statusCode()).isIn(400, 431);
        assertThat(scene.state()).isEqualTo(before);
    }

    @Test
    void aSessionCookiePlantedBeforeSignInIsNeverPromoted() {
        TestingBrowser victim = new TestingBrowser();
        String planted = "planted-by-the-attacker-0123456789abcdefghij";
        victim.setCookie(scene.broker().baseUri(), "idb_session", planted);

        String issued = sessionSetBy(scene.signIn(victim, HostileScene.PROVIDER));

        assertThat(issued).isNotEqualTo(planted);
        assertThat(signedInAs(planted)).as("the planted value").isEqualTo(401);
        assertThat(signedInAs(issued)).as("the value the broker issued").isEqualTo(200);
    }

    @Test
    void anAttackersOwnSessionPlantedInTheVictimsBrowserIsEndedNotReused() {
        idp.signsIn("sub-mallory", java.util.Map.of("preferred_username", "mallory", "email", "mallory@example.com",
                "email_verified", true));
        String attackersSession = sessionSetBy(scene.signIn(new TestingBrowser(), HostileScene.PROVIDER));
        idp.signsIn("sub-alice", HostileScene.alice(List.of("staff")));
        TestingBrowser victim = new TestingBrowser();
        victim.setCookie(scene.broker().baseUri(), "idb_session", attackersSession);

        String issued = sessionSetBy(scene.signIn(victim, HostileScene.PROVIDER));

        assertThat(issued).isNotEqualTo(attackersSession);
        assertThat(signedInAs(attackersSession)).as("the attacker's session, sent along with the sign-in").isEqualTo(401);
        TestingBrowser fresh = new TestingBrowser();
        fresh.setCookie(scene.broker().baseUri(), "idb_session", issued);
        assertThat(fresh.getJson(scene.broker().uri("/api/users/me")).body()).contains("\"alice\"").doesNotContain("mallory");
    }

    private static String sessionSetBy(SignInAttempt attempt) {
        HttpResponse<String> callback = HostileScene.callback(attempt.hops());
        assertThat(callback.statusCode()).as(attempt.landing().body()).isEqualTo(303);
        String header = callback.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("idb_session="))
                .findFirst().orElseThrow();
        return header.substring("idb_session=".length(), header.indexOf(';'));
    }

    private static int signedInAs(String sessionToken) {
        TestingBrowser browser = new TestingBrowser();
        browser.setCookie(scene.broker().baseUri(), "idb_session", sessionToken);
        return browser.getJson(scene.broker().uri("/api/users/me")).statusCode();
    }

    @Test
    void setsCookiesThatScriptsCannotReadAndOtherSitesCannotSend() {
        TestingBrowser browser = new TestingBrowser();
        HttpResponse<String> start = browser.navigate(scene.broker().uri("/api/users/authenticate/GenericOidc"));
        String login = start.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("idb_login=")).findFirst().orElseThrow();
        HttpResponse<String> atIdp = browser.navigate(URI.create(start.headers().firstValue("Location").orElseThrow()));
        HttpResponse<String> callback = browser.navigate(URI.create(atIdp.headers().firstValue("Location").orElseThrow()));
        String session = callback.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("idb_session=")).findFirst().orElseThrow();

        assertThat(login).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/api/users/authenticatedToken/")
                .doesNotContain("Domain=");
        assertThat(session).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/").contains("Max-Age=")
                .doesNotContain("Domain=");
        // the broker runs on http://localhost here; on https the cookies also carry Secure
        assertThat(session).doesNotContain("Secure");
        assertThat(callback.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void theSignInStartIsNeverCached() {
        HttpResponse<String> start = new TestingBrowser().navigate(scene.broker().uri("/api/users/authenticate/GenericOidc"));

        assertThat(start.headers().firstValue("Cache-Control")).hasValue("no-store");
    }
}
