package org.idbroker.it.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.oauth.SigningKeys;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.it.support.TestingIdp;
import org.idbroker.server.web.oidc.OidcKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two broker nodes on one PostgreSQL: codes, refresh tokens and signing keys are the same on both. */
class TwoNodesOidcTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDIRECT = "https://app.example.com/cb";
    private final HttpClient http = HttpClient.newHttpClient();
    private TestingIdp idp;
    private TestingBroker nodeA;
    private TestingBroker nodeB;
    private String secret;

    @BeforeEach
    void start() {
        idp = TestingIdp.start();
        nodeA = TestingBroker.start();
        nodeB = TestingBroker.anotherNode(nodeA);
        nodeA.configureAsTheGuideSays(idp);
        nodeB.kit().refreshProviders();
        TestingBroker.CliResult created = nodeA.cli("client", "create", "--client-id", "app", "--redirect-uri", REDIRECT);
        assertThat(created.exitCode()).as(created.err()).isZero();
        secret = created.out().lines().reduce((a, b) -> b).orElseThrow();
    }

    @AfterEach
    void stop() {
        nodeB.close();
        nodeA.close();
        idp.close();
    }

    @Test
    void aCodeFromOneNodeIsRedeemedOnTheOtherSignedWithTheSameKeyAndARefreshReuseIsCaughtAcrossNodes() throws Exception {
        String verifier = "verifier-" + "n".repeat(50);
        String code = code(nodeA, verifier);

        JsonNode tokens = JSON.readTree(token(nodeB, Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT, "code_verifier", verifier)).body());
        String kid = SignedJWT.parse(tokens.get("id_token").asText()).getHeader().getKeyID();
        assertThat(kids(nodeA)).containsExactly(kid);
        assertThat(kids(nodeB)).containsExactly(kid);
        String first = tokens.get("refresh_token").asText();
        HttpResponse<String> rotated = token(nodeB, Map.of("grant_type", "refresh_token", "refresh_token", first));
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String second = JSON.readTree(rotated.body()).get("refresh_token").asText();
        assertThat(error(token(nodeA, Map.of("grant_type", "refresh_token", "refresh_token", first)))).isEqualTo("invalid_grant");
        assertThat(error(token(nodeB, Map.of("grant_type", "refresh_token", "refresh_token", second)))).isEqualTo("invalid_grant");
        assertThat(error(token(nodeA, Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "code_verifier", verifier)))).isEqualTo("invalid_grant");
    }

    @Test
    void theNextKeyIsPublishedByEveryNodeBeforeItSignsAndTheOldOneStaysUntilItsTokensExpired() throws Exception {
        List<String> before = kids(nodeA);
        assertThat(before).hasSize(1);
        // the schedule as it runs 29 days on: the current key retires within the 2-day lead, so the next one is made
        SecretCipher cipher = new SecretCipher(Base64.getDecoder().decode(nodeA.masterKey()));
        Instant later = Instant.now().plus(Duration.ofDays(29));
        SigningKeys keysLater = new SigningKeys(nodeA.jdbi(), cipher, Clock.fixed(later, ZoneOffset.UTC));
        assertThat(keysLater.ensure(SigningKeys.Schedule.DEFAULT, () -> newKey("next-key"))).isEqualTo(1);
        assertThat(keysLater.ensure(SigningKeys.Schedule.DEFAULT, () -> newKey("another"))).isZero();

        // every node's maintenance reads it: both publish it, and both still sign with the current key
        nodeA.server().injector().getInstance(OidcKeys.class).maintain();
        nodeB.server().injector().getInstance(OidcKeys.class).maintain();
        assertThat(kids(nodeA)).containsExactlyInAnyOrder(before.get(0), "next-key");
        assertThat(kids(nodeB)).containsExactlyInAnyOrder(before.get(0), "next-key");
        String verifier = "verifier-" + "k".repeat(50);
        JsonNode tokens = JSON.readTree(token(nodeB, Map.of("grant_type", "authorization_code", "code", code(nodeA, verifier),
                "redirect_uri", REDIRECT, "code_verifier", verifier)).body());
        assertThat(SignedJWT.parse(tokens.get("id_token").asText()).getHeader().getKeyID()).isEqualTo(before.get(0));

        // once the old key retires the new one signs; the old one stays published for the keep period, then goes
        List<SigningKeys.Key> published = keysLater.published();
        assertThat(SigningKeys.current(published, later.plus(Duration.ofDays(2))).map(SigningKeys.Key::kid)).hasValue("next-key");
        SigningKeys keysMuchLater = new SigningKeys(nodeA.jdbi(), cipher, Clock.fixed(later.plus(Duration.ofDays(4)), ZoneOffset.UTC));
        assertThat(keysMuchLater.published()).extracting(SigningKeys.Key::kid).containsExactly("next-key");
        assertThat(nodeA.strings("select encode(private_jwk, 'escape') from signing_keys")).noneMatch(k -> k.contains("\"d\""));
    }

    private static SigningKeys.NewKey newKey(String kid) {
        try {
            var key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID(kid).generate();
            return new SigningKeys.NewKey(kid, "RS256", key.toPublicJWK().toJSONString(), key.toJSONString());
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The RS256 keys a node publishes (each ES256 key rotates on its own schedule, the same way). */
    private List<String> kids(TestingBroker node) throws Exception {
        HttpResponse<String> jwks = http.send(HttpRequest.newBuilder(node.uri("/oauth2/jwks")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(jwks.statusCode()).as(jwks.body()).isEqualTo(200);
        List<String> kids = new java.util.ArrayList<>();
        JSON.readTree(jwks.body()).get("keys").forEach(k -> {
            assertThat(k.has("d")).isFalse();
            if ("RSA".equals(k.path("kty").asText())) {
                kids.add(k.get("kid").asText());
            }
        });
        return kids;
    }

    private String code(TestingBroker node, String verifier) {
        TestingBrowser browser = new TestingBrowser();
        idp.nextSignIn("sub-alice", OpenIdClientTest.alice());
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", "app");
        params.put("redirect_uri", REDIRECT);
        params.put("scope", "openid profile");
        params.put("state", "s");
        params.put("code_challenge", HostileRelyingPartyTest.challenge(verifier));
        params.put("code_challenge_method", "S256");
        URI next = node.uri("/oauth2/authorize?" + form(params));
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> answer = browser.navigate(next);
            Optional<String> location = answer.headers().firstValue("Location");
            assertThat(location).as(answer.body()).isPresent();
            next = answer.uri().resolve(location.get());
            if (next.toString().startsWith(REDIRECT)) {
                String query = next.getRawQuery();
                for (String pair : query.split("&")) {
                    if (pair.startsWith("code=")) {
                        return java.net.URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                    }
                }
                throw new AssertionError("no code: " + next);
            }
        }
        throw new AssertionError("never sent back");
    }

    private HttpResponse<String> token(TestingBroker node, Map<String, String> form) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("app:" + secret).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(node.uri("/oauth2/token")).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form(form)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("error").asText();
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
