package org.idbroker.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One deadline for the whole exchange and a cap on the body, whatever the upstream does with its answer. */
class BoundedHttpTest {

    private static final Duration DEADLINE = Duration.ofSeconds(1);
    private static final int CAP = 1024;

    private final ExecutorService serverThreads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "bounded-http-test-server");
        thread.setDaemon(true);
        return thread;
    });
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        serverThreads.shutdownNow();
    }

    @Test
    void anAnswerWithinTheDeadlineAndTheCapComesWhole() throws IOException {
        byte[] body = "x".repeat(CAP).getBytes();
        HttpResponse<byte[]> response = send(exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void anUpstreamThatNeverAnswersIsLeftAtTheDeadline() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> send(exchange -> sleep(10_000)))
                .isInstanceOf(IOException.class).hasMessage("no complete answer within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aBodyDrippingPastTheDeadlineIsLeftAtTheDeadlineThoughEveryReadIsQuick() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> send(exchange -> {
            exchange.sendResponseHeaders(200, 100);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < 100; i++) {
                out.write('x');
                out.flush();
                sleep(200);
            }
            exchange.close();
        })).isInstanceOf(IOException.class).hasMessage("no complete answer within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aBodyDeclaredOverTheCapIsRefusedOnItsLength() {
        assertThatThrownBy(() -> send(exchange -> {
            exchange.sendResponseHeaders(200, 10 * CAP);
            exchange.getResponseBody().write(new byte[10 * CAP]);
            exchange.close();
        })).isInstanceOf(IOException.class).hasMessage("the answer is larger than 1 KiB");
    }

    @Test
    void aStreamedBodyIsRefusedOnceItPassesTheCap() {
        assertThatThrownBy(() -> send(exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: no length to refuse it on
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < 64; i++) {
                out.write(new byte[256]);
                out.flush();
            }
            exchange.close();
        })).isInstanceOf(IOException.class).hasMessage("the answer is larger than 1 KiB");
    }

    private HttpResponse<byte[]> send(HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            try {
                handler.handle(exchange);
            } catch (IOException e) {
                // the client gave up on it, as it should
            }
        });
        server.start();
        HttpClient client = BoundedHttp.newClient(DEADLINE);
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
        return BoundedHttp.send(client, HttpRequest.newBuilder(uri).timeout(DEADLINE).build(), DEADLINE, CAP);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
