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
 * A flood of unauthenticated sign-in starts: none stores anything (the login state is sealed into the address the
 * browser is sent to), past the per-address rate they answer 429 with {@code Retry-After}, another address still
 * starts sign-ins, and the spent ids of used states are deleted within seconds once five minutes past their expiry.
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
        long storedBefore = stored();
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

        assertThat(stored()).as("what " + started + " sign-in starts stored").isEqualTo(storedBefore);

        // more starts from this address start only what the rate refills meanwhile (600 a minute: one per 100 ms)
        long from = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> more = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            more.add(http.sendAsync(HttpRequest.newBuilder(scene.broker().uri("/api/users/authenticate/" + HostileScene.PROVIDER))
                    .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString()));
        }
        int refusedPages = 0;
        int added = 0;
        for (CompletableFuture<HttpResponse<String>> start : more) {
            HttpResponse<String> again = start.join();
            if (again.statusCode() == 429) {
                assertThat(again.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
                assertThat(again.body()).contains("Too many sign-ins were started from your address");
                refusedPages++;
            } else {
                assertThat(again.statusCode()).isEqualTo(302);
                added++;
            }
        }
        double seconds = (System.nanoTime() - from) / 1e9;
        assertThat(added).as("sign-ins started in %.1f s", seconds)
                .isLessThanOrEqualTo((int) Math.ceil(seconds * TrafficLimits.DEFAULT_SIGN_IN_STARTS_PER_MINUTE / 60.0) + 1);
        assertThat(refusedPages).isEqualTo(200 - added);
        assertThat(stored()).isEqualTo(storedBefore);

        // another client address is not limited by this one's flood
        assertThat(startFrom("127.0.0.2")).startsWith("HTTP/1.1 302");
    }

    @Test
    void spentStatesAreDeletedWithinSecondsFiveMinutesAfterTheyExpired() throws Exception {
        // as sign-ins leave them: three whose states expired five minutes and a second ago, one whose state expired 4 minutes ago
        scene.broker().jdbi().useHandle(h -> h.execute("""
                insert into spent_login_states (id, expires_at)
                select gen_random_uuid()::text::bytea, now() - interval '5 minutes 1 second' from generate_series(1, 3)
                union all select 'recent'::bytea, now() - interval '4 minutes'"""));

        long until = System.nanoTime() + Duration.ofSeconds(25).toNanos();
        while (scene.broker().count("select count(*) from spent_login_states where expires_at < now() - interval '5 minutes'") > 0
                && System.nanoTime() < until) {
            Thread.sleep(250);
        }
        assertThat(scene.broker().count("select count(*) from spent_login_states where expires_at < now() - interval '5 minutes'"))
                .as("spent ids past their time").isZero();
        assertThat(scene.broker().count("select count(*) from spent_login_states where id = 'recent'::bytea")).isEqualTo(1);
        scene.broker().jdbi().useHandle(h -> h.execute("delete from spent_login_states where id = 'recent'::bytea"));
    }

    /** Rows in the tables a sign-in start once wrote to, and the one a used login state writes to. */
    private static long stored() {
        return scene.broker().count("select (select count(*) from login_transactions) + (select count(*) from spent_login_states)");
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
