package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.it.support.TestingIdp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two broker nodes on one database, as behind a load balancer without sticky sessions: whatever
 * one node starts or changes, the other serves at the next request.
 */
class ScaleOutTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private TestingIdp idp;
    private TestingBroker nodeB;
    private TestingBroker nodeA;
    private final TestingBrowser browser = new TestingBrowser();

    @BeforeEach
    void start() {
        idp = TestingIdp.start();
        // B owns the database, so A can be killed in the middle of a test without dropping it
        nodeB = TestingBroker.start();
        nodeA = TestingBroker.anotherNode(nodeB);
        nodeA.configureOidc("GenericOidc", idp, "--scopes", "openid profile email", "--username-claim-type",
                "preferred_username", "--allow-auto-user-creation", "true");
    }

    @AfterEach
    void stop() {
        nodeA.close();
        nodeB.close();
        idp.close();
    }

    @Test
    void aSignInStartedOnOneNodeFinishesOnTheOther() throws Exception {
        URI callbackForA = signInUpToTheCallback(nodeA);

        HttpResponse<String> callback = browser.navigate(onNode(nodeB, callbackForA));

        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(303);
        assertThat(me(nodeB, browser).get("username").asText()).isEqualTo("alice");
        assertThat(me(nodeA, browser).get("username").asText()).isEqualTo("alice");

        // used on one node, the state is used on every node
        HttpResponse<String> replay = browser.navigate(callbackForA);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("state_unknown");
    }

    @Test
    void aSessionMadeOnOneNodeWorksOnTheOther() throws Exception {
        idp.nextSignIn("sub-alice", alice());
        browser.signIn(nodeA, "GenericOidc");

        assertThat(me(nodeB, browser).get("username").asText()).isEqualTo("alice");
    }

    @Test
    void signingOutOnOneNodeIsRefusedOnTheOtherAtTheNextRequest() {
        idp.nextSignIn("sub-alice", alice());
        browser.signIn(nodeA, "GenericOidc");
        String token = browser.cookie("idb_session").orElseThrow();
        assertThat(meStatus(nodeB, token)).isEqualTo(200);

        assertThat(browser.postJson(nodeA.uri("/api/users/sign-out"), "{}").statusCode()).isEqualTo(200);

        assertThat(meStatus(nodeB, token)).isEqualTo(401);
    }

    @Test
    void disablingAUserOnOneNodeIsRefusedOnTheOtherAtTheNextRequest() {
        idp.nextSignIn("sub-alice", alice());
        browser.signIn(nodeA, "GenericOidc");
        String token = browser.cookie("idb_session").orElseThrow();
        assertThat(meStatus(nodeB, token)).isEqualTo(200);

        nodeA.jdbi().useHandle(h -> h.execute("update users set active = false where username = 'alice'"));

        assertThat(meStatus(nodeB, token)).isEqualTo(401);
        assertThat(meStatus(nodeA, token)).isEqualTo(401);
    }

    @Test
    void aSettingsChangeOnOneNodeIsLiveOnTheOtherWithinFiveSeconds() throws Exception {
        assertThat(providerNames(nodeB)).containsExactly("Test IdP");

        long changed = System.nanoTime();
        nodeA.configure("--provider", "GenericOidc", "--display-name", "Company login");

        Duration waited = Duration.ZERO;
        while (!providerNames(nodeB).equals(List.of("Company login")) && waited.compareTo(Duration.ofSeconds(6)) < 0) {
            Thread.sleep(50);
            waited = Duration.ofNanos(System.nanoTime() - changed);
        }
        assertThat(providerNames(nodeB)).containsExactly("Company login");
        assertThat(waited).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aDisabledProviderOnOneNodeRefusesSignInsOnTheOtherWithinFiveSeconds() throws Exception {
        nodeA.configure("--provider", "GenericOidc", "--enabled", "false");

        long changed = System.nanoTime();
        int status = 0;
        while (System.nanoTime() - changed < Duration.ofSeconds(5).toNanos()) {
            status = browser.navigate(nodeB.uri("/api/users/authenticate/GenericOidc")).statusCode();
            if (status == 404) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(status).isEqualTo(404);
    }

    @Test
    void killingTheNodeThatStartedASignInLetsTheUserFinishOnAnother() throws Exception {
        URI callbackForA = signInUpToTheCallback(nodeA);

        nodeA.close();
        assertThat(reachable(nodeA)).isFalse();
        nodeA = TestingBroker.anotherNode(nodeB); // so that the clean-up closes a live node

        HttpResponse<String> callback = browser.navigate(onNode(nodeB, callbackForA));
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(303);
        assertThat(me(nodeB, browser).get("username").asText()).isEqualTo("alice");
        assertThat(nodeB.count("select count(*) from spent_login_states")).as("the state, spent").isEqualTo(1);
        assertThat(nodeB.count("select count(*) from login_transactions")).as("no longer used").isZero();
    }

    /** Starts at {@code node}, goes through the IdP, and stops at the callback address the IdP sent the browser to. */
    private URI signInUpToTheCallback(TestingBroker node) {
        idp.nextSignIn("sub-alice", alice());
        HttpResponse<String> start = browser.navigate(node.uri("/api/users/authenticate/GenericOidc"));
        assertThat(start.statusCode()).isEqualTo(302);
        HttpResponse<String> atIdp = browser.navigate(URI.create(start.headers().firstValue("Location").orElseThrow()));
        URI callback = URI.create(atIdp.headers().firstValue("Location").orElseThrow());
        assertThat(callback.getPort()).isEqualTo(node.baseUri().getPort());
        return callback;
    }

    /** The same path and query, sent to {@code node}: what a load balancer does when it picks another node. */
    private static URI onNode(TestingBroker node, URI uri) {
        return URI.create(node.baseUri() + uri.getRawPath() + "?" + uri.getRawQuery());
    }

    private static JsonNode me(TestingBroker node, TestingBrowser who) throws Exception {
        HttpResponse<String> response = who.getJson(node.uri("/api/users/me"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static int meStatus(TestingBroker node, String sessionToken) {
        return new TestingBrowser().send(HttpRequest.newBuilder(node.uri("/api/users/me")).header("Accept", "application/json")
                .header("Cookie", "idb_session=" + sessionToken).GET().build()).statusCode();
    }

    private List<String> providerNames(TestingBroker node) throws Exception {
        JsonNode providers = JSON.readTree(browser.getJson(node.uri("/api/authentication/providers")).body());
        return java.util.stream.StreamSupport.stream(providers.spliterator(), false).map(p -> p.get("displayName").asText()).toList();
    }

    private static boolean reachable(TestingBroker node) {
        try {
            new TestingBrowser().getJson(node.uri("/health/live"));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Map<String, Object> alice() {
        return Map.of("preferred_username", "alice", "name", "Alice Doe", "email", "alice@example.com", "email_verified", true);
    }
}
