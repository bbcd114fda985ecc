package org.idbroker.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The broker from the built distribution, as a process of its own so its CPU time and memory can be read. */
final class BrokerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Duration readyAfter;

    private BrokerProcess(Process process, int port, Duration readyAfter) {
        this.process = process;
        this.port = port;
        this.readyAfter = readyAfter;
    }

    /** Starts {@code bin/idbroker start} and waits for {@code /health/ready}. */
    static BrokerProcess start(Path distribution, Database database, String masterKey, Path log) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(distribution.resolve("bin/idbroker").toString(), "start",
                "--http-port", Integer.toString(port), "--bind", "127.0.0.1", "--public-url", "http://127.0.0.1:" + port,
                // every simulated browser comes from 127.0.0.1: no per-address limit on sign-in starts
                "--sign-in-starts-per-minute", "0"));
        command.addAll(database.cliArguments());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("IDBROKER_MASTER_KEY", masterKey);
        builder.environment().putIfAbsent("IDBROKER_LOG_LEVEL", "WARN");
        // options added to the launcher's defaults (JAVA_OPTS would replace them), such as a JFR recording
        String extra = System.getenv("BENCH_BROKER_JDK_JAVA_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            builder.environment().put("JDK_JAVA_OPTIONS", extra);
        }
        long launched = System.nanoTime();
        Process process = builder.start();
        try (HttpConnection health = new HttpConnection(port)) {
            for (int i = 0; i < 6_000; i++) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the broker stopped at start; see " + log);
                }
                try {
                    if (health.get("/health/ready", null).status() == 200) {
                        return new BrokerProcess(process, port, Duration.ofNanos(System.nanoTime() - launched));
                    }
                } catch (IOException e) {
                    health.close();
                }
                Thread.sleep(5);
            }
        }
        process.destroy();
        throw new IllegalStateException("the broker was not ready within 30 s; see " + log);
    }

    /** Runs a command of the distribution against the same database, such as {@code configure}. */
    static String cli(Path distribution, Database database, String masterKey, Map<String, String> env, String... args)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(distribution.resolve("bin/idbroker").toString());
        command.addAll(List.of(args));
        command.addAll(database.cliArguments());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("IDBROKER_MASTER_KEY", masterKey);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("idbroker " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    Duration readyAfter() {
        return readyAfter;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** Waits until this broker lists {@code providerId} among its sign-in providers (at most 10 s). */
    void awaitProvider(String providerId) throws Exception {
        try (HttpConnection http = new HttpConnection(port())) {
            for (int i = 0; i < 200; i++) {
                if (new String(http.get("/api/authentication/providers", null).body()).contains(providerId)) {
                    return;
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("the broker does not list the configured provider after 10 s");
    }
}
