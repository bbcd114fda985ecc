package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.RecordedRequest;
import org.idbroker.it.support.BrokerScene;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.it.support.TestingIdp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signing out at the IdP (RP-Initiated Logout) and the IdP signing people out of the broker
 * (Back-Channel Logout), against a real OpenID provider that signs its logout tokens.
 */
class LogoutTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient IDP_BACK_CHANNEL = HttpClient.newHttpClient();

    @RegisterExtension
    final BrokerScene scene = BrokerScene.configured("--scopes", "openid profile email",
            "--username-claim-type", "preferred_username", "--allow-auto-user-creation", "true");

    private final TestingBrowser aliceAtWork = new TestingBrowser();
    private final TestingBrowser aliceAtHome = new TestingBrowser();
    private final TestingBrowser bob = new TestingBrowser();

    // RP-initiated logout

    @Test
    void signOutSendsTheBrowserToTheIdpWithTheIdTokenTheClientAndTheWayBack() throws Exception {
        signIn(aliceAtWork, "sub-alice", "alice", "sid-alice-work");
        String cookie = aliceAtWork.cookie("idb_session").orElseThrow();
        scene.idp().drainRequests();

        HttpResponse<String> signOut = aliceAtWork.postJson(scene.broker().uri("/api/users/sign-out"), "");

        assertThat(signOut.statusCode()).isEqualTo(200);
        assertThat(signOut.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode answer = JSON.readTree(signOut.body());
        assertThat(answer.get("signedOut").asBoolean()).isTrue();
        URI redirectTo = URI.create(answer.get("redirectTo").asText());
        assertThat(redirectTo.toString()).startsWith(scene.idp().server().endSessionEndpointUrl("idp").toString());
        assertThat(withCookie(cookie).getJson(scene.broker().uri("/api/users/me")).statusCode()).isEqualTo(401);

        List<HttpResponse<String>> hops = aliceAtWork.follow(redirectTo);

        RecordedRequest endSession = scene.idp().takeRequestTo("/idp/endsession");
        HttpUrl received = endSession.getRequestUrl();
        assertThat(received.queryParameter("client_id")).isEqualTo(scene.idp().clientId());
        assertThat(received.queryParameter("post_logout_redirect_uri")).isEqualTo(scene.broker().baseUri() + "/app/sign-in");
        SignedJWT hint = SignedJWT.parse(received.queryParameter("id_token_hint"));
        assertThat(hint.getJWTClaimsSet().getIssuer()).isEqualTo(scene.idp().issuer());
        assertThat(hint.getJWTClaimsSet().getSubject()).isEqualTo("sub-alice");
        assertThat(hint.getJWTClaimsSet().getAudience()).containsExactly(scene.idp().clientId());
        assertThat(hint.getJWTClaimsSet().getStringClaim("sid")).isEqualTo("sid-alice-work");
        assertThat(hint.getJWTClaimsSet().getStringClaim("nonce")).isNotBlank();
        // and the IdP sends the browser back to the broker's sign-in page
        HttpResponse<String> landing = hops.get(hops.size() - 1);
        assertThat(landing.uri()).isEqualTo(scene.broker().uri("/app/sign-in"));
        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(scene.broker().strings("select type || ':' || (details->>'signedOutAtIdp') from events where type = 'sign-out'"))
                .containsExactly("sign-out:true");
    }

    @Test
    void signOutStaysAtTheBrokerWhenSignOutAtTheIdpIsOff() throws Exception {
        scene.broker().configure("--provider", "GenericOidc", "--set", "signOutAtIdp=false");
        signIn(aliceAtWork, "sub-alice", "alice", "sid-alice-work");

        HttpResponse<String> signOut = aliceAtWork.postJson(scene.broker().uri("/api/users/sign-out"), "");

        assertThat(signOut.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(signOut.body()).has("redirectTo")).isFalse();
        assertThat(aliceAtWork.getJson(scene.broker().uri("/api/users/me")).statusCode()).isEqualTo(401);
        assertThat(scene.broker().count("select count(*) from sessions")).isZero();
    }

    @Test
    void signOutWithoutASessionSaysSignedOutAndGoesNowhere() throws Exception {
        HttpResponse<String> signOut = new TestingBrowser().postJson(scene.broker().uri("/api/users/sign-out"), "");

        assertThat(signOut.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(signOut.body()).has("redirectTo")).isFalse();
    }

    // back-channel logout

    @Test
    void aLogoutTokenWithASessionIdEndsExactlyThatSession() throws Exception {
        signInEveryone();

        HttpResponse<String> response = postLogoutToken("GenericOidc",
                scene.idp().logoutToken("sub-alice", Map.of("sid", "sid-alice-work")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertSignedIn(aliceAtWork, false);
        assertSignedIn(aliceAtHome, true);
        assertSignedIn(bob, true);
        assertThat(scene.broker().strings("select outcome || ':' || (details->>'matchedBy') || ':' || (details->>'sessionsEnded') "
                + "from events where type = 'backchannel-logout'")).containsExactly("success:sid:1");
    }

    @Test
    void aLogoutTokenWithoutSessionIdEndsEverySessionOfThatPerson() {
        signInEveryone();

        HttpResponse<String> response = postLogoutToken("GenericOidc", scene.idp().logoutToken("sub-alice", Map.of()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertSignedIn(aliceAtWork, false);
        assertSignedIn(aliceAtHome, false);
        assertSignedIn(bob, true);
    }

    @Test
    void aLogoutTokenNamingOnlyASessionIdEndsThatSession() {
        signInEveryone();

        HttpResponse<String> response = postLogoutToken("GenericOidc", scene.idp().logoutToken(null, Map.of("sid", "sid-bob")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertSignedIn(bob, false);
        assertSignedIn(aliceAtWork, true);
        assertSignedIn(aliceAtHome, true);
    }

    @Test
    void aSessionIdOfAnotherPersonEndsNothing() {
        signInEveryone();

        HttpResponse<String> response = postLogoutToken("GenericOidc",
                scene.idp().logoutToken("sub-alice", Map.of("sid", "sid-bob")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(scene.broker().count("select count(*) from sessions")).isEqualTo(3);
    }

    @Test
    void refusesAForgedLogoutToken() throws Exception {
        signInEveryone();
        String genuine = scene.idp().logoutToken("sub-mallory", Map.of("sid", "sid-mallory"));
        // same signature, payload changed to name Bob's session
        String[] parts = genuine.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("sub-mallory", "sub-bob").replace("sid-mallory", "sid-bob");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];

        assertRefused(postLogoutToken("GenericOidc", forged), "logout_token_invalid", "signature");
    }

    @Test
    void refusesALogoutTokenSignedByAnotherIdp() {
        signInEveryone();
        try (TestingIdp other = TestingIdp.start()) {
            assertRefused(postLogoutToken("GenericOidc", other.logoutToken("sub-bob", Map.of("sid", "sid-bob"))),
                    "logout_token_invalid", "");
        }
    }

    @Test
    void refusesAnUnsignedLogoutToken() {
        signInEveryone();
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        String claims = Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"iss\":\"" + scene.idp().issuer() + "\",\"aud\":\""
                + scene.idp().clientId() + "\",\"sub\":\"sub-bob\",\"iat\":" + System.currentTimeMillis() / 1000 + ",\"exp\":"
                + (System.currentTimeMillis() / 1000 + 120) + ",\"jti\":\"j-1\",\"events\":{\"" + TestingIdp.BACKCHANNEL_LOGOUT_EVENT
                + "\":{}}}").getBytes(StandardCharsets.UTF_8));

        assertRefused(postLogoutToken("GenericOidc", header + "." + claims + "."), "logout_token_invalid", "not signed");
    }

    @Test
    void refusesAReplayedLogoutToken() throws Exception {
        signInEveryone();
        String token = scene.idp().logoutToken("sub-alice", Map.of("sid", "sid-alice-work"));
        assertThat(postLogoutToken("GenericOidc", token).statusCode()).isEqualTo(200);
        // Alice signs in again in the same IdP session; a replay must not end it
        signIn(aliceAtWork, "sub-alice", "alice", "sid-alice-work");

        assertRefused(postLogoutToken("GenericOidc", token), "logout_token_replayed", "received before");
        assertSignedIn(aliceAtWork, true);
    }

    @Test
    void refusesAnExpiredLogoutToken() {
        signInEveryone();

        assertRefused(postLogoutToken("GenericOidc", scene.idp().logoutToken("sub-alice", scene.idp().clientId(), -600, Map.of())),
                "logout_token_invalid", "expired");
    }

    @Test
    void refusesALogoutTokenForAnotherAudience() {
        signInEveryone();

        assertRefused(postLogoutToken("GenericOidc", scene.idp().logoutToken("sub-alice", "another-client", 120, Map.of())),
                "logout_token_invalid", "audience");
    }

    @Test
    void refusesALogoutTokenWithANonce() {
        signInEveryone();

        assertRefused(postLogoutToken("GenericOidc", scene.idp().logoutToken("sub-alice", Map.of("nonce", "n-0S6_WzA2Mj"))),
                "logout_token_invalid", "nonce");
    }

    @Test
    void refusesALogoutTokenWithoutTheLogoutEvent() {
        signInEveryone();
        Map<String, Object> noEvents = new HashMap<>();
        noEvents.put("events", null);

        assertRefused(postLogoutToken("GenericOidc", scene.idp().logoutToken("sub-alice", noEvents)), "logout_token_invalid", "events");
        assertRefused(postLogoutToken("GenericOidc", scene.idp().logoutToken("sub-alice",
                Map.of("events", Map.of("http://schemas.openid.net/event/other", Map.of())))), "logout_token_invalid", "event");
    }

    @Test
    void refusesALogoutTokenNamingNeitherPersonNorSession() {
        signInEveryone();

        assertRefused(postLogoutToken("GenericOidc", scene.idp().logoutToken(null, Map.of())), "logout_token_invalid", "sid");
    }

    @Test
    void refusesRequestsWithoutALogoutTokenOrForAnUnknownProvider() throws Exception {
        signInEveryone();
        String token = scene.idp().logoutToken("sub-alice", Map.of());

        assertRefused(postLogoutToken("NoSuchProvider", token), "provider_unknown", "NoSuchProvider");
        assertRefused(postForm("GenericOidc", "something_else=1"), "logout_token_missing", "logout_token");
        assertRefused(postForm("GenericOidc", "logout_token=a&logout_token=b"), "logout_token_missing", "exactly one");
        assertRefused(postForm("GenericOidc", "logout_token=not-a-jwt"), "logout_token_invalid", "well-formed");
        HttpResponse<String> json = IDP_BACK_CHANNEL.send(HttpRequest.newBuilder(scene.broker().uri("/api/users/backchannel-logout/GenericOidc"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"logout_token\":\"" + token + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertRefused(json, "invalid_request", "form");
        // the token itself is still good: none of the refusals spent it
        assertThat(postLogoutToken("GenericOidc", token).statusCode()).isEqualTo(200);
    }

    @Test
    void printsTheBackChannelLogoutUriWithTheRedirectUri() {
        TestingBroker.CliResult result = scene.broker().cli("configure", "--provider", "GenericOidc", "--enabled", "true");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Redirect URI to register at the IdP: " + scene.broker().baseUri() + "/api/users/authenticatedToken/GenericOidc")
                .contains(scene.broker().baseUri() + "/api/users/backchannel-logout/GenericOidc");
    }

    /** Alice in two browsers (two IdP sessions), Bob in one. */
    private void signInEveryone() {
        signIn(aliceAtWork, "sub-alice", "alice", "sid-alice-work");
        signIn(aliceAtHome, "sub-alice", "alice", "sid-alice-home");
        signIn(bob, "sub-bob", "bob", "sid-bob");
        assertThat(scene.broker().count("select count(*) from sessions")).isEqualTo(3);
    }

    private void signIn(TestingBrowser browser, String subject, String username, String sid) {
        scene.idp().nextSignIn(subject, Map.of("preferred_username", username, "email", username + "@example.com",
                "email_verified", true, "sid", sid));
        browser.signIn(scene.broker(), "GenericOidc");
        assertSignedIn(browser, true);
    }

    private void assertSignedIn(TestingBrowser browser, boolean signedIn) {
        assertThat(browser.getJson(scene.broker().uri("/api/users/me")).statusCode()).isEqualTo(signedIn ? 200 : 401);
    }

    /** A refusal that ended nothing, spent no token id, and was written down. */
    private void assertRefused(HttpResponse<String> response, String reason, String descriptionPart) {
        long sessions = scene.broker().count("select count(*) from sessions");
        long tokenIds = scene.broker().count("select count(*) from logout_token_ids");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(response.body(), e);
        }
        assertThat(body.get("error").asText()).isEqualTo("invalid_request");
        assertThat(body.get("reason").asText()).isEqualTo(reason);
        assertThat(body.get("error_description").asText()).containsIgnoringCase(descriptionPart);
        assertThat(response.body()).doesNotContain("Exception");
        assertThat(scene.broker().count("select count(*) from sessions")).isEqualTo(sessions);
        assertThat(scene.broker().count("select count(*) from logout_token_ids")).isEqualTo(tokenIds);
        assertThat(scene.broker().strings("select reason from events where type = 'backchannel-logout' and outcome = 'failure' "
                + "order by id desc limit 1")).containsExactly(reason);
    }

    private HttpResponse<String> postLogoutToken(String providerId, String token) {
        return postForm(providerId, "logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    /** What the IdP does: a server-to-server form post, no cookies. */
    private HttpResponse<String> postForm(String providerId, String form) {
        try {
            return IDP_BACK_CHANNEL.send(HttpRequest.newBuilder(scene.broker().uri("/api/users/backchannel-logout/" + providerId))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private TestingBrowser withCookie(String token) {
        TestingBrowser browser = new TestingBrowser();
        browser.setCookie(scene.broker().baseUri(), "idb_session", token);
        return browser;
    }
}
