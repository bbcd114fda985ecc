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
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.it.support.TestingLdap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An application's {@code /oauth2/authorize} that needs a sign-in completes through a password provider: the browser
 * goes to the broker's password form, and after the right password back to the authorization, which gives the code.
 */
class PasswordProviderAuthorizeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDIRECT = "https://app.example.com/cb";
    private final HttpClient http = HttpClient.newHttpClient();
    private TestingLdap directory;
    private TestingBroker broker;
    private String secret;

    @BeforeEach
    void start() {
        directory = TestingLdap.start();
        broker = TestingBroker.start();
        List<String> args = new ArrayList<>(List.of("--provider", "Corp", "--type", "ldap", "--enabled", "true", "--display-name",
                "Company directory", "--allow-auto-user-creation", "true"));
        args.addAll(directory.settings(org.idbroker.testkit.TestingBroker.writeTemp(TestingLdap.SERVICE_PASSWORD).toString()));
        broker.configure(args.toArray(String[]::new));
        TestingBroker.CliResult created = broker.cli("client", "create", "--client-id", "app", "--redirect-uri", REDIRECT);
        assertThat(created.exitCode()).as(created.err()).isZero();
        secret = created.out().lines().reduce((a, b) -> b).orElseThrow();
    }

    @AfterEach
    void stop() {
        broker.close();
        directory.close();
    }

    @Test
    void anAuthorizationWaitingForASignInCompletesThroughThePasswordForm() throws Exception {
        String verifier = "verifier-" + "p".repeat(50);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", "app");
        params.put("redirect_uri", REDIRECT);
        params.put("scope", "openid profile groups");
        params.put("state", "s-1");
        params.put("nonce", "n-1");
        params.put("code_challenge", HostileRelyingPartyTest.challenge(verifier));
        params.put("code_challenge_method", "S256");
        TestingBrowser browser = new TestingBrowser();

        List<HttpResponse<String>> hops = browser.follow(broker.uri("/oauth2/authorize?" + form(params)));
        HttpResponse<String> page = hops.get(hops.size() - 1);
        assertThat(page.uri().getPath()).isEqualTo("/app/sign-in/Corp");
        assertThat(page.body()).contains("id=\"password-form\"");
        HttpResponse<String> posted = browser.submitPasswordFormOnce(page, "alice", TestingLdap.ALICE_PASSWORD);
        String code = codeAfter(browser, posted);

        JsonNode tokens = JSON.readTree(token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "code_verifier", verifier)).body());
        var claims = SignedJWT.parse(tokens.get("id_token").asText()).getJWTClaimsSet();
        assertThat(claims.getStringClaim("preferred_username")).isEqualTo("alice");
        assertThat(claims.getStringClaim("nonce")).isEqualTo("n-1");
        assertThat(broker.strings("select issuer from external_identities")).containsExactly(directory.issuer());
    }

    /** Follows the broker's redirects after the form (without going to the application) to the code it sends back. */
    private static String codeAfter(TestingBrowser browser, HttpResponse<String> answer) {
        HttpResponse<String> current = answer;
        for (int i = 0; i < 10; i++) {
            String location = current.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no redirect: "));
            URI next = current.uri().resolve(location);
            if (next.toString().startsWith(REDIRECT)) {
                for (String pair : next.getRawQuery().split("&")) {
                    if (pair.startsWith("code=")) {
                        return java.net.URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                    }
                }
                throw new AssertionError("no code: " + next);
            }
            current = browser.navigate(next);
        }
        throw new AssertionError("never sent back to the application");
    }

    private HttpResponse<String> token(Map<String, String> form) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("app:" + secret).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(broker.uri("/oauth2/token")).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form(form)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
