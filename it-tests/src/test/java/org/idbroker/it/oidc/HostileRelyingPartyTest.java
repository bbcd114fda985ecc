package org.idbroker.it.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.idbroker.it.support.BrokerScene;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Relying parties that try what an attacker would: bent redirect URIs, missing or downgraded PKCE, codes
 * replayed or redeemed by another client, wrong secrets, people outside the client's teams. Each is refused
 * with the RFC 6749 error, at a page when the redirect cannot be trusted, and nothing is stored for it.
 */
class HostileRelyingPartyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDIRECT = "https://app.example.com/cb";
    private final HttpClient http = HttpClient.newHttpClient();

    @RegisterExtension
    final BrokerScene scene = BrokerScene.asTheGuideSays();

    private TestingBrowser browser;
    private String secret;

    @BeforeEach
    void start() {
        secret = create("app", "confidential", "--redirect-uri", REDIRECT, "--redirect-uri", "https://app.example.com/other");
        create("spa", "public", "--redirect-uri", REDIRECT);
        create("other", "confidential", "--redirect-uri", REDIRECT);
        browser = new TestingBrowser();
        scene.idp().nextSignIn("sub-alice", OpenIdClientTest.alice());
        browser.signIn(scene.broker(), "GenericOidc");
        assertThat(browser.cookie("idb_session")).isPresent();
    }

    @Test
    void redirectUrisThatDifferInAnyWayGetAPageAndNoRedirect() {
        for (String bent : List.of("https://app.example.com/cb/", "https://app.example.com/c", "https://app.example.com/cbx",
                "https://APP.example.com/cb", "https://app.example.com/CB", "https://evil@app.example.com/cb",
                "https://app.example.com/cb/..;/x", "https://app.example.com/%63b", "https://app.example.com:443/cb",
                "javascript:alert(1)", "JavaScript://app.example.com/cb", "data:text/html,<script>x</script>",
                "https://app.example.com/cb#frag", "https://app.example.com/cb?x=1", "http://app.example.com/cb")) {
            HttpResponse<String> answer = browser.navigate(authorizeUri("app", bent, challenge("v".repeat(50)), "state-1"));
            assertThat(answer.statusCode()).as(bent).isEqualTo(400);
            assertThat(answer.headers().firstValue("Location")).as(bent).isEmpty();
            assertThat(answer.body()).as(bent).contains("not registered");
        }
        HttpResponse<String> unknown = browser.navigate(authorizeUri("nobody", REDIRECT, null, "s"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.headers().firstValue("Location")).isEmpty();
        assertThat(unknown.body()).contains("not registered at this broker");
        assertThat(scene.broker().count("select count(*) from authorization_codes")).isZero();
        assertThat(scene.broker().count("select count(*) from authorization_requests")).isZero();
    }

    @Test
    void pkceIsRequiredForPublicClientsAndOnlyS256() {
        Map<String, String> noPkce = params("spa", REDIRECT, null, "st");
        assertThat(errorAtClient(noPkce)).containsEntry("error", "invalid_request").containsEntry("state", "st")
                .containsEntry("iss", scene.broker().baseUri().toString());

        Map<String, String> plain = params("spa", REDIRECT, "v".repeat(50), "st");
        plain.put("code_challenge_method", "plain");
        assertThat(errorAtClient(plain)).containsEntry("error", "invalid_request");

        Map<String, String> implicitPlain = params("spa", REDIRECT, "v".repeat(50), "st");
        implicitPlain.remove("code_challenge_method");
        assertThat(errorAtClient(implicitPlain)).containsEntry("error", "invalid_request");

        Map<String, String> token = params("app", REDIRECT, null, "st");
        token.put("response_type", "token");
        assertThat(errorAtClient(token)).containsEntry("error", "unsupported_response_type");
        assertThat(scene.broker().count("select count(*) from authorization_codes")).isZero();
    }

    @Test
    void aCodeIsSpentOnceAndOnlyByItsClientWithItsRedirectAndVerifier() throws Exception {
        String verifier = "verifier-" + "x".repeat(50);
        String code = code("app", REDIRECT, verifier);
        assertThat(redeem("app", secret, code, REDIRECT, verifier).statusCode()).isEqualTo(200);
        HttpResponse<String> again = redeem("app", secret, code, REDIRECT, verifier);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(error(again)).isEqualTo("invalid_grant");
        assertThat(scene.broker().strings("select reason from events where type = 'client-sign-in' and outcome = 'failure'"))
                .contains("code_replayed");

        String otherSecret = rotate("other");
        assertThat(error(redeem("other", otherSecret, code("app", REDIRECT, verifier), REDIRECT, verifier))).isEqualTo("invalid_grant");
        assertThat(error(redeem("app", secret, code("app", REDIRECT, verifier), "https://app.example.com/other", verifier)))
                .isEqualTo("invalid_grant");
        assertThat(error(redeem("app", secret, code("app", REDIRECT, verifier), REDIRECT, "another-" + "y".repeat(50))))
                .isEqualTo("invalid_grant");
        assertThat(error(redeem("app", secret, code("app", REDIRECT, verifier), REDIRECT, null))).isEqualTo("invalid_grant");
        // a verifier for a code issued without a challenge is a downgrade
        assertThat(error(redeem("app", secret, code("app", REDIRECT, null), REDIRECT, verifier))).isEqualTo("invalid_grant");
        assertThat(error(redeem("app", secret, "made-up-code", REDIRECT, null))).isEqualTo("invalid_grant");
    }

    @Test
    void aReplayedCodeRevokesTheRefreshTokensIssuedFromItAndAnotherClientCannotRefresh() throws Exception {
        String verifier = "verifier-" + "r".repeat(50);
        String code = code("app", REDIRECT, verifier);
        String refresh = JSON.readTree(redeem("app", secret, code, REDIRECT, verifier).body()).get("refresh_token").asText();
        String otherSecret = rotate("other");
        HttpResponse<String> stolen = post(Map.of("grant_type", "refresh_token", "refresh_token", refresh),
                basic("other", otherSecret));
        assertThat(error(stolen)).isEqualTo("invalid_grant");
        assertThat(scene.broker().count("select count(*) from refresh_families where revoked_at is null")).isEqualTo(1);

        assertThat(error(redeem("app", secret, code, REDIRECT, verifier))).isEqualTo("invalid_grant");
        HttpResponse<String> afterReplay = post(Map.of("grant_type", "refresh_token", "refresh_token", refresh), basic("app", secret));
        assertThat(error(afterReplay)).isEqualTo("invalid_grant");
        assertThat(scene.broker().count("select count(*) from refresh_families where revoked_at is null")).isZero();
    }

    @Test
    void clientCredentialsGiveAnAutomationClientAnAccessTokenAndNobodyElse() throws Exception {
        String robot = create("robot", "confidential", "--grant-type", "client_credentials");
        HttpResponse<String> token = post(Map.of("grant_type", "client_credentials", "scope", "reports"), basic("robot", robot));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(token.body());
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.has("id_token")).isFalse();
        assertThat(body.has("refresh_token")).isFalse();
        // the API the job calls asks the broker about the token, as a confidential client of its own (the README's example)
        HttpResponse<String> introspected = http.send(HttpRequest.newBuilder(scene.broker().uri("/oauth2/introspect"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", basic("app", secret))
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("token", body.get("access_token").asText())))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode active = JSON.readTree(introspected.body());
        assertThat(active.get("active").asBoolean()).as(introspected.body()).isTrue();
        assertThat(active.get("sub").asText()).isEqualTo("robot");
        assertThat(active.get("client_id").asText()).isEqualTo("robot");
        assertThat(active.get("scope").asText()).isEqualTo("reports");
        assertThat(error(post(Map.of("grant_type", "client_credentials"), basic("app", secret)))).isEqualTo("unauthorized_client");
        assertThat(error(post(Map.of("grant_type", "password", "username", "a", "password", "b"), basic("robot", robot))))
                .isEqualTo("unsupported_grant_type");
    }

    @Test
    void twoParallelRedemptionsOfOneCodeGiveOneSuccess() throws Exception {
        String verifier = "verifier-" + "p".repeat(50);
        for (int round = 0; round < 5; round++) {
            String code = code("app", REDIRECT, verifier);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Callable<Integer> redeem = () -> redeem("app", secret, code, REDIRECT, verifier).statusCode();
                List<Future<Integer>> answers = pool.invokeAll(List.of(redeem, redeem));
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> answer : answers) {
                    statuses.add(answer.get());
                }
                assertThat(statuses).containsExactlyInAnyOrder(200, 400);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void wrongOrMissingClientAuthenticationIsInvalidClient() throws Exception {
        String verifier = "verifier-" + "z".repeat(50);
        String code = code("app", REDIRECT, verifier);
        HttpResponse<String> wrong = redeem("app", "wrong-secret-wrong-secret-wrong-secret", code, REDIRECT, verifier);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(error(wrong)).isEqualTo("invalid_client");
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        HttpResponse<String> none = post(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "client_id", "app", "code_verifier", verifier), null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(error(none)).isEqualTo("invalid_client");
        // the code was not spent by the failed attempts: the real client still redeems it
        assertThat(redeem("app", secret, code, REDIRECT, verifier).statusCode()).isEqualTo(200);
    }

    @Test
    void aPersonOutsideTheClientsTeamsGetsAccessDeniedAtTheClient() {
        assertThat(scene.broker().cli("client", "update", "--client-id", "app", "--team", "Administrators").exitCode()).isZero();
        Map<String, String> answer = errorAtClient(params("app", REDIRECT, "v".repeat(50), "st-team"));
        assertThat(answer).containsEntry("error", "access_denied").containsEntry("state", "st-team");
        assertThat(scene.broker().count("select count(*) from authorization_codes")).isZero();
        assertThat(scene.broker().strings("select reason from events where type = 'client-sign-in'")).contains("not_in_allowed_team");
    }

    @Test
    void promptNoneWithoutASessionIsLoginRequired() {
        browser.clearCookies();
        Map<String, String> none = params("app", REDIRECT, null, "st-none");
        none.put("prompt", "none");
        assertThat(errorAtClient(none)).containsEntry("error", "login_required");
    }

    // --- the hostile client's tools

    private String create(String id, String type, String... extra) {
        List<String> args = new ArrayList<>(List.of("client", "create", "--client-id", id, "--type", type));
        args.addAll(List.of(extra));
        TestingBroker.CliResult created = scene.broker().cli(args.toArray(String[]::new));
        assertThat(created.exitCode()).as(created.err()).isZero();
        return created.out().lines().reduce((a, b) -> b).orElseThrow();
    }

    private String rotate(String id) {
        TestingBroker.CliResult rotated = scene.broker().cli("client", "rotate-secret", "--client-id", id);
        assertThat(rotated.exitCode()).as(rotated.err()).isZero();
        return rotated.out().lines().reduce((a, b) -> b).orElseThrow();
    }

    private static Map<String, String> params(String clientId, String redirect, String verifier, String state) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", clientId);
        params.put("redirect_uri", redirect);
        params.put("scope", "openid profile");
        params.put("state", state);
        params.put("nonce", "n-" + state);
        if (verifier != null) {
            params.put("code_challenge", challenge(verifier));
            params.put("code_challenge_method", "S256");
        }
        return params;
    }

    private URI authorizeUri(String clientId, String redirect, String challengeValue, String state) {
        Map<String, String> params = params(clientId, redirect, null, state);
        if (challengeValue != null) {
            params.put("code_challenge", challengeValue);
            params.put("code_challenge_method", "S256");
        }
        return authorizeUri(params);
    }

    private URI authorizeUri(Map<String, String> params) {
        return scene.broker().uri("/oauth2/authorize?" + form(params));
    }

    /** Follows the broker's redirects until one leaves for the client; answers that redirect's parameters. */
    private Map<String, String> atClient(Map<String, String> params) {
        URI next = authorizeUri(params);
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> answer = browser.navigate(next);
            Optional<String> location = answer.headers().firstValue("Location");
            assertThat(location).as(answer.statusCode() + " " + answer.body()).isPresent();
            URI target = answer.uri().resolve(location.get());
            if (target.toString().startsWith(params.get("redirect_uri"))) {
                return query(target);
            }
            next = target;
        }
        throw new AssertionError("never sent back to the client");
    }

    private Map<String, String> errorAtClient(Map<String, String> params) {
        Map<String, String> answer = atClient(params);
        assertThat(answer).doesNotContainKey("code");
        return answer;
    }

    private String code(String clientId, String redirect, String verifier) {
        Map<String, String> answer = atClient(params(clientId, redirect, verifier, "st-" + System.nanoTime()));
        assertThat(answer).containsKey("code").containsEntry("iss", scene.broker().baseUri().toString());
        return answer.get("code");
    }

    private HttpResponse<String> redeem(String clientId, String clientSecret, String code, String redirect, String verifier)
            throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirect);
        if (verifier != null) {
            form.put("code_verifier", verifier);
        }
        return post(form, basic(clientId, clientSecret));
    }

    private static String basic(String clientId, String clientSecret) {
        return "Basic " + Base64.getEncoder().encodeToString((enc(clientId) + ":" + enc(clientSecret)).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(Map<String, String> form, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(scene.broker().uri("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> response) throws Exception {
        JsonNode body = JSON.readTree(response.body());
        return body.path("error").asText();
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return out;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
