package org.idbroker.it.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.it.support.TestingIdp;
import org.idbroker.it.support.TestingRelyingParty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What passes between the application and the upstream IdP through the broker, driven by openid-client:
 * the application's {@code login_hint} reaches the IdP; {@code email_verified} is true only when the
 * upstream vouched for the address (or its provider's Trust Email is on); the upstream's {@code amr} and
 * {@code acr} reach the ID token; and an RP-initiated logout signs out at the IdP too when the provider's
 * Sign Out at the Provider is on, the browser coming back to the application with its state.
 */
class UpstreamHandOffTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private TestingIdp idp;
    private TestingBroker broker;
    private TestingRelyingParty rp;
    private int port;

    @BeforeEach
    void start() {
        idp = TestingIdp.start();
        broker = TestingBroker.start();
        broker.configureAsTheGuideSays(idp);
        port = TestingRelyingParty.freePort();
        String secret = broker.createClient("wiki", "--redirect-uri", TestingRelyingParty.redirectUri(port),
                "--post-logout-redirect-uri", loggedOut());
        rp = TestingRelyingParty.start(broker.baseUri().toString(), "wiki", secret, "basic", port);
    }

    @AfterEach
    void stop() {
        rp.close();
        broker.close();
        idp.close();
    }

    @Test
    void theLoginHintReachesTheIdpAndTheIdTokenSaysHowThePersonSignedInThere() throws Exception {
        Map<String, Object> claims = new HashMap<>(OpenIdClientTest.alice());
        claims.put("amr", List.of("pwd", "otp"));
        claims.put("acr", "urn:example:mfa");
        idp.nextSignIn("sub-alice", claims);
        idp.drainRequests();

        JsonNode result = last(new TestingBrowser().follow(rp.uri("/login?login_hint=" + enc("alice@example.com"))));

        HttpUrl authorize = idp.takeRequestTo("/idp/authorize").getRequestUrl();
        assertThat(authorize.queryParameter("login_hint")).isEqualTo("alice@example.com");
        JsonNode idToken = result.get("claims");
        assertThat(idToken.get("email_verified").asBoolean()).as(result.toString()).isTrue();
        assertThat(result.get("userinfo").get("email_verified").asBoolean()).isTrue();
        assertThat(idToken.get("amr")).extracting(JsonNode::asText).containsExactly("pwd", "otp");
        assertThat(idToken.get("acr").asText()).isEqualTo("urn:example:mfa");
        JsonNode discovery = JSON.readTree(new TestingBrowser().getJson(broker.uri("/.well-known/openid-configuration")).body());
        assertThat(discovery.get("claims_supported")).extracting(JsonNode::asText).contains("amr", "acr", "email_verified");
    }

    @Test
    void anAddressTheIdpDidNotVerifyIsClaimedVerifiedOnlyOnceTheProviderTrustsEmail() throws Exception {
        Map<String, Object> unverified = new HashMap<>(OpenIdClientTest.alice());
        unverified.put("email_verified", false);
        idp.nextSignIn("sub-alice", unverified);
        JsonNode before = last(new TestingBrowser().follow(rp.uri("/login")));
        assertThat(before.get("claims").get("email").asText()).as(before.toString()).isEqualTo("alice@example.com");
        assertThat(before.get("claims").get("email_verified").asBoolean()).isFalse();
        assertThat(before.get("claims").has("amr")).isFalse();
        assertThat(before.get("userinfo").get("email_verified").asBoolean()).isFalse();

        broker.configure("--provider", "GenericOidc", "--trust-email", "true");
        idp.nextSignIn("sub-alice", unverified);
        JsonNode after = last(new TestingBrowser().follow(rp.uri("/login")));
        assertThat(after.get("claims").get("email_verified").asBoolean()).as(after.toString()).isTrue();
    }

    @Test
    void anRpInitiatedLogoutSignsOutAtTheIdpAndComesBackToTheApplicationWithItsState() throws Exception {
        TestingBrowser browser = new TestingBrowser();
        idp.nextSignIn("sub-alice", OpenIdClientTest.alice());
        String idToken = last(browser.follow(rp.uri("/login"))).get("idToken").asText();
        idp.drainRequests();

        List<HttpResponse<String>> hops = browser.follow(rp.uri("/logout?idToken=" + enc(idToken)));

        HttpUrl endSession = idp.takeRequestTo("/idp/endsession").getRequestUrl();
        assertThat(endSession.queryParameter("post_logout_redirect_uri")).isEqualTo(broker.baseUri() + "/app/sign-in");
        assertThat(endSession.queryParameter("client_id")).isEqualTo(idp.clientId());
        assertThat(endSession.queryParameter("id_token_hint")).isNotBlank().isNotEqualTo(idToken);
        assertThat(endSession.queryParameter("state")).isNotBlank();
        JsonNode back = last(hops);
        assertThat(back.get("loggedOut").asBoolean()).as(back.toString()).isTrue();
        String rpState = HttpUrl.get(hops.get(0).headers().firstValue("Location").orElseThrow()).queryParameter("state");
        assertThat(back.get("params").get("state").asText()).isEqualTo(rpState);
        assertThat(hops.get(hops.size() - 1).uri().toString()).startsWith(loggedOut());
        assertThat(browser.getJson(broker.uri("/api/users/me")).statusCode()).isEqualTo(401);
        assertThat(broker.strings("select details->>'signedOutAtIdp' from events where type = 'sign-out'")).containsExactly("true");

        // the sign-in page with a state the broker did not sign is only the sign-in page
        HttpResponse<String> forged = browser.navigate(broker.uri("/app/sign-in?state=" + enc(endSession.queryParameter("state") + "x")));
        assertThat(forged.statusCode()).isEqualTo(200);
        assertThat(forged.body()).contains("sign-in.js");

        // the IdP's state replayed within its 10 minutes (by another browser) leads only where a logout request with no
        // session and no signature leads anyone: the application's registered address with its state. So the state is
        // not made one-use; should a sessionless logout ever stop redirecting, it must be (LogoutReturnResource)
        HttpResponse<String> replayed = new TestingBrowser().navigate(broker.uri("/app/sign-in?state="
                + enc(endSession.queryParameter("state"))));
        HttpResponse<String> unsigned = new TestingBrowser().navigate(broker.uri("/oauth2/logout?client_id=wiki"
                + "&post_logout_redirect_uri=" + enc(loggedOut()) + "&state=" + enc(rpState)));
        assertThat(replayed.statusCode()).isEqualTo(302);
        assertThat(unsigned.statusCode()).isEqualTo(302);
        assertThat(replayed.headers().firstValue("Location")).isEqualTo(unsigned.headers().firstValue("Location"))
                .hasValueSatisfying(location -> assertThat(location).startsWith(loggedOut()));
    }

    private String loggedOut() {
        return "http://127.0.0.1:" + port + "/logged-out";
    }

    private static JsonNode last(List<HttpResponse<String>> hops) throws Exception {
        return JSON.readTree(hops.get(hops.size() - 1).body());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
