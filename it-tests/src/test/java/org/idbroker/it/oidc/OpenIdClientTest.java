package org.idbroker.it.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.idbroker.it.support.BrokerScene;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.it.support.TestingRelyingParty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An application signs in through the broker with the certified relying-party library openid-client:
 * discovery, authorization with PKCE, the person signing in upstream at a real OpenID provider, code
 * exchange, ID-token validation and userinfo, all over HTTP against the running broker.
 */
class OpenIdClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final BrokerScene scene = BrokerScene.asTheGuideSays();

    private TestingRelyingParty rp;

    @AfterEach
    void stop() {
        if (rp != null) {
            rp.close();
        }
    }

    @Test
    void aConfidentialClientSignsAPersonInAndLearnsWhoTheyAreAndTheirTeams() throws Exception {
        int port = TestingRelyingParty.freePort();
        String secret = register("grafana", "confidential", port);
        rp = TestingRelyingParty.start(scene.broker().baseUri().toString(), "grafana", secret, "basic", port);
        scene.idp().nextSignIn("sub-alice", alice());

        JsonNode result = signIn(new TestingBrowser());

        String userId = scene.broker().strings("select id::text from users where username = 'alice'").get(0);
        JsonNode claims = result.get("claims");
        assertThat(claims.get("iss").asText()).isEqualTo(scene.broker().baseUri().toString());
        assertThat(claims.get("sub").asText()).isEqualTo(userId).isNotEqualTo("sub-alice");
        assertThat(claims.get("aud").asText()).isEqualTo("grafana");
        assertThat(claims.get("preferred_username").asText()).isEqualTo("alice");
        assertThat(claims.get("email").asText()).isEqualTo("alice@example.com");
        assertThat(claims.get("groups")).extracting(JsonNode::asText).containsExactly("Everyone");
        assertThat(claims.has("at_hash")).isTrue();
        assertThat(claims.has("nonce")).isTrue();
        assertThat(claims.get("sid").asText()).isEqualTo(scene.broker().strings("select id::text from sessions").get(0));
        assertThat(result.get("userinfo").get("sub").asText()).isEqualTo(userId);
        assertThat(result.get("userinfo").get("groups")).extracting(JsonNode::asText).containsExactly("Everyone");
        assertThat(scene.broker().strings("select outcome from events where type = 'client-sign-in'")).containsExactly("success");
    }

    @Test
    void aPublicClientWithPkceAndAClientSecretPostClientBothSignIn() throws Exception {
        int port = TestingRelyingParty.freePort();
        register("spa", "public", port);
        rp = TestingRelyingParty.start(scene.broker().baseUri().toString(), "spa", null, "none", port);
        scene.idp().nextSignIn("sub-alice", alice());
        TestingBrowser browser = new TestingBrowser();
        assertThat(signIn(browser).get("claims").get("preferred_username").asText()).isEqualTo("alice");
        rp.close();

        // a second application: the browser already has a broker session, so no trip to the IdP
        int other = TestingRelyingParty.freePort();
        String secret = register("wiki", "confidential", other);
        rp = TestingRelyingParty.start(scene.broker().baseUri().toString(), "wiki", secret, "post", other);
        scene.idp().drainRequests();
        List<HttpResponse<String>> hops = browser.follow(rp.uri("/login"));
        assertThat(hops).noneMatch(h -> h.uri().toString().startsWith(scene.idp().issuer()));
        JsonNode result = JSON.readTree(hops.get(hops.size() - 1).body());
        assertThat(result.get("claims").get("aud").asText()).as(result.toString()).isEqualTo("wiki");
    }

    @Test
    void refreshTokensRotateAndASpentOneRevokesTheWholeFamily() throws Exception {
        int port = TestingRelyingParty.freePort();
        String secret = register("grafana", "confidential", port);
        rp = TestingRelyingParty.start(scene.broker().baseUri().toString(), "grafana", secret, "basic", port);
        scene.idp().nextSignIn("sub-alice", alice());
        TestingBrowser browser = new TestingBrowser();
        String first = signIn(browser).get("refreshToken").asText();

        JsonNode refreshed = refresh(browser, first);
        assertThat(refreshed.get("status").asInt()).as(refreshed.toString()).isEqualTo(200);
        JsonNode body = refreshed.get("body");
        assertThat(body.get("claims").get("preferred_username").asText()).isEqualTo("alice");
        assertThat(body.get("userinfo").get("preferred_username").asText()).isEqualTo("alice");
        String second = body.get("refreshToken").asText();
        assertThat(second).isNotEqualTo(first);

        JsonNode replayed = refresh(browser, first);
        assertThat(replayed.get("status").asInt()).isEqualTo(400);
        assertThat(replayed.get("body").get("error").asText()).isEqualTo("invalid_grant");
        // the thief's replay revoked the family: the legitimate newest token is dead too
        assertThat(refresh(browser, second).get("body").get("error").asText()).isEqualTo("invalid_grant");
        assertThat(scene.broker().count("select count(*) from refresh_families where revoked_at is not null")).isEqualTo(1);
    }

    @Test
    void introspectionSaysWhichTokensAreActiveAndRevocationEndsARefreshTokensFamily() throws Exception {
        int port = TestingRelyingParty.freePort();
        String secret = register("api", "confidential", port);
        rp = TestingRelyingParty.start(scene.broker().baseUri().toString(), "api", secret, "basic", port);
        scene.idp().nextSignIn("sub-alice", alice());
        TestingBrowser browser = new TestingBrowser();
        JsonNode signedIn = signIn(browser);
        String userId = scene.broker().strings("select id::text from users where username = 'alice'").get(0);

        JsonNode access = get(browser, "/introspect?token=" + enc(signedIn.get("accessToken").asText()));
        assertThat(access.get("active").asBoolean()).as(access.toString()).isTrue();
        assertThat(access.get("sub").asText()).isEqualTo(userId);
        assertThat(access.get("client_id").asText()).isEqualTo("api");
        String refresh = signedIn.get("refreshToken").asText();
        JsonNode refreshInfo = get(browser, "/introspect?token=" + enc(refresh));
        assertThat(refreshInfo.get("active").asBoolean()).isTrue();
        assertThat(refreshInfo.get("token_type").asText()).isEqualTo("refresh_token");
        assertThat(get(browser, "/introspect?token=made-up").get("active").asBoolean()).isFalse();

        assertThat(get(browser, "/revoke?token=" + enc(refresh)).get("revoked").asBoolean()).isTrue();
        assertThat(get(browser, "/introspect?token=" + enc(refresh)).get("active").asBoolean()).isFalse();
        assertThat(refresh(browser, refresh).get("body").get("error").asText()).isEqualTo("invalid_grant");
        assertThat(scene.broker().count("select count(*) from refresh_families where revoked_at is not null")).isEqualTo(1);
    }

    private JsonNode get(TestingBrowser browser, String path) throws Exception {
        HttpResponse<String> answer = browser.getJson(rp.uri(path));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void endingTheBrokerSessionKillsTheRefreshTokensOfThatSession() throws Exception {
        int port = TestingRelyingParty.freePort();
        String secret = register("grafana", "confidential", port);
        rp = TestingRelyingParty.start(scene.broker().baseUri().toString(), "grafana", secret, "basic", port);
        scene.idp().nextSignIn("sub-alice", alice());
        TestingBrowser browser = new TestingBrowser();
        String token = signIn(browser).get("refreshToken").asText();

        HttpResponse<String> signedOut = browser.send(java.net.http.HttpRequest.newBuilder(scene.broker().uri("/api/users/sign-out"))
                .header("X-Requested-With", "test").POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(signedOut.statusCode()).isLessThan(300);

        assertThat(refresh(browser, token).get("body").get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void aClientRegisteredForEs256GetsEveryTokenSignedWithAnEcKeyOfTheJwks() throws Exception {
        int port = TestingRelyingParty.freePort();
        String secret = scene.broker().createClient("mobile-api", "--redirect-uri", TestingRelyingParty.redirectUri(port),
                "--signing-alg", "ES256");
        rp = TestingRelyingParty.start(scene.broker().baseUri().toString(), "mobile-api", secret, "basic", port, Map.of("ID_TOKEN_ALG", "ES256"));
        scene.idp().nextSignIn("sub-alice", alice());
        TestingBrowser browser = new TestingBrowser();

        JsonNode result = signIn(browser);

        com.nimbusds.jwt.SignedJWT idToken = com.nimbusds.jwt.SignedJWT.parse(result.get("idToken").asText());
        com.nimbusds.jwt.SignedJWT accessToken = com.nimbusds.jwt.SignedJWT.parse(result.get("accessToken").asText());
        assertThat(idToken.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(accessToken.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        JsonNode jwks = JSON.readTree(browser.getJson(scene.broker().uri("/oauth2/jwks")).body());
        assertThat(jwks.get("keys")).anySatisfy(k -> {
            assertThat(k.get("kid").asText()).isEqualTo(idToken.getHeader().getKeyID());
            assertThat(k.get("kty").asText()).isEqualTo("EC");
            assertThat(k.has("d")).isFalse();
        });
        // the broker checks its own ES256 access token at userinfo, and refreshes with the same algorithm
        assertThat(result.get("userinfo").get("preferred_username").asText()).isEqualTo("alice");
        JsonNode refreshed = refresh(browser, result.get("refreshToken").asText());
        assertThat(refreshed.get("status").asInt()).as(refreshed.toString()).isEqualTo(200);
        assertThat(refreshed.get("body").get("userinfo").get("sub").asText()).isEqualTo(idToken.getJWTClaimsSet().getSubject());
        JsonNode discovery = JSON.readTree(browser.getJson(scene.broker().uri("/.well-known/openid-configuration")).body());
        assertThat(discovery.get("id_token_signing_alg_values_supported")).extracting(JsonNode::asText)
                .containsExactly("RS256", "ES256");
        assertThat(scene.broker().cli("client", "update", "--client-id", "mobile-api", "--signing-alg", "HS256").err())
                .contains("RS256").contains("ES256");
    }

    private JsonNode refresh(TestingBrowser browser, String token) throws Exception {
        HttpResponse<String> answer = browser.getJson(rp.uri("/refresh?token=" + java.net.URLEncoder.encode(token,
                java.nio.charset.StandardCharsets.UTF_8)));
        return JSON.createObjectNode().put("status", answer.statusCode()).set("body", JSON.readTree(answer.body()));
    }

    private JsonNode signIn(TestingBrowser browser) throws Exception {
        List<HttpResponse<String>> hops = browser.follow(rp.uri("/login"));
        HttpResponse<String> last = hops.get(hops.size() - 1);
        assertThat(last.statusCode()).as(last.body() + "\n" + rp.output()).isEqualTo(200);
        return JSON.readTree(last.body());
    }

    private String register(String clientId, String type, int port) {
        TestingBroker.CliResult created = scene.broker().cli("client", "create", "--client-id", clientId, "--name", clientId,
                "--type", type, "--redirect-uri", TestingRelyingParty.redirectUri(port));
        assertThat(created.exitCode()).as(created.err()).isZero();
        return type.equals("public") ? null : created.out().lines().reduce((a, b) -> b).orElseThrow();
    }

    static Map<String, Object> alice() {
        return Map.of("preferred_username", "alice", "name", "Alice Doe", "email", "alice@example.com",
                "email_verified", true, "groups", List.of("developers"));
    }
}
