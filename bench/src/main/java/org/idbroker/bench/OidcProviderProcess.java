package org.idbroker.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The bench's OpenID provider: node oidc-provider from {@code bench/idp} ({@code idp.js}), shaped like Authentik,
 * in a process of its own so its CPU is counted apart from the broker's and the load driver's.
 */
final class OidcProviderProcess implements AutoCloseable {

    static final String CLIENT_ID = "bench-client";
    static final String CLIENT_SECRET = "bench-client-secret-0123456789abcdef0123456789abcdef";
    static final String PASSWORD = "bench-password";

    private final Process process;
    private final int port;
    private final String issuer;

    private OidcProviderProcess(Process process, int port, String issuer) {
        this.process = process;
        this.port = port;
        this.issuer = issuer;
    }

    /** Starts the IdP with one client, {@link #CLIENT_ID}, that may redirect to {@code redirectUri}. */
    static OidcProviderProcess start(Path idpDirectory, String redirectUri, Path log) throws Exception {
        return start(idpDirectory, CLIENT_ID, redirectUri, log);
    }

    /** Starts the IdP with one client, {@code clientId} (secret {@link #CLIENT_SECRET}), that may redirect to {@code redirectUri}. */
    static OidcProviderProcess start(Path idpDirectory, String clientId, String redirectUri, Path log) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String keyBits = System.getenv().getOrDefault("BENCH_IDP_KEY_BITS", "2048");
        ProcessBuilder builder = new ProcessBuilder(System.getenv().getOrDefault("BENCH_NODE", "node"), "idp.js",
                Integer.toString(port), redirectUri, keyBits, clientId).directory(idpDirectory.toFile())
                .redirectError(log.toFile());
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("ready ")) {
                OidcProviderProcess idp = new OidcProviderProcess(process, port, line.substring(6).trim());
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException e) {
                        // the IdP stopped
                    }
                }, "idp-stdout");
                drain.setDaemon(true);
                drain.start();
                return idp;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the OpenID provider did not start (run npm ci in " + idpDirectory + "?); see " + log);
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    String issuer() {
        return issuer;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
