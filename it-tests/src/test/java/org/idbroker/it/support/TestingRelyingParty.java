package org.idbroker.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * An application signing in through the broker with the certified relying-party library
 * {@code openid-client} (npm), run by node from {@code src/test/node/rp.mjs}: {@code /login} starts
 * a sign-in, {@code /callback} redeems the code, validates the ID token, reads userinfo and answers
 * the result as JSON. Its dependencies come from the committed lock file ({@code npm ci}, which
 * {@code .ci/run} runs; run here too when missing). Without node the tests are reported as not run.
 */
public final class TestingRelyingParty implements AutoCloseable {

    private static final Path DIR = Path.of("src/test/node");
    private final Process process;
    private final URI base;
    private final List<String> output = new ArrayList<>();

    private TestingRelyingParty(Process process, URI base) {
        this.process = process;
        this.base = base;
    }

    /** A free port for the application, so its redirect URI can be registered before it starts. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String redirectUri(int port) {
        return "http://127.0.0.1:" + port + "/callback";
    }

    /**
     * Starts the application on {@code port} for client {@code clientId} of the broker at {@code issuer};
     * {@code secret} {@code null} makes it a public client, {@code clientAuth} is basic or post.
     */
    public static TestingRelyingParty start(String issuer, String clientId, String secret, String clientAuth, int port) {
        return start(issuer, clientId, secret, clientAuth, port, Map.of());
    }

    /** {@link #start(String, String, String, String, int)} with more of {@code rp.mjs}'s environment, such as ID_TOKEN_ALG. */
    public static TestingRelyingParty start(String issuer, String clientId, String secret, String clientAuth, int port,
            Map<String, String> extraEnvironment) {
        Assumptions.assumeTrue(onPath("node"), "node is not installed: the openid-client relying-party tests need it");
        installDependencies();
        ProcessBuilder builder = new ProcessBuilder("node", "rp.mjs").directory(DIR.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("ISSUER", issuer);
        env.put("CLIENT_ID", clientId);
        if (secret != null) {
            env.put("CLIENT_SECRET", secret);
        }
        env.put("CLIENT_AUTH", clientAuth);
        env.put("PORT", Integer.toString(port));
        env.putAll(extraEnvironment);
        try {
            Process process = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            List<String> seen = new ArrayList<>();
            for (String line; (line = out.readLine()) != null; ) {
                seen.add(line);
                if (line.startsWith("LISTENING ")) {
                    TestingRelyingParty rp = new TestingRelyingParty(process, URI.create(line.substring("LISTENING ".length()).trim()));
                    Thread drain = new Thread(() -> rp.drain(out), "relying-party-output");
                    drain.setDaemon(true);
                    drain.start();
                    return rp;
                }
            }
            process.waitFor(5, TimeUnit.SECONDS);
            throw new IllegalStateException("the relying party did not start: " + String.join("\n", seen));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create(base + path);
    }

    /** What the application printed (its errors, if any). */
    public synchronized String output() {
        return String.join("\n", output);
    }

    private void drain(BufferedReader out) {
        try {
            for (String line; (line = out.readLine()) != null; ) {
                synchronized (this) {
                    output.add(line);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static synchronized void installDependencies() {
        if (Files.isDirectory(DIR.resolve("node_modules/openid-client"))) {
            return;
        }
        try {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DIR.toFile())
                    .redirectErrorStream(true).start();
            String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IllegalStateException("npm ci failed in " + DIR + ":\n" + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("npm ci could not run in " + DIR, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
