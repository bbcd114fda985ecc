package org.idbroker.it.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.idbroker.it.support.HostileIdp;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.server.TrafficLimits;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.server.operations.Operations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node told to stop (what the SIGTERM hook does: {@code BrokerServer.close}) with 50 sign-ins in
 * flight, each waiting on the IdP's token endpoint: not ready at once, every sign-in finishes, then the
 * port is closed: a new request is refused by a closed port, not cut mid-answer.
 */
class DrainTest {

    private static final int SIGN_INS = 50;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private HostileIdp idp;
    private TestingBroker broker;
    private final ExecutorService pool = Executors.newFixedThreadPool(SIGN_INS + 2);

    @AfterEach
    void stop() {
        if (idp != null) {
            idp.releaseTokenAnswers();
        }
        pool.shutdownNow();
        if (broker != null) {
            broker.close();
        }
        if (idp != null) {
            idp.close();
        }
    }

    @Test
    void fiftySignInsInFlightAllFinishThenThePortIsClosed() throws Exception {
        idp = HostileIdp.start("drain");
        broker = TestingBroker.start(Operations.DEFAULT.withManagementPort(0)
                .withShutdown(Duration.ofMillis(1_500), Duration.ofSeconds(30)), 64,
                // room for all 50 at one provider's IdP: by default one provider may hold only half the request threads
                new TrafficLimits(SIGN_INS + 5, TrafficLimits.DEFAULT_SIGN_IN_STARTS_PER_MINUTE));
        Path secret = org.idbroker.testkit.TestingBroker.writeTemp(idp.clientSecret());
        broker.configure("--provider", "GenericOidc", "--enabled", "true", "--issuer", idp.issuer(), "--client-id", idp.clientId(),
                "--client-secret-file", secret.toString(), "--scopes", "openid profile email", "--allow-auto-user-creation", "true",
                "--set", "idpTimeoutSeconds=60");
        idp.signsIn("sub-alice", Map.of("preferred_username", "alice", "email", "alice@example.com", "email_verified", true));
        assertThat(new TestingBrowser().signIn(broker, "GenericOidc").stream().anyMatch(h -> h.statusCode() == 303)).isTrue();
        int port = broker.baseUri().getPort();

        // 50 browsers at the IdP, about to come back; their code exchanges will wait on the IdP
        List<TestingBrowser> browsers = new ArrayList<>();
        List<URI> callbacks = new ArrayList<>();
        for (int i = 0; i < SIGN_INS; i++) {
            TestingBrowser browser = new TestingBrowser();
            HttpResponse<String> start = browser.navigate(broker.uri("/api/users/authenticate/GenericOidc"));
            HttpResponse<String> atIdp = browser.navigate(URI.create(start.headers().firstValue("Location").orElseThrow()));
            browsers.add(browser);
            callbacks.add(URI.create(atIdp.headers().firstValue("Location").orElseThrow()));
        }
        idp.holdTokenAnswers();
        int tokenRequestsBefore = idp.tokenRequests();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < SIGN_INS; i++) {
            TestingBrowser browser = browsers.get(i);
            URI callback = callbacks.get(i);
            inFlight.add(CompletableFuture.supplyAsync(() -> browser.navigate(callback), pool));
        }
        awaitTrue(() -> idp.tokenRequests() - tokenRequestsBefore == SIGN_INS, "all 50 sign-ins waiting on the IdP");

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> broker.server().close(), pool);

        // at once: not ready, on the management port and the public one, while both still answer
        awaitTrue(() -> status(URI.create("http://127.0.0.1:" + broker.server().managementPort() + "/health/ready")) == 503,
                "not ready on the management port");
        assertThat(status(broker.uri("/health/ready"))).isEqualTo(503);
        assertThat(status(broker.uri("/health/live"))).isEqualTo(200);

        // after the shutdown delay the port closes, while the sign-ins are still held at the IdP
        awaitTrue(() -> !accepts(port), "the public port closed");
        assertThat(inFlight).noneMatch(CompletableFuture::isDone);
        assertThat(stopping).isNotDone();

        idp.releaseTokenAnswers();
        for (CompletableFuture<HttpResponse<String>> signIn : inFlight) {
            HttpResponse<String> answer = signIn.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(303);
            assertThat(answer.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("idb_session="));
        }
        stopping.get(30, TimeUnit.SECONDS);
        assertThat(broker.count("select count(*) from sessions")).isEqualTo(SIGN_INS + 1);

        // a new request after the drain: refused by a closed port
        assertThatThrownBy(() -> HTTP.send(HttpRequest.newBuilder(broker.uri("/health/live")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
    }

    private static int status(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits for a condition the test brought about (not a timing assertion: the deadline only stops a hang). */
    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never came true: " + what);
            }
            Thread.sleep(20);
        }
    }
}
