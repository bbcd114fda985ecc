package org.idbroker.providers.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.idbroker.spi.Finding;
import org.idbroker.spi.Finding.Severity;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.ProviderSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The doctor's protocol findings, each against a real HTTP server publishing the faulty metadata. */
class DoctorFindingsTest {

    private static final URI REDIRECT = URI.create("https://broker.example.com/api/users/authenticatedToken/Test");
    private FaultyIdp idp;

    @BeforeEach
    void start() throws IOException {
        idp = new FaultyIdp();
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    private List<Finding> diagnose(Map<String, String> overrides) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("issuer", idp.issuer, "clientId", "broker",
                "clientSecret", "a-secret-value-0123456789-abcdefghij", "clientAuthentication", "client_secret_post"));
        settings.putAll(overrides);
        settings.values().removeIf(String::isEmpty);
        try (IdentityProvider provider = new OidcProviderFactory().create(
                new ProviderContext("Test", new ProviderSettings(settings), REDIRECT))) {
            return provider.diagnose();
        }
    }

    private List<Finding> diagnose() throws Exception {
        return diagnose(Map.of());
    }

    private static Finding finding(List<Finding> findings, String check) {
        return findings.stream().filter(f -> f.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + check + "' finding in " + findings));
    }

    @Test
    void findsNothingWrongWithAHealthyProvider() throws Exception {
        List<Finding> findings = diagnose();

        assertThat(findings).allSatisfy(f -> assertThat(f.severity()).as(f.toString()).isEqualTo(Severity.OK));
        assertThat(findings).extracting(Finding::check).contains("discovery", "issuer", "signing keys", "signing algorithms",
                "encryption", "client authentication", "scopes", "clock");
    }

    @Test
    void saysWhenTheHostNameDoesNotResolve() throws Exception {
        List<Finding> findings = diagnose(Map.of("issuer", "https://no-such-host.invalid/realms/test"));

        assertThat(finding(findings, "discovery").severity()).isEqualTo(Severity.FAIL);
        assertThat(finding(findings, "discovery").message()).contains("DNS").contains("no-such-host.invalid");
    }

    @Test
    void saysWhenNothingListensOnThePort() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        List<Finding> findings = diagnose(Map.of("issuer", "http://127.0.0.1:" + port + "/realms/test"));

        assertThat(finding(findings, "discovery").message()).contains("connection").contains("127.0.0.1:" + port);
    }

    @Test
    void saysWhenTheTlsHandshakeFails() throws Exception {
        // https to a server that answers in plain HTTP: the handshake fails as with a wrong port or a broken proxy
        List<Finding> findings;
        try (RawHttpServer plain = new RawHttpServer(() -> RawHttpServer.response("", "not TLS"))) {
            findings = diagnose(Map.of("issuer", "https://127.0.0.1:" + plain.port() + "/realms/test"));
        }

        assertThat(finding(findings, "discovery").severity()).isEqualTo(Severity.FAIL);
        assertThat(finding(findings, "discovery").message()).contains("TLS");
    }

    @Test
    void saysWhichHttpStatusTheDiscoveryAddressAnswered() throws Exception {
        idp.discoveryStatus = 404;
        idp.discoveryBody = "{\"detail\":\"Not found.\"}";

        Finding discovery = finding(diagnose(), "discovery");

        assertThat(discovery.severity()).isEqualTo(Severity.FAIL);
        assertThat(discovery.message()).contains("HTTP 404").contains("issuer is probably wrong");
    }

    @Test
    void refusesAnHtmlPageInsteadOfTheDiscoveryDocument() throws Exception {
        idp.discoveryContentType = "text/html";
        idp.discoveryBody = "<html><body>Sign in</body></html>";

        Finding discovery = finding(diagnose(), "discovery");

        assertThat(discovery.severity()).isEqualTo(Severity.FAIL);
        assertThat(discovery.message()).contains("text/html").contains("not JSON");
    }

    @Test
    void warnsAboutJsonSentWithAnotherContentType() throws Exception {
        idp.discoveryContentType = "text/plain";

        Finding discovery = finding(diagnose(), "discovery");

        assertThat(discovery.severity()).isEqualTo(Severity.WARN);
        assertThat(discovery.message()).contains("text/plain").contains("application/json");
    }

    @Test
    void explainsAnIssuerDifferingByATrailingSlash() throws Exception {
        idp.fields.put("issuer", FaultyIdp.q(idp.issuer + "/"));

        Finding issuer = finding(diagnose(), "issuer");

        assertThat(issuer.severity()).isEqualTo(Severity.FAIL);
        assertThat(issuer.message()).contains("trailing slash").contains("enter '" + idp.issuer + "/'");
    }

    @Test
    void explainsAnIssuerDifferingByCase() throws Exception {
        idp.fields.put("issuer", FaultyIdp.q(idp.base + "/realms/TEST"));

        Finding issuer = finding(diagnose(), "issuer");

        assertThat(issuer.severity()).isEqualTo(Severity.FAIL);
        assertThat(issuer.message()).contains("upper and lower case");
    }

    @Test
    void explainsAnIssuerPublishedAsHttpsBehindAProxy() throws Exception {
        idp.fields.put("issuer", FaultyIdp.q(idp.issuer.replace("http://", "https://")));

        Finding issuer = finding(diagnose(), "issuer");

        assertThat(issuer.severity()).isEqualTo(Severity.FAIL);
        assertThat(issuer.message()).contains("http vs https");
    }

    @Test
    void explainsAnEmptyKeySetAsHs256WithTheClientSecret() throws Exception {
        idp.jwks = "{\"keys\":[]}";
        idp.fields.put("id_token_signing_alg_values_supported", "[\"HS256\"]");

        List<Finding> findings = diagnose();

        assertThat(finding(findings, "signing keys").severity()).isEqualTo(Severity.WARN);
        assertThat(finding(findings, "signing keys").message()).contains("HS256").contains("client secret");
        assertThat(finding(findings, "signing algorithms").severity()).isEqualTo(Severity.OK);
    }

    @Test
    void failsAnEmptyKeySetWithoutAClientSecret() throws Exception {
        idp.jwks = "{\"keys\":[]}";
        idp.fields.put("id_token_signing_alg_values_supported", "[\"HS256\"]");
        idp.fields.put("token_endpoint_auth_methods_supported", "[\"none\",\"client_secret_post\"]");

        List<Finding> findings = diagnose(Map.of("clientSecret", ""));

        assertThat(finding(findings, "signing keys").severity()).isEqualTo(Severity.FAIL);
        assertThat(finding(findings, "signing algorithms").severity()).isEqualTo(Severity.FAIL);
        assertThat(finding(findings, "signing algorithms").message()).contains("needs the client secret");
    }

    @Test
    void failsAKeySetThatCannotBeRead() throws Exception {
        idp.fields.put("jwks_uri", FaultyIdp.q(idp.base + "/realms/test/missing-certs"));

        Finding keys = finding(diagnose(), "signing keys");

        assertThat(keys.severity()).isEqualTo(Severity.FAIL);
        assertThat(keys.message()).contains("HTTP 404");
    }

    @Test
    void failsWhenOnlyUnsignedTokensAreAnnounced() throws Exception {
        idp.fields.put("id_token_signing_alg_values_supported", "[\"none\"]");

        Finding algorithms = finding(diagnose(), "signing algorithms");

        assertThat(algorithms.severity()).isEqualTo(Severity.FAIL);
        assertThat(algorithms.message()).contains("none");
    }

    @Test
    void warnsThatEncryptedTokensCannotBeRead() throws Exception {
        idp.fields.put("id_token_encryption_alg_values_supported", "[\"RSA-OAEP-256\"]");
        idp.fields.put("id_token_encryption_enc_values_supported", "[\"A256GCM\"]");

        Finding encryption = finding(diagnose(), "encryption");

        assertThat(encryption.severity()).isEqualTo(Severity.WARN);
        assertThat(encryption.message()).contains("RSA-OAEP-256").contains("does not decrypt");
    }

    @Test
    void failsAClientAuthenticationMethodTheProviderDoesNotOffer() throws Exception {
        idp.fields.put("token_endpoint_auth_methods_supported", "[\"client_secret_basic\"]");

        Finding auth = finding(diagnose(), "client authentication");

        assertThat(auth.severity()).isEqualTo(Severity.FAIL);
        assertThat(auth.message()).contains("does not accept client_secret_post").contains("to client_secret_basic");
    }

    @Test
    void warnsThatUnlistedScopesMayBeDroppedSilently() throws Exception {
        Finding scopes = finding(diagnose(Map.of("scopes", "openid profile email groups")), "scopes");

        assertThat(scopes.severity()).isEqualTo(Severity.WARN);
        assertThat(scopes.message()).contains("[groups]").contains("Authentik").contains("silently");
        assertThat(scopes.code()).isEqualTo(Finding.SCOPES_NOT_LISTED);
        assertThat(scopes.subjects()).containsExactly("groups");
    }

    /** The discovery document from a server whose Date header is {@code offset} away from now. */
    private List<Finding> diagnoseWithClockOff(Duration offset, Map<String, String> settings) throws Exception {
        try (RawHttpServer skewed = new RawHttpServer(() -> RawHttpServer.response("Content-Type: application/json\r\nDate: "
                + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plus(offset)) + "\r\n",
                idp.discoveryJson()))) {
            Map<String, String> all = new HashMap<>(settings);
            all.put("issuer", "http://127.0.0.1:" + skewed.port() + "/realms/test");
            return diagnose(all);
        }
    }

    @Test
    void acceptsAClockWithinTheAllowedSkew() throws Exception {
        Finding clock = finding(diagnoseWithClockOff(Duration.ZERO, Map.of()), "clock");

        assertThat(clock.severity()).isEqualTo(Severity.OK);
    }

    @Test
    void warnsWhenTheProviderSendsNoDate() throws Exception {
        try (RawHttpServer noDate = new RawHttpServer(() -> RawHttpServer.response("Content-Type: application/json\r\n",
                idp.discoveryJson()))) {
            Finding clock = finding(diagnose(Map.of("issuer", "http://127.0.0.1:" + noDate.port() + "/realms/test")), "clock");

            assertThat(clock.severity()).isEqualTo(Severity.WARN);
            assertThat(clock.message()).contains("no readable Date header");
        }
    }

    @Test
    void failsAClockFurtherOffThanTheAllowedSkew() throws Exception {
        Finding clock = finding(diagnoseWithClockOff(Duration.ofMinutes(5), Map.of("clockSkewSeconds", "60")), "clock");

        assertThat(clock.severity()).isEqualTo(Severity.FAIL);
        assertThat(clock.message()).contains("ahead of").contains("allowed skew is 60 s");
    }

    @Test
    void warnsAboutAClockCloseToTheLimit() throws Exception {
        Finding clock = finding(diagnoseWithClockOff(Duration.ofSeconds(-45), Map.of("clockSkewSeconds", "60")), "clock");

        assertThat(clock.severity()).isEqualTo(Severity.WARN);
        assertThat(clock.message()).contains("behind");
    }

    @Test
    void publishesTheDiscoveryDocumentForASupportBundle() throws Exception {
        Map<String, String> settings = Map.of("issuer", idp.issuer, "clientId", "broker");
        try (IdentityProvider provider = new OidcProviderFactory().create(
                new ProviderContext("Test", new ProviderSettings(settings), REDIRECT))) {
            assertThat(provider.metadataDocuments()).containsOnlyKeys(idp.issuer + "/.well-known/openid-configuration");
            assertThat(provider.metadataDocuments().values().iterator().next()).contains("\"jwks_uri\"");
        }
    }
}
