package org.idbroker.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.idbroker.it.support.BrokerState;
import org.idbroker.it.support.HostileScene;
import org.idbroker.it.support.TestingBrowser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random and malformed requests to the sign-in start and the callback, written byte by byte on a
 * socket (so nothing a client library would clean up is cleaned up): never a server error, never a
 * stack trace, never a change to users, identities, groups or sessions. The seed is fixed so a
 * failure can be replayed; {@code -Didbroker.fuzz.seed=...} tries another one.
 */
class SignInFuzzTest {

    private static final long SEED = Long.getLong("idbroker.fuzz.seed", 20_250_611L);
    private static final int CASES = 400;
    private static final String[] NASTY = {"%", "%zz", "%00", "%0d%0a", "%u0041", "%C0%AF", "%E2%80%AE", "..%2F", "/../",
            "\"", "'", "<script>", "${jndi:ldap://x}", "{{7*7}}", "\\", ";", "&&", "==", "[]", "state[]", "é", "\u202e", "\u0000",
            "null", "undefined", "-1", "9999999999999999999999", "GenericOidc", "genericoidc", "state", "code", "error", "iss"};

    private static HostileScene scene;
    private static BrokerState before;
    private final Random random = new Random(SEED);

    @BeforeAll
    static void startBroker() {
        scene = HostileScene.start();
        before = scene.state();
    }

    @AfterAll
    static void stopBroker() {
        scene.close();
    }

    @Test
    void randomAndMalformedSignInRequestsNeverBreakTheBroker() {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            String request = nextRequest();
            Reply reply = send(request);
            String problem = problem(reply);
            if (problem != null) {
                failures.add("case " + i + " (seed " + SEED + "): " + problem + "\n--- request:\n" + abbreviate(request)
                        + "\n--- reply:\n" + abbreviate(reply.raw()));
            }
        }

        assertThat(failures).isEmpty();
        assertThat(scene.state()).as("users, identities, groups and sessions").isEqualTo(before);
        assertThat(scene.logs().lines()).as("no request failed inside the broker")
                .noneMatch(line -> line.startsWith("ERROR"));
        scene.assertNoSecretLeaked("");
    }

    private static String problem(Reply reply) {
        if (reply.status() >= 500 || reply.status() < 100) {
            return "status " + reply.status();
        }
        for (String marker : List.of("Exception", "\tat ", "at org.", "at java.", "Caused by", "org.eclipse.jetty", "jakarta.")) {
            if (reply.raw().contains(marker)) {
                return "the reply shows '" + marker.strip() + "'";
            }
        }
        return null;
    }

    private String nextRequest() {
        String providerId = random.nextInt(3) == 0 ? garbage(1 + random.nextInt(40), false) : HostileScene.PROVIDER;
        boolean callback = random.nextInt(3) != 0;
        String path = (callback ? "/api/users/authenticatedToken/" : "/api/users/authenticate/") + providerId;
        List<String> headers = new ArrayList<>();
        headers.add("Host: 127.0.0.1:" + scene.broker().baseUri().getPort());
        headers.add("Connection: close");
        headers.add("Accept: " + pick("text/html", "application/json", "*/*", "text/html;q=0.1, */*", garbage(20, false)));
        if (random.nextBoolean()) {
            headers.add("Cookie: " + pick("idb_login=", "idb_session=", "idb_login=a; idb_login=", "") + garbage(random.nextInt(80), false));
        }
        for (int h = random.nextInt(3); h > 0; h--) {
            headers.add(pick("X-Forwarded-For", "X-Forwarded-Host", "Referer", "Origin", "X-Requested-With", "If-None-Match")
                    + ": " + garbage(random.nextInt(60), false));
        }
        if (callback && random.nextInt(4) == 0) {
            String type = pick("application/x-www-form-urlencoded", "application/json", "multipart/form-data; boundary=x",
                    "text/plain", "application/x-www-form-urlencoded; charset=" + garbage(8, false));
            byte[] body = query().getBytes(StandardCharsets.UTF_8);
            headers.add("Content-Type: " + type);
            headers.add("Content-Length: " + body.length);
            return "POST " + path + " HTTP/1.1\r\n" + String.join("\r\n", headers) + "\r\n\r\n"
                    + new String(body, StandardCharsets.UTF_8);
        }
        return "GET " + path + "?" + query() + " HTTP/1.1\r\n" + String.join("\r\n", headers) + "\r\n\r\n";
    }

    /** A query string or form body: real names with odd values, odd names, repeats, and real states from other sign-ins. */
    private String query() {
        List<String> pairs = new ArrayList<>();
        for (int p = random.nextInt(6); p >= 0; p--) {
            String name = pick("state", "code", "error", "error_description", "iss", "redirectAfterLoginTo", "session_state",
                    garbage(1 + random.nextInt(10), false));
            String value = switch (random.nextInt(6)) {
                case 0 -> "";
                case 1 -> realState();
                case 2 -> garbage(random.nextInt(2_000), false);
                default -> garbage(random.nextInt(60), false);
            };
            pairs.add(random.nextInt(10) == 0 ? name : name + "=" + value);
        }
        return String.join(random.nextInt(10) == 0 ? ";" : "&", pairs);
    }

    /** The state of a sign-in really started in another browser (so the state exists, the browser does not match). */
    private String realState() {
        TestingBrowser other = new TestingBrowser();
        URI authorize = URI.create(other.navigate(scene.broker().uri("/api/users/authenticate/" + HostileScene.PROVIDER))
                .headers().firstValue("Location").orElseThrow());
        return authorize.getRawQuery().replaceFirst(".*(?:^|&)state=([^&]*).*", "$1");
    }

    /** Characters that are legal in a request line (no space, CR or LF), nasty fragments, and raw non-ASCII bytes. */
    private String garbage(int length, boolean spaces) {
        StringBuilder out = new StringBuilder();
        while (out.length() < length) {
            int kind = random.nextInt(10);
            if (kind < 6) {
                char c = (char) (0x21 + random.nextInt(0x7e - 0x21));
                out.append(c == '#' ? 'x' : c);
            } else if (kind < 8) {
                out.append(NASTY[random.nextInt(NASTY.length)].replace(" ", "%20").replace("\u0000", "%00"));
            } else if (kind == 8) {
                out.append('%').append(String.format("%02X", random.nextInt(256)));
            } else {
                out.append((char) (0x80 + random.nextInt(0x700)));
            }
        }
        String text = out.toString();
        return spaces ? text : text.replace(' ', '+').replace("\r", "").replace("\n", "");
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private Reply send(String request) {
        URI base = scene.broker().baseUri();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), base.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            String raw = answer.toString(StandardCharsets.UTF_8);
            int status = raw.startsWith("HTTP/1.1 ") && raw.length() >= 12 ? Integer.parseInt(raw.substring(9, 12)) : -1;
            return new Reply(status, raw);
        } catch (IOException e) {
            throw new UncheckedIOException("the broker did not answer: " + abbreviate(request), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 1_500 ? text.substring(0, 1_500) + "..." : text;
    }

    private record Reply(int status, String raw) {
    }
}
