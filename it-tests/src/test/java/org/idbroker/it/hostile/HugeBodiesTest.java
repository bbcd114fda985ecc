package org.idbroker.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.idbroker.it.support.HostileScene;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.testkit.TestingPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request bodies of 100 MiB, eight at once to every unauthenticated endpoint, declared
 * ({@code Content-Length}) and chunked, against the built {@code bin/idbroker start} with its default JVM
 * options (a 96 MiB heap): each is refused with 413 (or, where the endpoint reads no body, answered as
 * without one) and never buffered, sign-ins and {@code /api/users/me} keep working throughout, and the log
 * has no {@code OutOfMemoryError}. Prints the broker's resident memory during the flood.
 */
class HugeBodiesTest {

    private static final Path LAUNCHER = Path.of("..", "distribution", "target", "idbroker", "bin", "idbroker").toAbsolutePath().normalize();
    private static final long BODY_BYTES = 100L * 1024 * 1024;
    private static final int AT_ONCE = 8;

    @TempDir
    Path work;

    /** An endpoint, how to call it, and whether it reads the body (a chunked body it does not read gets its normal answer). */
    private record Target(String method, String path, String contentType, boolean readsBody) {
    }

    private static final List<Target> TARGETS = List.of(
            new Target("POST", "/api/users/authenticatedToken/" + HostileScene.PROVIDER, "application/x-www-form-urlencoded", true),
            new Target("POST", "/api/users/backchannel-logout/" + HostileScene.PROVIDER, "application/x-www-form-urlencoded", true),
            new Target("GET", "/api/users/authenticate/" + HostileScene.PROVIDER, "application/x-www-form-urlencoded", false),
            new Target("POST", "/api/users/sign-out", "application/json", false),
            new Target("GET", "/api/users/me", "application/json", false),
            new Target("GET", "/api/authentication/providers", "text/plain", false),
            new Target("GET", "/health/live", "application/octet-stream", false),
            new Target("PUT", "/api/configuration/providers/" + HostileScene.PROVIDER, "application/json", true));

    @Test
    void hundredMebibyteBodiesAreRefusedUnreadWhileSignInsGoOn() throws Exception {
        assumeTrue(Files.isExecutable(LAUNCHER), "the distribution is built by 'mvn package' in the server module: " + LAUNCHER);
        try (HostileScene scene = HostileScene.start()) {
            int port = freePort();
            Path log = work.resolve("broker.log");
            Process broker = launch(scene, port, log);
            try {
                URI base = URI.create("http://127.0.0.1:" + port);
                awaitReady(base, broker, log);
                long pid = broker.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                        .map(ProcessHandle::pid).findFirst().orElse(broker.pid());
                AtomicLong maxRss = new AtomicLong(rssKib(pid));
                AtomicBoolean flooding = new AtomicBoolean(true);
                Thread sampler = new Thread(() -> {
                    while (flooding.get()) {
                        maxRss.accumulateAndGet(rssKib(pid), Math::max);
                        sleep(50);
                    }
                }, "rss-sampler");
                sampler.start();

                ExecutorService pool = Executors.newFixedThreadPool(TARGETS.size() * AT_ONCE);
                List<Future<String>> sent = new ArrayList<>();
                for (Target target : TARGETS) {
                    for (int i = 0; i < AT_ONCE; i++) {
                        boolean chunked = i % 2 == 1;
                        sent.add(pool.submit(() -> problem(target, chunked, flood(base, target, chunked))));
                    }
                }
                // sign-ins and /me through the same node while the flood goes on, and a few after
                List<String> failures = new CopyOnWriteArrayList<>();
                int signIns = 0;
                while (signIns < 3 || sent.stream().anyMatch(f -> !f.isDone())) {
                    TestingBrowser browser = new TestingBrowser();
                    List<HttpResponse<String>> hops = browser.follow(base.resolve("/api/users/authenticate/" + HostileScene.PROVIDER));
                    HttpResponse<String> callback = HostileScene.callback(hops);
                    if (callback.statusCode() != 303) {
                        failures.add("sign-in " + signIns + ": " + callback.statusCode() + " " + callback.body());
                    }
                    HttpResponse<String> me = browser.getJson(base.resolve("/api/users/me"));
                    if (me.statusCode() != 200 || !me.body().contains("\"username\":\"alice\"")) {
                        failures.add("/api/users/me after sign-in " + signIns + ": " + me.statusCode() + " " + me.body());
                    }
                    signIns++;
                }
                for (Future<String> result : sent) {
                    String problem = result.get(120, TimeUnit.SECONDS);
                    if (problem != null) {
                        failures.add(problem);
                    }
                }
                pool.shutdownNow();
                flooding.set(false);
                sampler.join();

                System.out.printf("%d x 100 MiB bodies (%d endpoints x %d at once) with %d sign-ins: broker resident memory"
                        + " at most %d MiB%n", sent.size(), TARGETS.size(), AT_ONCE, signIns, maxRss.get() / 1024);
                assertThat(failures).isEmpty();
                assertThat(broker.isAlive()).as("the broker is still running").isTrue();
                String output = Files.readString(log);
                assertThat(output).doesNotContain("OutOfMemoryError").doesNotContain(" ERROR ");
            } finally {
                stop(broker);
            }
        }
    }

    /** What is wrong with the answer to a flood request, or {@code null}. */
    private static String problem(Target target, boolean chunked, String statusLine) {
        String what = target.method() + " " + target.path() + (chunked ? " (chunked)" : " (Content-Length)") + ": ";
        if (statusLine == null) {
            return what + "no answer before the connection closed";
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        if (!chunked || target.readsBody()) {
            return status == 413 ? null : what + statusLine + " instead of 413";
        }
        return status < 500 ? null : what + statusLine;
    }

    /**
     * Sends a 100 MiB body on a socket (declared or chunked) while reading the answer; stops sending when
     * the broker closes the connection. Returns the answer's status line, or {@code null} when none came.
     */
    private static String flood(URI base, Target target, boolean chunked) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), base.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            String head = target.method() + " " + target.path() + " HTTP/1.1\r\nHost: 127.0.0.1:" + base.getPort()
                    + "\r\nContent-Type: " + target.contentType() + "\r\nAccept: application/json\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + BODY_BYTES + "\r\n") + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                try {
                    InputStream in = socket.getInputStream();
                    byte[] buffer = new byte[8192];
                    for (int n; (n = in.read(buffer)) >= 0 && answer.size() < 64 * 1024; ) {
                        synchronized (answer) {
                            answer.write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // the broker hung up: what it answered before is in the buffer
                }
            });
            reader.start();
            byte[] block = new byte[64 * 1024];
            Arrays.fill(block, (byte) 'a');
            // a form field or a JSON string that never ends: a reader must read on until the limit stops it
            byte[] start = (target.contentType().equals("application/json") ? "{\"x\":\"" : "x=").getBytes(StandardCharsets.US_ASCII);
            byte[] first = block.clone();
            System.arraycopy(start, 0, first, 0, start.length);
            byte[] chunkHead = (Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                for (long written = 0; written < BODY_BYTES; written += block.length) {
                    if (chunked) {
                        out.write(chunkHead);
                    }
                    out.write(written == 0 ? first : block);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException e) {
                // the broker closed the connection after answering: as it should
            }
            try {
                reader.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String text;
            synchronized (answer) {
                text = answer.toString(StandardCharsets.ISO_8859_1);
            }
            return text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? text.lines().findFirst().orElse(null) : null;
        }
    }

    private Process launch(HostileScene scene, int port, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "start", "--db-url", scene.broker().jdbcUrl(),
                "--master-key-file", scene.broker().kit().masterKeyFile().toString(), "--bind", "127.0.0.1",
                "--http-port", Integer.toString(port), "--public-url", "http://127.0.0.1:" + port));
        if (TestingPostgres.user() != null) {
            command.addAll(List.of("--db-username", TestingPostgres.user()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // the launcher's own JVM options: the 96 MiB heap is what must not run out
        builder.environment().remove("JAVA_OPTS");
        return builder.start();
    }

    private static void awaitReady(URI base, Process broker, Path log) throws Exception {
        TestingBrowser browser = new TestingBrowser();
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < until && broker.isAlive()) {
            try {
                if (browser.getJson(base.resolve("/health/ready")).statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the broker did not become ready: " + Files.readString(log));
    }

    /** Resident memory of a process in KiB, from {@code /proc}; 0 when it cannot be read. */
    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not on Linux, or the process ended
        }
        return 0;
    }

    private static void stop(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
