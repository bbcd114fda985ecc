package org.idbroker.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * The built {@code bin/idbroker} as processes with whatever options a test gives (several nodes and commands on one
 * database, each with its own keys), run as an operator runs them: the launcher's own JVM options, no
 * {@code IDBROKER_} variable of the build's environment. {@link TestingLauncher} is the one-broker shortcut.
 */
public final class TestingProcesses {

    private static final Path LAUNCHER = TestingLauncher.HOME.resolve("bin").resolve("idbroker");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private TestingProcesses() {
    }

    /** {@code --db-url} and, when the tests' PostgreSQL needs one, {@code --db-username}. */
    public static List<String> database(String jdbcUrl) {
        List<String> args = new ArrayList<>(List.of("--db-url", jdbcUrl));
        if (TestingPostgres.user() != null) {
            args.addAll(List.of("--db-username", TestingPostgres.user()));
        }
        return args;
    }

    /** Starts {@code bin/idbroker} with these arguments, its output (stdout and stderr) going to {@code log}. */
    public static Process start(Path log, List<String> args) {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("IDBROKER_") || k.equals("JAVA_OPTS") || k.equals("JAVA_TOOL_OPTIONS"));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command to its end (at most two minutes): its exit code and what it printed, stdout and stderr together. */
    public static TestingBroker.CliResult run(Path work, List<String> args) {
        try {
            Path log = Files.createTempFile(work, "cli", ".log");
            Process process = start(log, args);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("bin/idbroker " + args + " did not end: " + Files.readString(log));
            }
            String output = Files.readString(log);
            return new TestingBroker.CliResult(process.exitValue(), output, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code base}'s {@code /health/ready} answers 200. */
    public static void awaitReady(URI base, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the broker ended with " + process.exitValue() + " before it was ready: "
                        + Files.readString(log));
            }
            try {
                HttpResponse<Void> ready = HTTP.send(HttpRequest.newBuilder(base.resolve("/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the broker was not ready within 120 s: " + Files.readString(log));
    }

    /** Stops a started broker as an orchestrator does (SIGTERM), and waits for it. */
    public static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
