package org.idbroker.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The built distribution ({@code distribution/target/idbroker}) run as an operator runs it: {@code bin/idbroker start}
 * on a fresh database of the test PostgreSQL, and its command line beside it, each a process of its own.
 */
public final class TestingLauncher implements AutoCloseable {

    public static final Path HOME = Path.of("..", "distribution", "target", "idbroker").toAbsolutePath().normalize();
    private static final Path LAUNCHER = HOME.resolve("bin").resolve("idbroker");

    private final Path work;
    private final String jdbcUrl = TestingPostgres.newDatabase();
    private final Path masterKey;
    private final int port;
    private final List<String> extra;
    private final Process process;

    private TestingLauncher(Path work, List<String> extra) throws IOException, InterruptedException {
        this.work = work;
        this.extra = List.copyOf(extra);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        masterKey = Files.writeString(work.resolve("master.key"), Base64.getEncoder().encodeToString(key));
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "start", "--bind", "127.0.0.1",
                "--http-port", Integer.toString(port)));
        command.addAll(common(true));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("broker.log").toFile()).start();
        awaitReady();
    }

    /** Whether the distribution is built; the tests that need it say so when it is not. */
    public static boolean built() {
        return Files.isExecutable(LAUNCHER);
    }

    /**
     * Starts the broker, keeping its log and key in {@code work}.
     *
     * @param extra options given to {@code start} and every command, such as {@code --providers-dir DIR}
     */
    public static TestingLauncher start(Path work, String... extra) {
        try {
            return new TestingLauncher(work, List.of(extra));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public URI uri(String path) {
        return baseUri().resolve(path);
    }

    /** Runs {@code bin/idbroker COMMAND ARGS...} against this broker's database; what it printed and its exit code. */
    public TestingBroker.CliResult cli(String... args) {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        command.addAll(common(!args[0].equals("admin")));
        try {
            Path out = Files.createTempFile(work, "cli", ".out");
            Path err = Files.createTempFile(work, "cli", ".err");
            Process cli = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!cli.waitFor(120, TimeUnit.SECONDS)) {
                cli.destroyForcibly();
                throw new AssertionError("bin/idbroker " + String.join(" ", args) + " did not end within 120 s");
            }
            return new TestingBroker.CliResult(cli.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code bin/idbroker configure ARGS...} and expects it to succeed; returns what it printed. */
    public String configure(String... args) {
        List<String> all = new ArrayList<>(List.of("configure"));
        all.addAll(List.of(args));
        TestingBroker.CliResult result = cli(all.toArray(String[]::new));
        if (result.exitCode() != 0) {
            throw new AssertionError("configure failed: " + result.err());
        }
        return result.out();
    }

    /** Waits until the running broker lists this provider at its sign-in (it reads a change within 2 s). */
    public void awaitProvider(String id) {
        TestingBrowser browser = new TestingBrowser();
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < until) {
            if (browser.getJson(uri("/api/authentication/providers")).body().contains("\"id\":\"" + id + "\"")) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the broker never listed the provider " + id);
    }

    private List<String> common(boolean publicUrl) {
        List<String> options = new ArrayList<>(List.of("--db-url", jdbcUrl, "--master-key-file", masterKey.toString()));
        if (TestingPostgres.user() != null) {
            options.addAll(List.of("--db-username", TestingPostgres.user()));
        }
        if (publicUrl) {
            options.addAll(List.of("--public-url", baseUri().toString()));
        }
        options.addAll(extra);
        return options;
    }

    private void awaitReady() throws IOException, InterruptedException {
        TestingBrowser browser = new TestingBrowser();
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < until && process.isAlive()) {
            try {
                if (browser.getJson(uri("/health/ready")).statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        String log = Files.readString(work.resolve("broker.log"));
        close();
        throw new AssertionError("the launched broker did not become ready: " + log);
    }

    @Override
    public void close() {
        try {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            TestingPostgres.dropDatabase(jdbcUrl);
        }
    }
}
