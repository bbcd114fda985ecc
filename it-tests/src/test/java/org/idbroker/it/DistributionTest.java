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

    /**
     * A machine that never unpacked the embedded PostgreSQL, with the launcher's own JVM options (its 96 MiB heap):
     * start-dev unpacks it into a folder that does not exist yet; a start killed in the middle of an unpack leaves
     * nothing that stops the next one; admin and configure, started together on another empty folder, unpack once.
     */
    @Test
    void aFreshMachineStartsWithTheDefaultOptionsAndAnInterruptedUnpackDoesNotStopTheNextStart() throws Exception {
        assumeTrue(Files.isExecutable(LAUNCHER), "the distribution is built by 'mvn package' in the server module: " + LAUNCHER);
        int port = freePort();
        Path binaries = work.resolve("cache-a").resolve("postgres");
        assertThat(work.resolve("cache-a")).doesNotExist();

        long started = System.nanoTime();
        Process fresh = launch(work.resolve("fresh.log"), "start-dev", "--http-port", Integer.toString(port),
                "--data-dir", work.resolve("data-a").toString(), "--pg-binaries-dir", binaries.toString());
        try {
            awaitReady(port, Duration.ofSeconds(180), fresh, work.resolve("fresh.log"));
            System.out.println("start-dev on a fresh unpack ready after " + Duration.ofNanos(System.nanoTime() - started).toMillis()
                    + " ms (" + unpackLine(work.resolve("fresh.log")) + ")");
        } finally {
            stop(fresh);
        }
        assertThat(Files.readString(work.resolve("fresh.log"))).contains("Unpacking the embedded PostgreSQL into " + binaries)
                .doesNotContain("OutOfMemoryError").doesNotContain("FileAlreadyExistsException");
        assertThat(completeFolders(binaries)).hasSize(1);

        // a second fresh unpack, killed (as by a power cut or kill -9) while it writes
        Path interrupted = work.resolve("cache-b");
        Process killed = launch(work.resolve("killed.log"), "start-dev", "--http-port", Integer.toString(port),
                "--data-dir", work.resolve("data-b").toString(), "--pg-binaries-dir", interrupted.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (partialFolders(interrupted).stream().noneMatch(DistributionTest::hasChildren)) {
            assertThat(killed.isAlive()).as("the start unpacks before it ends: %s", Files.readString(work.resolve("killed.log"))).isTrue();
            assertThat(System.nanoTime()).as("an unpack began within 120 s").isLessThan(deadline);
            Thread.sleep(10);
        }
        killed.destroyForcibly();
        assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(completeFolders(interrupted)).as("killed before the unpack was complete").isEmpty();
        assertThat(partialFolders(interrupted)).hasSize(1);

        Process next = launch(work.resolve("next.log"), "start-dev", "--http-port", Integer.toString(port),
                "--data-dir", work.resolve("data-b").toString(), "--pg-binaries-dir", interrupted.toString());
        try {
            awaitReady(port, Duration.ofSeconds(180), next, work.resolve("next.log"));
        } finally {
            stop(next);
        }
        assertThat(Files.readString(work.resolve("next.log"))).contains("left by an unpack that did not finish");
        assertThat(partialFolders(interrupted)).isEmpty();
        assertThat(completeFolders(interrupted)).hasSize(1);

        // admin and configure on a machine that never unpacked, started at the same moment (each on its own data folder)
        Path shared = work.resolve("cache-c");
        Process admin = launch(work.resolve("admin-fresh.log"), "admin", "--username", "alice", "--email", "alice@example.com",
                "--data-dir", work.resolve("data-c").toString(), "--pg-binaries-dir", shared.toString());
        Process configure = launch(work.resolve("configure-fresh.log"), "configure", "--provider", "GenericOidc",
                "--display-name", "Company sign-in", "--data-dir", work.resolve("data-d").toString(), "--pg-binaries-dir", shared.toString());
        assertThat(admin.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(configure.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String adminLog = Files.readString(work.resolve("admin-fresh.log"));
        String configureLog = Files.readString(work.resolve("configure-fresh.log"));
        assertThat(admin.exitValue()).as(adminLog).isZero();
        assertThat(configure.exitValue()).as(configureLog).isZero();
        assertThat(adminLog).contains("Created user 'alice'");
        assertThat(configureLog).contains("/api/users/authenticatedToken/GenericOidc");
        assertThat((adminLog + configureLog).split("Unpacking the embedded PostgreSQL", -1)).as("one of them unpacked").hasSize(2);
        assertThat(completeFolders(shared)).hasSize(1);
        assertThat(partialFolders(shared)).isEmpty();
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
        // the launcher's own JVM options, whatever the build runs with
        builder.environment().keySet().removeIf(k -> k.startsWith("IDBROKER_") || k.equals("JAVA_OPTS") || k.equals("JAVA_TOOL_OPTIONS"));
        return builder.start();
    }

    private static List<Path> completeFolders(Path binaries) throws IOException {
        return children(binaries, p -> p.getFileName().toString().matches("PG-[0-9a-f]{32}") && Files.isRegularFile(p.resolve(".exists")));
    }

    private static List<Path> partialFolders(Path binaries) throws IOException {
        return children(binaries, p -> p.getFileName().toString().contains(".partial-"));
    }

    private static List<Path> children(Path folder, java.util.function.Predicate<Path> filter) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var children = Files.list(folder)) {
            return children.filter(filter).toList();
        }
    }

    private static boolean hasChildren(Path folder) {
        try (var children = Files.list(folder)) {
            return children.findAny().isPresent();
        } catch (IOException e) {
            return false; // renamed or removed meanwhile
        }
    }

    private static String unpackLine(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("Unpacked the embedded PostgreSQL in")).findFirst()
                .map(l -> l.substring(l.indexOf("Unpacked"))).orElse("no unpack logged");
    }

    private void awaitReady(int port, Duration limit, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the broker ended with " + process.exitValue() + " before it was ready: " + Files.readString(log));
            }
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
        throw new AssertionError("the broker was not ready on port " + port + " within " + limit + ": " + Files.readString(log));
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
