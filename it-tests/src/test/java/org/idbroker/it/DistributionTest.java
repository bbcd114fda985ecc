package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built distribution, run the way an operator runs it: {@code bin/idbroker start-dev}, then {@code admin} beside it. */
class DistributionTest {

    private static final Path LAUNCHER = Path.of("..", "distribution", "target", "idbroker", "bin", "idbroker").toAbsolutePath().normalize();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path work;

    @Test
    void startDevKeepsItsDataAndAdminJoinsTheRunningDatabase() throws Exception {
        assumeTrue(Files.isExecutable(LAUNCHER), "the distribution is built by 'mvn package' in the distribution module: " + LAUNCHER);
        int port = freePort();
        Path data = work.resolve("data");

        Process first = launch(work.resolve("first.log"), "start-dev", "--http-port", Integer.toString(port), "--data-dir", data.toString());
        try {
            awaitReady(port, Duration.ofSeconds(60));
            assertThat(Files.readString(work.resolve("first.log"))).contains("DEVELOPMENT mode at http://localhost:" + port);

            Process admin = launch(work.resolve("admin.log"), "admin", "--username", "alice", "--email", "alice@example.com",
                    "--data-dir", data.toString());
            assertThat(admin.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String adminLog = Files.readString(work.resolve("admin.log"));
            assertThat(admin.exitValue()).as(adminLog).isZero();
            assertThat(adminLog).contains("Created user 'alice'").contains("Using the embedded PostgreSQL already running");
        } finally {
            stop(first);
        }

        // the second start finds the data folder and the user in it, and is ready within a few seconds (and serves with
        // the fewest request threads allowed)
        long started = System.nanoTime();
        Process second = launch(work.resolve("second.log"), "start-dev", "--http-port", Integer.toString(port), "--data-dir", data.toString(),
                "--http-threads", "8");
        try {
            awaitReady(port, Duration.ofSeconds(30));
            Duration toReady = Duration.ofNanos(System.nanoTime() - started);
            System.out.println("second start-dev ready after " + toReady.toMillis() + " ms");
            assertThat(toReady).isLessThan(Duration.ofSeconds(20));

            Process again = launch(work.resolve("again.log"), "admin", "--username", "alice", "--email", "alice@example.org",
                    "--data-dir", data.toString());
            assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(work.resolve("again.log"))).contains("Updated user 'alice'");
        } finally {
            stop(second);
        }
    }

    @Test
    void anUnknownCommandIsOneLineAndANonZeroExit() throws Exception {
        assumeTrue(Files.isExecutable(LAUNCHER), "the distribution is built by 'mvn package' in the distribution module: " + LAUNCHER);
        Process process = launch(work.resolve("bad.log"), "start-dev", "--http-port", "not-a-number");
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        String log = Files.readString(work.resolve("bad.log")).strip();
        assertThat(log.lines().count()).isEqualTo(1);
        assertThat(log).contains("--http-port").doesNotContain("Exception");
    }

    private Process launch(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("IDBROKER_"));
        return builder.start();
    }

    private void awaitReady(int port, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the broker was not ready on port " + port + " within " + limit);
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
