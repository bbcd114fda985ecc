package org.idbroker.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.idbroker.it.support.HostileScene;
import org.idbroker.server.TrafficLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A flood of unauthenticated sign-in starts (each stores a login transaction): past the per-address
 * rate they answer 429 with {@code Retry-After} and store nothing, another address still starts
 * sign-ins, and expired transactions are deleted within seconds, without anyone reading them.
 */
class SignInFloodTest {

    private static HostileScene scene;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startBroker() {
        scene = HostileScene.start();
    }

    @AfterAll
    static void stopBroker() {
        scene.close();
    }

    @Test
    void startsPastTheRatePerAddressAnswer429AndStoreNothing() throws Exception {
        int started = 0;
        HttpResponse<String> refused = null;
        for (int round = 0; round < 40 && refused == null; round++) {
            List<CompletableFuture<HttpResponse<String>>> batch = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                batch.add(http.sendAsync(HttpRequest.newBuilder(scene.broker().uri("/api/users/authenticate/" + HostileScene.PROVIDER))
                        .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> start : batch) {
                HttpResponse<String> answer = start.join();
                if (answer.statusCode() == 302) {
                    started++;
                } else {
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(429);
                    refused = answer;
                }
            }
        }
        assertThat(refused).as("a refusal after " + started + " starts").isNotNull();
        assertThat(started).isGreaterThanOrEqualTo(TrafficLimits.DEFAULT_SIGN_IN_STARTS_PER_MINUTE - 1);
        assertThat(HostileScene.errorCode(refused)).hasValue("too_many_sign_ins");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);

        // more starts from this address store only what the rate refills meanwhile (600 a minute: one per 100 ms)
        long stored = scene.broker().count("select count(*) from login_transactions");
        long from = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> more = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            more.add(http.sendAsync(HttpRequest.newBuilder(scene.broker().uri("/api/users/authenticate/" + HostileScene.PROVIDER))
                    .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString()));
        }
        int refusedPages = 0;
        for (CompletableFuture<HttpResponse<String>> start : more) {
            HttpResponse<String> again = start.join();
            if (again.statusCode() == 429) {
                assertThat(again.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
                assertThat(again.body()).contains("Too many sign-ins were started from your address");
                refusedPages++;
            }
        }
        double seconds = (System.nanoTime() - from) / 1e9;
        long added = scene.broker().count("select count(*) from login_transactions") - stored;
        assertThat(added).as("rows stored in %.1f s", seconds)
                .isLessThanOrEqualTo((long) Math.ceil(seconds * TrafficLimits.DEFAULT_SIGN_IN_STARTS_PER_MINUTE / 60.0) + 1);
        assertThat(refusedPages).isEqualTo(200 - added);

        // another client address is not limited by this one's flood
        assertThat(startFrom("127.0.0.2")).startsWith("HTTP/1.1 302");
    }

    @Test
    void expiredLoginTransactionsAreDeletedWithinSeconds() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(startFrom("127.0.0.3")).startsWith("HTTP/1.1 302");
        }
        scene.broker().jdbi().useHandle(h -> h.execute("update login_transactions set expires_at = now() - interval '1 second'"));
        assertThat(scene.broker().count("select count(*) from login_transactions")).isPositive();

        long until = System.nanoTime() + Duration.ofSeconds(25).toNanos();
        while (scene.broker().count("select count(*) from login_transactions") > 0 && System.nanoTime() < until) {
            Thread.sleep(250);
        }
        assertThat(scene.broker().count("select count(*) from login_transactions")).as("expired rows left").isZero();
    }

    /** A sign-in start from another loopback address; the answer's status line. */
    private static String startFrom(String address) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), scene.broker().baseUri().getPort()), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/users/authenticate/" + HostileScene.PROVIDER + " HTTP/1.1\r\nHost: "
                    + scene.broker().baseUri().getAuthority() + "\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
