package org.idbroker.it.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.it.support.TestingIdp;
import org.idbroker.it.support.TestingRelyingParty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Back-channel logout to clients: when a broker session ends, the application that received tokens in
 * it gets a signed logout token at its back-channel URI, delivered from the database and retried
 * when the application fails to take it.
 */
class BackchannelLogoutToClientsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private TestingIdp idp;
    private TestingBroker broker;
    private TestingRelyingParty rp;
    private HttpServer receiver;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusalsLeft = new AtomicInteger();

    @BeforeEach
    void start() {
        idp = TestingIdp.start();
        broker = TestingBroker.start();
        broker.configureAsTheGuideSays(idp);
        try {
            receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        receiver.createContext("/backchannel", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(body);
            int status = refusalsLeft.getAndDecrement() > 0 ? 503 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        if (rp != null) {
            rp.close();
        }
        receiver.stop(0);
        broker.close();
        idp.close();
    }

    @Test
    void signingOutSendsTheApplicationASignedLogoutTokenAndAFailedDeliveryIsRetried() throws Exception {
        refusalsLeft.set(1);
        int port = TestingRelyingParty.freePort();
        TestingBroker.CliResult created = broker.cli("client", "create", "--client-id", "wiki", "--redirect-uri",
                TestingRelyingParty.redirectUri(port), "--backchannel-logout-uri",
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/backchannel");
        assertThat(created.exitCode()).as(created.err()).isZero();
        rp = TestingRelyingParty.start(broker.baseUri().toString(), "wiki", created.out().lines().reduce((a, b) -> b).orElseThrow(),
                "basic", port);
        idp.nextSignIn("sub-alice", OpenIdClientTest.alice());
        TestingBrowser browser = new TestingBrowser();
        List<HttpResponse<String>> hops = browser.follow(rp.uri("/login"));
        JsonNode claims = JSON.readTree(hops.get(hops.size() - 1).body()).get("claims");

        HttpResponse<String> signedOut = browser.send(HttpRequest.newBuilder(broker.uri("/api/users/sign-out"))
                .header("X-Requested-With", "test").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(signedOut.statusCode()).isEqualTo(200);

        // the first attempt is refused (503); the delivery stays queued and the retry is taken
        for (int i = 0; i < 300 && (received.size() < 2 || broker.count("select count(*) from backchannel_deliveries") > 0); i++) {
            Thread.sleep(100);
        }
        assertThat(received).hasSize(2);
        assertThat(broker.count("select count(*) from backchannel_deliveries")).isZero();
        assertThat(received.get(0)).startsWith("logout_token=");
        SignedJWT token = SignedJWT.parse(URLDecoder.decode(received.get(1).substring("logout_token=".length()), StandardCharsets.UTF_8));
        assertThat(token.getHeader().getType()).isEqualTo(new JOSEObjectType("logout+jwt"));
        JWKSet keys = JWKSet.load(broker.uri("/oauth2/jwks").toURL());
        RSAKey key = keys.getKeyByKeyId(token.getHeader().getKeyID()).toRSAKey();
        assertThat(token.verify(new RSASSAVerifier(key))).isTrue();
        JWTClaimsSet logout = token.getJWTClaimsSet();
        assertThat(logout.getIssuer()).isEqualTo(broker.baseUri().toString());
        assertThat(logout.getAudience()).containsExactly("wiki");
        assertThat(logout.getSubject()).isEqualTo(claims.get("sub").asText());
        assertThat(logout.getStringClaim("sid")).isEqualTo(claims.get("sid").asText());
        assertThat(logout.getJSONObjectClaim("events")).containsKey("http://schemas.openid.net/event/backchannel-logout");
        assertThat(logout.getJWTID()).isNotBlank();
        assertThat(logout.getIssueTime()).isNotNull();
        assertThat(logout.getClaim("nonce")).isNull();
    }

    @Test
    void anApplicationWithoutABackchannelUriOrThatGotNoTokensIsNotTold() throws Exception {
        int port = TestingRelyingParty.freePort();
        TestingBroker.CliResult created = broker.cli("client", "create", "--client-id", "quiet", "--redirect-uri",
                TestingRelyingParty.redirectUri(port));
        assertThat(created.exitCode()).isZero();
        assertThat(broker.cli("client", "create", "--client-id", "unused", "--redirect-uri", "https://unused.example.com/cb",
                "--backchannel-logout-uri", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/backchannel").exitCode())
                .isZero();
        rp = TestingRelyingParty.start(broker.baseUri().toString(), "quiet", created.out().lines().reduce((a, b) -> b).orElseThrow(),
                "basic", port);
        idp.nextSignIn("sub-alice", OpenIdClientTest.alice());
        TestingBrowser browser = new TestingBrowser();
        browser.follow(rp.uri("/login"));
        assertThat(broker.count("select count(*) from session_clients")).isEqualTo(1);

        browser.send(HttpRequest.newBuilder(broker.uri("/api/users/sign-out")).header("X-Requested-With", "test")
                .POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(broker.count("select count(*) from backchannel_deliveries")).isZero();
        assertThat(broker.count("select count(*) from session_clients")).isZero();
        assertThat(received).isEmpty();
    }
}
