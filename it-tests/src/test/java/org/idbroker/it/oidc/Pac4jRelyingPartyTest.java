package org.idbroker.it.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.List;
import okhttp3.HttpUrl;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.it.support.TestingIdp;
import org.idbroker.it.support.TestingPac4jRelyingParty;
import org.idbroker.it.support.TestingRelyingParty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A second relying party, in Java: pac4j-oidc signs a person in through the broker (discovery, the code
 * flow with PKCE S256, state and nonce, the code exchange, its own ID-token validation, its profile from
 * userinfo), the person signing in upstream at a real OpenID provider, driven by an HTTP browser.
 */
class Pac4jRelyingPartyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private TestingIdp idp;
    private TestingBroker broker;
    private TestingPac4jRelyingParty rp;

    @BeforeEach
    void start() {
        idp = TestingIdp.start();
        broker = TestingBroker.start();
        broker.configureAsTheGuideSays(idp);
    }

    @AfterEach
    void stop() {
        if (rp != null) {
            rp.close();
        }
        broker.close();
        idp.close();
    }

    @Test
    void pac4jSignsAPersonInWithPkceAndValidatesTheIdTokenAndReadsUserinfo() throws Exception {
        int port = TestingRelyingParty.freePort();
        String secret = broker.createClient("java-app", "--name", "Java app", "--redirect-uri", TestingPac4jRelyingParty.redirectUri(port));
        rp = TestingPac4jRelyingParty.start(broker.baseUri(), "java-app", secret, port);
        idp.nextSignIn("sub-alice", OpenIdClientTest.alice());

        List<HttpResponse<String>> hops = new TestingBrowser().follow(rp.uri("/login"));

        HttpUrl authorize = HttpUrl.get(hops.get(0).headers().firstValue("Location").orElseThrow());
        assertThat(authorize.toString()).startsWith(broker.baseUri() + "/oauth2/authorize");
        assertThat(authorize.queryParameter("code_challenge_method")).isEqualTo("S256");
        assertThat(authorize.queryParameter("code_challenge")).hasSize(43);
        assertThat(authorize.queryParameter("nonce")).isNotBlank();
        assertThat(authorize.queryParameter("state")).isNotBlank();
        assertThat(authorize.queryParameter("redirect_uri")).isEqualTo(TestingPac4jRelyingParty.redirectUri(port));
        JsonNode profile = JSON.readTree(hops.get(hops.size() - 1).body());
        String userId = broker.strings("select id::text from users where username = 'alice'").get(0);
        assertThat(profile.path("id").asText()).as(profile.toString()).isEqualTo(userId);
        JsonNode idToken = profile.get("idTokenClaims");
        assertThat(idToken.get("iss").asText()).isEqualTo(broker.baseUri().toString());
        assertThat(idToken.get("aud").asText()).isEqualTo("java-app");
        assertThat(idToken.get("nonce").asText()).isEqualTo(authorize.queryParameter("nonce"));
        assertThat(idToken.has("at_hash")).isTrue();
        JsonNode attributes = profile.get("attributes");
        assertThat(attributes.get("preferred_username").asText()).isEqualTo("alice");
        assertThat(attributes.get("email").asText()).isEqualTo("alice@example.com");
        assertThat(attributes.get("groups")).extracting(JsonNode::asText).containsExactly("Everyone");
        // the access token pac4j received is one the broker's userinfo answers for
        HttpResponse<String> userinfo = new TestingBrowser().send(java.net.http.HttpRequest.newBuilder(broker.uri("/oauth2/userinfo"))
                .header("Authorization", "Bearer " + profile.get("accessToken").asText()).GET().build());
        assertThat(userinfo.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(userinfo.body()).get("sub").asText()).isEqualTo(userId);
        assertThat(broker.strings("select outcome from events where type = 'client-sign-in'")).containsExactly("success");
    }

    @Test
    void pac4jRefusesTheSignInWhenTheBrokerRefusesItsSecret() throws Exception {
        int port = TestingRelyingParty.freePort();
        broker.createClient("java-app", "--name", "Java app", "--redirect-uri", TestingPac4jRelyingParty.redirectUri(port));
        rp = TestingPac4jRelyingParty.start(broker.baseUri(), "java-app", "not-the-secret-but-long-enough-0123456789", port);
        idp.nextSignIn("sub-alice", OpenIdClientTest.alice());

        List<HttpResponse<String>> hops = new TestingBrowser().follow(rp.uri("/login"));

        JsonNode answer = JSON.readTree(hops.get(hops.size() - 1).body());
        assertThat(hops.get(hops.size() - 1).statusCode()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.get("message").asText()).contains("invalid_client");
    }
}
