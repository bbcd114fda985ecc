package org.idbroker.providers.authentik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.idbroker.spi.CallbackRequest;
import org.idbroker.spi.Finding;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.ProviderSettings;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;
import org.idbroker.spi.SignInRequest;
import org.idbroker.spi.SignInStart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Authentik type's refusals and diagnostics, against an HTTP server publishing Authentik's metadata. */
class AuthentikProviderTest {

    private static final URI REDIRECT = URI.create("https://broker.example.com/api/users/authenticatedToken/Authentik");
    private static final String RSA_KEY = "{\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":\"0e4a1a1ad2a2e1fb1c2a0c3e6a6bd1f8\",\"alg\":\"RS256\","
            + "\"n\":\"sXch7k5Ofkq8vC5x0Gd0n3c1b1o5X8YQvYbJZK2eQk8\",\"e\":\"AQAB\"}";

    private HttpServer server;
    private String base;
    private volatile String publishedIssuer;
    private volatile String jwks = "{}";
    private volatile String scopesSupported = "[\"openid\",\"email\",\"profile\",\"offline_access\"]";

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        publishedIssuer = base + "/application/o/my-app/";
        server.createContext("/application/o/my-app/.well-known/openid-configuration", ex -> send(ex, """
                {"issuer":"%1$s",
                 "authorization_endpoint":"%2$s/application/o/authorize/",
                 "token_endpoint":"%2$s/application/o/token/",
                 "userinfo_endpoint":"%2$s/application/o/userinfo/",
                 "end_session_endpoint":"%2$s/application/o/my-app/end-session/",
                 "jwks_uri":"%2$s/application/o/my-app/jwks/",
                 "response_types_supported":["code"],
                 "id_token_signing_alg_values_supported":["RS256","HS256"],
                 "subject_types_supported":["public"],
                 "token_endpoint_auth_methods_supported":["client_secret_post","client_secret_basic"],
                 "scopes_supported":%3$s,
                 "code_challenge_methods_supported":["plain","S256"]}
                """.formatted(publishedIssuer, base, scopesSupported)));
        server.createContext("/application/o/my-app/jwks/", ex -> send(ex, jwks));
        // an Encryption Key is chosen: every token is a compact JWE
        server.createContext("/application/o/token/", ex -> send(ex,
                "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":300,\"id_token\":\"eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0.a.b.c.d\"}"));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void refusesAnEncryptedIdTokenNamingAuthentiksEncryptionKey() throws Exception {
        try (IdentityProvider provider = provider(Map.of("clientSecret", "s3cret"))) {
            SignInStart start = provider.startSignIn(new SignInRequest("state-1"));
            SignInRejectedException refusal = catchThrowableOfType(SignInRejectedException.class, () -> provider.finishSignIn(
                    new CallbackRequest(Map.of("code", List.of("c"), "state", List.of("state-1"))), start.remember()));
            assertThat(refusal.reason()).isEqualTo(RejectionReason.TOKEN_ENCRYPTED);
            assertThat(refusal.getMessage()).isEqualTo(
                    "encrypted tokens are not supported: leave the Encryption Key empty in the Authentik provider");
        }
    }

    @Test
    void recommendsChoosingASigningKeyWhenTheKeySetIsEmpty() {
        assertThat(finding(Map.of("clientSecret", "s3cret"), "authentik signing key")).satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.WARN);
            assertThat(f.message()).contains("HS256").contains("choose a Signing Key");
        });
        assertThat(finding(Map.of(), "authentik signing key").severity()).isEqualTo(Finding.Severity.FAIL);
        jwks = "{\"keys\":[" + RSA_KEY + "]}";
        assertThat(checks(Map.of("clientSecret", "s3cret"))).doesNotContain("authentik signing key");
    }

    @Test
    void reportsAnEncryptionKeyChosenInAuthentik() {
        jwks = "{\"keys\":[" + RSA_KEY + "," + RSA_KEY.replace("\"use\":\"sig\"", "\"use\":\"enc\"").replace("RS256", "RSA-OAEP-256") + "]}";
        Finding finding = finding(Map.of("clientSecret", "s3cret"), "authentik encryption key");
        assertThat(finding.severity()).isEqualTo(Finding.Severity.FAIL);
        assertThat(finding.message()).contains("leave the Encryption Key empty in the Authentik provider");
    }

    @Test
    void explainsAnHttpIssuerPublishedBehindAProxy() {
        publishedIssuer = "http://auth.example.com/application/o/my-app/";
        Finding finding = finding(Map.of("clientSecret", "s3cret"), "authentik issuer");
        assertThat(finding.severity()).isEqualTo(Finding.Severity.FAIL);
        assertThat(finding.message()).contains("X-Forwarded-Proto");
    }

    @Test
    void recognisesGlobalIssuerMode() {
        publishedIssuer = "https://auth.example.com/";
        assertThat(finding(Map.of("clientSecret", "s3cret"), "authentik issuer").message()).contains("global issuer mode");
    }

    @Test
    void explainsEmailVerifiedFalseAndTheTrustEmailTradeOff() {
        Finding off = finding(Map.of("clientSecret", "s3cret"), "authentik email_verified");
        assertThat(off.severity()).isEqualTo(Finding.Severity.WARN);
        assertThat(off.message()).contains("email_verified false").contains("Trust Email is off").contains("refused");
        Finding on = finding(Map.of("clientSecret", "s3cret", "trustEmail", "true"), "authentik email_verified");
        assertThat(on.severity()).isEqualTo(Finding.Severity.OK);
        assertThat(on.message()).contains("Trust Email is on").contains("take over an account");
    }

    @Test
    void knowsThatGroupsComeWithTheProfileScope() {
        assertThat(finding(Map.of("clientSecret", "s3cret"), "scopes")).satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.OK);
            assertThat(f.message()).contains("profile");
        });
        Finding noProfile = finding(Map.of("clientSecret", "s3cret", "scopes", "openid email"), "authentik groups");
        assertThat(noProfile.severity()).isEqualTo(Finding.Severity.WARN);
    }

    private Finding finding(Map<String, String> settings, String check) {
        try (IdentityProvider provider = provider(settings)) {
            return provider.diagnose().stream().filter(f -> f.check().equals(check)).findFirst()
                    .orElseThrow(() -> new AssertionError("no finding " + check));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<String> checks(Map<String, String> settings) {
        try (IdentityProvider provider = provider(settings)) {
            return provider.diagnose().stream().map(Finding::check).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private IdentityProvider provider(Map<String, String> extra) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("baseUrl", base, "applicationSlug", "my-app", "clientId", "client-1"));
        settings.putAll(extra);
        return new AuthentikProviderFactory().create(new ProviderContext("Authentik", new ProviderSettings(settings), REDIRECT));
    }

    private static void send(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
