package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.RecordedRequest;
import org.idbroker.it.support.BrokerScene;
import org.idbroker.it.support.TestingBrowser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sign-in end to end: a browser, the real broker on PostgreSQL, a real OpenID provider. Each test
 * has a broker database of its own, so what it counts is its own doing.
 */
class SignInTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    final BrokerScene scene = BrokerScene.asTheGuideSays();

    private final TestingBrowser browser = new TestingBrowser();

    @Test
    void createsANewUserFromTheClaims() throws Exception {
        scene.idp().nextSignIn("sub-alice", alice(true));

        List<HttpResponse<String>> hops = browser.signIn(scene.broker(), "GenericOidc");

        HttpResponse<String> callback = callback(hops);
        assertThat(callback.statusCode()).isEqualTo(303);
        assertThat(callback.headers().firstValue("Location")).hasValue(scene.broker().baseUri() + "/");
        JsonNode me = me();
        assertThat(me.get("username").asText()).isEqualTo("alice");
        assertThat(me.get("displayName").asText()).isEqualTo("Alice Doe");
        assertThat(me.get("emailAddress").asText()).isEqualTo("alice@example.com");
        assertThat(me.get("externalIdentities").get(0).get("issuer").asText()).isEqualTo(scene.idp().issuer());
        assertThat(me.get("externalIdentities").get(0).get("subject").asText()).isEqualTo("sub-alice");
        assertThat(me.get("externalIdentities").get(0).get("providerId").asText()).isEqualTo("GenericOidc");
        assertThat(me.get("externalGroups")).extracting(JsonNode::asText).containsExactly("octopusTesters", "developers");
        assertThat(me.get("teams")).extracting(t -> t.get("name").asText()).containsExactly("Everyone");
        assertThat(scene.broker().strings("select outcome || ':' || coalesce(details->>'matchedBy', '') from events where type = 'sign-in'"))
                .containsExactly("success:created");
    }

    @Test
    void findsTheSameUserAgainByExternalIdentifier() throws Exception {
        scene.idp().nextSignIn("sub-alice", alice(true));
        browser.signIn(scene.broker(), "GenericOidc");
        String firstId = me().get("id").asText();

        TestingBrowser laterBrowser = new TestingBrowser();
        scene.idp().nextSignIn("sub-alice", Map.of("preferred_username", "alice", "email", "alice.new@example.com",
                "email_verified", false, "groups", List.of("developers")));
        laterBrowser.signIn(scene.broker(), "GenericOidc");

        JsonNode again = me(laterBrowser);
        assertThat(again.get("id").asText()).isEqualTo(firstId);
        assertThat(again.get("externalGroups")).extracting(JsonNode::asText).containsExactly("developers");
        assertThat(scene.broker().count("select count(*) from users")).isEqualTo(1);
        assertThat(scene.broker().count("select count(*) from external_identities")).isEqualTo(1);
        // the identity remembers this sign-in and the email the IdP gave this time
        assertThat(scene.broker().strings("select email from external_identities")).containsExactly("alice.new@example.com");
        assertThat(scene.broker().count("select count(*) from external_identities where last_sign_in > created")).isEqualTo(1);
    }

    @Test
    void matchesTheSeededAdministratorByEmailAndLinksTheIdentity() throws Exception {
        assertThat(scene.broker().cli("admin", "--username", "boss", "--email", "boss@example.com").exitCode()).isZero();
        scene.idp().nextSignIn("sub-boss", Map.of("preferred_username", "the-boss", "name", "The Boss", "email", "BOSS@example.com",
                "email_verified", true));

        browser.signIn(scene.broker(), "GenericOidc");

        JsonNode me = me();
        assertThat(me.get("username").asText()).isEqualTo("boss");
        assertThat(me.get("teams")).extracting(t -> t.get("name").asText()).contains("Administrators", "Everyone");
        assertThat(me.get("externalIdentities")).hasSize(1);
        assertThat(scene.broker().count("select count(*) from users")).isEqualTo(1);

        // next time the external identifier finds the account, even with another email
        TestingBrowser later = new TestingBrowser();
        scene.idp().nextSignIn("sub-boss", Map.of("email", "boss@elsewhere.example", "email_verified", false));
        later.signIn(scene.broker(), "GenericOidc");
        assertThat(me(later).get("username").asText()).isEqualTo("boss");
    }

    @Test
    void refusesWhenNothingMatchesAndAutomaticCreationIsOff() {
        scene.broker().configure("--provider", "GenericOidc", "--allow-auto-user-creation", "false");
        scene.idp().nextSignIn("sub-stranger", Map.of("preferred_username", "stranger", "email", "stranger@example.com",
                "email_verified", true));

        HttpResponse<String> landing = last(browser.signIn(scene.broker(), "GenericOidc"));

        assertThat(landing.statusCode()).isEqualTo(403);
        assertThat(landing.body()).contains("No user account matches").contains("automatic user creation is off")
                .contains("no_matching_account");
        assertThat(browser.cookie("idb_session")).isEmpty();
        assertThat(scene.broker().count("select count(*) from users")).isZero();
        assertThat(scene.broker().count("select count(*) from external_identities")).isZero();
        assertThat(scene.broker().strings("select reason from events where outcome = 'failure'")).containsExactly("no_matching_account");
    }

    @Test
    void refusesToLinkByAnUnverifiedEmailWhenTrustEmailIsOff() {
        scene.broker().cli("admin", "--username", "boss", "--email", "boss@example.com");
        scene.idp().nextSignIn("sub-boss", Map.of("preferred_username", "boss", "email", "boss@example.com", "email_verified", false));

        HttpResponse<String> landing = last(browser.signIn(scene.broker(), "GenericOidc"));

        assertThat(landing.statusCode()).isEqualTo(403);
        assertThat(landing.body()).contains("Trust Email").contains("email_verified").contains("email_not_verified");
        assertThat(browser.cookie("idb_session")).isEmpty();
        assertThat(scene.broker().count("select count(*) from external_identities")).isZero();
        assertThat(scene.broker().count("select count(*) from users")).isEqualTo(1);
    }

    @Test
    void linksByAnUnverifiedEmailWhenTrustEmailIsOn() throws Exception {
        scene.broker().configure("--provider", "GenericOidc", "--trust-email", "true");
        scene.broker().cli("admin", "--username", "boss", "--email", "boss@example.com");
        scene.idp().nextSignIn("sub-boss", Map.of("preferred_username", "boss", "email", "boss@example.com", "email_verified", false));

        browser.signIn(scene.broker(), "GenericOidc");

        assertThat(me().get("username").asText()).isEqualTo("boss");
        assertThat(scene.broker().count("select count(*) from external_identities")).isEqualTo(1);
    }

    @Test
    void aTakenUsernameNeverLinksTheNewPersonToIt() throws Exception {
        scene.broker().cli("admin", "--username", "alice", "--email", "other-alice@example.com");
        scene.idp().nextSignIn("sub-alice", alice(true));

        browser.signIn(scene.broker(), "GenericOidc");

        JsonNode me = me();
        assertThat(me.get("username").asText()).isEqualTo("alice2");
        assertThat(me.get("teams")).extracting(t -> t.get("name").asText()).doesNotContain("Administrators");
        assertThat(scene.broker().count("select count(*) from users")).isEqualTo(2);
    }

    @Test
    void refusesAnInactiveUser() {
        scene.idp().nextSignIn("sub-alice", alice(true));
        browser.signIn(scene.broker(), "GenericOidc");
        scene.broker().jdbi().useHandle(h -> h.execute("update users set active = false"));
        List<String> before = scene.broker().strings("select email || ' ' || last_sign_in from external_identities");

        TestingBrowser again = new TestingBrowser();
        scene.idp().nextSignIn("sub-alice", Map.of("preferred_username", "alice", "email", "alice.other@example.com", "email_verified", true));
        HttpResponse<String> landing = last(again.signIn(scene.broker(), "GenericOidc"));

        assertThat(landing.statusCode()).isEqualTo(403);
        assertThat(landing.body()).contains("user_inactive");
        assertThat(again.cookie("idb_session")).isEmpty();
        // a refused sign-in changes nothing stored about the identity
        assertThat(scene.broker().strings("select email || ' ' || last_sign_in from external_identities")).isEqualTo(before);
        assertThat(browser.getJson(scene.broker().uri("/api/users/me")).statusCode()).isEqualTo(401);
    }

    @Test
    void aDisabledProviderIsNotListedAndRefusesSignIns() throws Exception {
        assertThat(JSON.readTree(browser.getJson(scene.broker().uri("/api/authentication/providers")).body()).get(0).get("displayName").asText())
                .isEqualTo("Test IdP");
        scene.broker().configure("--provider", "GenericOidc", "--enabled", "false");

        assertThat(browser.getJson(scene.broker().uri("/api/authentication/providers")).body()).isEqualTo("[]");
        HttpResponse<String> start = browser.navigate(scene.broker().uri("/api/users/authenticate/GenericOidc"));
        assertThat(start.statusCode()).isEqualTo(404);
        assertThat(start.body()).contains("provider_unknown");
        assertThat(browser.navigate(scene.broker().uri("/api/users/authenticate/NoSuchProvider")).statusCode()).isEqualTo(404);
    }

    @Test
    void refusesAReplayedCallback() {
        scene.idp().nextSignIn("sub-alice", alice(true));
        List<HttpResponse<String>> hops = browser.signIn(scene.broker(), "GenericOidc");
        URI callback = callback(hops).uri();
        long sessions = scene.broker().count("select count(*) from sessions");

        HttpResponse<String> replay = browser.navigate(callback);

        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("state_unknown");
        assertThat(scene.broker().count("select count(*) from sessions")).isEqualTo(sessions);
    }

    @Test
    void refusesATamperedState() {
        URI callback = callbackOf(browser);
        URI tampered = URI.create(callback.toString().replaceFirst("state=[^&]+", "state=forged-state-value"));

        HttpResponse<String> response = browser.navigate(tampered);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("state_unknown");
        assertThat(browser.cookie("idb_session")).isEmpty();
        assertThat(scene.broker().count("select count(*) from users")).isZero();
    }

    @Test
    void refusesACallbackWithoutState() {
        HttpResponse<String> response = browser.navigate(scene.broker().uri("/api/users/authenticatedToken/GenericOidc?code=abc"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("state_missing");
    }

    @Test
    void refusesACallbackCarriedToAnotherBrowser() {
        URI callback = callbackOf(browser);

        TestingBrowser attacker = new TestingBrowser();
        HttpResponse<String> stolen = attacker.navigate(callback);

        assertThat(stolen.statusCode()).isEqualTo(400);
        assertThat(stolen.body()).contains("state_other_browser");
        assertThat(attacker.cookie("idb_session")).isEmpty();
        // the rightful browser can still finish
        HttpResponse<String> rightful = browser.navigate(callback);
        assertThat(rightful.statusCode()).isEqualTo(303);
    }

    @Test
    void honoursChangedUsernameAndRoleClaimTypes() throws Exception {
        scene.broker().configure("--provider", "GenericOidc", "--username-claim-type", "nickname", "--role-claim-type", "roles");
        scene.idp().nextSignIn("sub-bob", Map.of("preferred_username", "not-this", "nickname", "bobby", "email", "bob@example.com",
                "email_verified", true, "groups", List.of("ignored"), "roles", "single-role"));

        browser.signIn(scene.broker(), "GenericOidc");

        JsonNode me = me();
        assertThat(me.get("username").asText()).isEqualTo("bobby");
        assertThat(me.get("externalGroups")).extracting(JsonNode::asText).containsExactly("single-role");
    }

    @Test
    void sendsTheConfiguredScopesAndResourceToTheIdp() {
        scene.broker().configure("--provider", "GenericOidc", "--resource", "https://api.example.com/octopus");
        scene.idp().drainRequests();
        scene.idp().nextSignIn("sub-alice", alice(true));

        browser.signIn(scene.broker(), "GenericOidc");

        RecordedRequest request;
        String authorize = null;
        while ((request = scene.idp().takeRequest()) != null) {
            if (request.getPath().contains("/authorize")) {
                authorize = request.getPath();
            }
        }
        assertThat(authorize).isNotNull();
        URI uri = URI.create(authorize);
        assertThat(uri.getQuery()).contains("scope=openid+profile+email+groups")
                .contains("resource=https://api.example.com/octopus")
                .contains("code_challenge_method=S256").contains("nonce=").contains("state=")
                .contains("redirect_uri=" + scene.broker().baseUri() + "/api/users/authenticatedToken/GenericOidc");
    }

    @Test
    void goesOnlyToPathsOnThisBrokerAfterSignIn() {
        scene.idp().nextSignIn("sub-alice", alice(true));
        List<HttpResponse<String>> hops = browser.follow(
                scene.broker().uri("/api/users/authenticate/GenericOidc?redirectAfterLoginTo=/app/teams%3Fx%3D1"));
        assertThat(callback(hops).headers().firstValue("Location")).hasValue(scene.broker().baseUri() + "/app/teams?x=1");

        for (String evil : List.of("https://evil.example.com/", "//evil.example.com", "/\\evil.example.com", "javascript:alert(1)")) {
            TestingBrowser other = new TestingBrowser();
            scene.idp().nextSignIn("sub-alice", alice(true));
            List<HttpResponse<String>> evilHops = other.follow(scene.broker().uri("/api/users/authenticate/GenericOidc?redirectAfterLoginTo="
                    + java.net.URLEncoder.encode(evil, java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(callback(evilHops).headers().firstValue("Location")).as(evil).hasValue(scene.broker().baseUri() + "/");
        }
    }

    @Test
    void setsASessionCookieThatScriptsCannotRead() {
        scene.idp().nextSignIn("sub-alice", alice(true));
        List<HttpResponse<String>> hops = browser.signIn(scene.broker(), "GenericOidc");
        String setCookie = callback(hops).headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("idb_session=")).findFirst().orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/");
        String token = browser.cookie("idb_session").orElseThrow();
        assertThat(token).hasSize(43);
        // only the hash is stored
        assertThat(scene.broker().count("select count(*) from sessions where encode(token_hash, 'escape') like ?", "%" + token + "%")).isZero();
    }

    @Test
    void aSessionCookiePlantedBeforeSignInIsNotReused() throws Exception {
        scene.idp().nextSignIn("sub-alice", alice(true));
        browser.signIn(scene.broker(), "GenericOidc");
        String planted = browser.cookie("idb_session").orElseThrow();

        scene.idp().nextSignIn("sub-alice", alice(true));
        browser.signIn(scene.broker(), "GenericOidc");

        assertThat(browser.cookie("idb_session")).isPresent().get().isNotEqualTo(planted);
        TestingBrowser withOldCookie = new TestingBrowser();
        withOldCookie.setCookie(scene.broker().baseUri(), "idb_session", planted);
        assertThat(withOldCookie.getJson(scene.broker().uri("/api/users/me")).statusCode()).isEqualTo(401);
    }

    @Test
    void signOutEndsTheSession() throws Exception {
        scene.idp().nextSignIn("sub-alice", alice(true));
        browser.signIn(scene.broker(), "GenericOidc");
        assertThat(browser.getJson(scene.broker().uri("/api/users/me")).statusCode()).isEqualTo(200);
        String token = browser.cookie("idb_session").orElseThrow();

        HttpResponse<String> signOut = browser.postJson(scene.broker().uri("/api/users/sign-out"), "");

        assertThat(signOut.statusCode()).isEqualTo(200);
        assertThat(scene.broker().count("select count(*) from sessions")).isZero();
        TestingBrowser withOldCookie = new TestingBrowser();
        withOldCookie.setCookie(scene.broker().baseUri(), "idb_session", token);
        assertThat(withOldCookie.getJson(scene.broker().uri("/api/users/me")).statusCode()).isEqualTo(401);
        assertThat(scene.broker().strings("select type from events order by id")).containsExactly("sign-in", "sign-out");
    }

    @Test
    void anIdpErrorIsShownAsAPlainMessage() {
        URI callback = callbackOf(browser);
        String state = callback.getQuery().replaceFirst(".*state=([^&]+).*", "$1");

        HttpResponse<String> response = browser.navigate(scene.broker().uri("/api/users/authenticatedToken/GenericOidc?error=access_denied"
                + "&error_description=The+user+said+no&state=" + state));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("idp_error").contains("access_denied");
        assertThat(response.body()).doesNotContain("Exception");
    }

    /** Starts a sign-in and stops at the callback address the IdP sent the browser to. */
    private URI callbackOf(TestingBrowser who) {
        scene.idp().nextSignIn("sub-alice", alice(true));
        HttpResponse<String> start = who.navigate(scene.broker().uri("/api/users/authenticate/GenericOidc"));
        URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> atIdp = who.navigate(authorize);
        return URI.create(atIdp.headers().firstValue("Location").orElseThrow());
    }

    private JsonNode me() throws Exception {
        return me(browser);
    }

    private JsonNode me(TestingBrowser who) throws Exception {
        HttpResponse<String> response = who.getJson(scene.broker().uri("/api/users/me"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The broker's answer to the IdP's redirect back. */
    private static HttpResponse<String> callback(List<HttpResponse<String>> hops) {
        return hops.stream().filter(h -> h.uri().getPath().startsWith("/api/users/authenticatedToken/")).findFirst().orElseThrow();
    }

    private static HttpResponse<String> last(List<HttpResponse<String>> hops) {
        return hops.get(hops.size() - 1);
    }

    private static Map<String, Object> alice(boolean emailVerified) {
        return Map.of("preferred_username", "alice", "name", "Alice Doe", "email", "alice@example.com",
                "email_verified", emailVerified, "groups", List.of("octopusTesters", "developers"));
    }
}
