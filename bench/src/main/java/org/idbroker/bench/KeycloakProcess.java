package org.idbroker.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Keycloak from its Quarkus distribution, started as its server guide's production mode: {@code bin/kc.sh start
 * --optimized} after a {@code kc.sh build --db=postgres --health-enabled=true} (bench/run does the build), HTTP on a
 * free loopback port, {@code hostname-strict=false} (the issuer follows the request's host), the bench's database,
 * the script's default JVM options ({@code -Xms64m -Xmx512m}, G1), and its default clustered cache (Infinispan with
 * JGroups, bound to loopback: the bench uses no other address). The script starts the JVM as its child and forwards
 * SIGTERM to it; the figures are the child's.
 */
final class KeycloakProcess implements AutoCloseable {

    private final Process script;
    private final ProcessHandle jvm;
    private final int port;
    private final Duration readyAfter;

    private KeycloakProcess(Process script, ProcessHandle jvm, int port, Duration readyAfter) {
        this.script = script;
        this.jvm = jvm;
        this.port = port;
        this.readyAfter = readyAfter;
    }

    /**
     * Starts Keycloak and waits for {@code /health/ready} on its management port, asked every 100 ms: its HTTP
     * listeners open first, then it creates the schema and the master realm, and only then is it ready.
     */
    static KeycloakProcess start(Path home, Path javaHome, Database database, String adminUser, String adminPassword, Path log)
            throws Exception {
        int port = freePort();
        int management = freePort();
        List<String> command = List.of(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + port,
                "--http-management-port=" + management, "--hostname-strict=false",
                "--db-url=" + database.jdbcUrl(), "--db-username=" + database.user(),
                "--cache-embedded-network-bind-address=127.0.0.1");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", adminUser);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        // the bench's own settings must not leak in: kc.sh reads JAVA_OPTS and its KC_ variables
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("JAVA_OPTS_APPEND");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        long launched = System.nanoTime();
        Process script = builder.start();
        long deadline = launched + TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.keycloakStartSeconds", 600));
        try (HttpConnection health = new HttpConnection(management)) {
            while (System.nanoTime() < deadline) {
                if (!script.isAlive()) {
                    throw new IllegalStateException("Keycloak stopped at start (exit " + script.exitValue() + "); see " + log);
                }
                try {
                    if (health.get("/health/ready", null).status() == 200) {
                        Duration ready = Duration.ofNanos(System.nanoTime() - launched);
                        ProcessHandle jvm = jvmOf(script).orElseThrow(() -> new IllegalStateException(
                                "kc.sh answers but has no java child process"));
                        return new KeycloakProcess(script, jvm, port, ready);
                    }
                } catch (IOException e) {
                    health.close();
                }
                // 100 ms: Keycloak logs every "down" answer at INFO, and a tighter loop slows its start on 2 cores
                Thread.sleep(100);
            }
        }
        script.destroy();
        throw new IllegalStateException("Keycloak was not ready within " + Integer.getInteger("bench.keycloakStartSeconds", 600)
                + " s; see " + log);
    }

    private static Optional<ProcessHandle> jvmOf(Process script) {
        return script.toHandle().children()
                .filter(child -> child.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst();
    }

    long pid() {
        return jvm.pid();
    }

    int port() {
        return port;
    }

    Duration readyAfter() {
        return readyAfter;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** SIGTERM to kc.sh, which passes it to the JVM (a graceful shutdown); then SIGKILL to whatever is left. */
    @Override
    public void close() throws InterruptedException {
        script.destroy();
        if (!script.waitFor(30, TimeUnit.SECONDS)) {
            jvm.destroyForcibly();
            script.destroyForcibly();
        }
    }
}
