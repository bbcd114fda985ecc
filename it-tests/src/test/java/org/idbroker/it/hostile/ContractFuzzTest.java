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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.idbroker.it.support.HostileScene;
import org.idbroker.it.support.TestingBrowser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the HTTP contract (sign-in, callback, logout, health, pages, the settings and
 * administration API) called with random methods, missing and odd content types, bad
 * percent-encoding, deep and huge JSON, garbage bodies and odd cookies, with and without an
 * administrator's API key or session, written byte by byte on a socket: never a server error or a
 * stack trace, and nothing stored changes (compared row by row, before and after). The seed is fixed
 * so a failure can be replayed; {@code -Didbroker.fuzz.seed=...} tries another one.
 */
class ContractFuzzTest {

    private static final long SEED = Long.getLong("idbroker.fuzz.seed", 20_261_203L);
    private static final int CASES = 1_500;
    private static final List<String> PATHS = List.of(
            "/api/authentication/providers", "/api/users/authenticate/{provider}", "/api/users/authenticatedToken/{provider}",
            "/api/users/backchannel-logout/{provider}", "/api/users/me", "/api/users/sign-out", "/health/live", "/health/ready",
            "/app/sign-in", "/app/", "/app/authentication", "/app/{garbage}", "/api/configuration/provider-types",
            "/api/configuration/providers", "/api/configuration/providers/{other}", "/api/configuration/providers/{other}/test",
            "/api/configuration/sessions", "/api/users", "/api/users/{id}", "/api/users/{id}/external-identities",
            "/api/users/{id}/external-identities/{id}", "/api/users/{id}/sessions", "/api/teams", "/api/teams/{id}",
            "/api/teams/{id}/members/{id}", "/api/teams/{id}/external-groups", "/api/teams/{id}/external-groups/{garbage}",
            "/api/teams/{id}/roles/{id}", "/api/roles", "/api/permissions", "/api/events", "/api/users/me/api-keys",
            "/api/users/me/api-keys/{id}", "/api/users/me/sessions/{id}", "/{garbage}");
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO", "get"};
    private static final String[] CONTENT_TYPES = {null, "application/json", "application/json; charset=klingon",
            "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8", "multipart/form-data; boundary=x",
            "multipart/form-data", "text/plain", "text/html", "a/b/c", "*/*", "application/json;;;", "application/", "json",
            "application/xml", "application/merge-patch+json"};
    private static final String[] NASTY = {"%", "%zz", "%00", "%0d%0a", "%u0041", "%C0%AF", "%E2%80%AE", "..%2F", "\"", "'",
            "<script>", "${jndi:ldap://x}", "\\", ";", "&&", "==", "[]", "é", "\u202e", "null", "-1", "9999999999999999999999"};
    /** Every table a refused request must leave as it was, without the columns that note when a row was used. */
    private static final List<String> SNAPSHOT = List.of(
            "select (to_jsonb(t))::text from users t order by 1",
            "select (to_jsonb(t))::text from external_identities t order by 1",
            "select (to_jsonb(t))::text from roles t order by 1",
            "select (to_jsonb(t))::text from teams t order by 1",
            "select (to_jsonb(t))::text from team_members t order by 1",
            "select (to_jsonb(t))::text from team_external_groups t order by 1",
            "select (to_jsonb(t))::text from team_roles t order by 1",
            "select (to_jsonb(t))::text from providers t order by 1",
            "select (to_jsonb(t) - 'last_seen')::text from sessions t order by 1",
            "select (to_jsonb(t) - 'last_used')::text from api_keys t order by 1",
            "select (to_jsonb(t))::text from broker_settings t order by 1",
            "select (to_jsonb(t))::text from logout_token_ids t order by 1");

    private static HostileScene scene;
    private static String apiKey;
    private static String sessionCookie;
    private final Random random = new Random(SEED);

    @BeforeAll
    static void startBroker() {
        scene = HostileScene.start();
        // Alice becomes an administrator, signs in, and makes an API key: the fuzz holds both
        assertThat(scene.broker().cli("admin", "--username", "alice", "--email", "alice@example.com").exitCode()).isZero();
        TestingBrowser alice = new TestingBrowser();
        assertThat(HostileScene.callback(scene.signIn(alice, HostileScene.PROVIDER).hops()).statusCode()).isEqualTo(303);
        sessionCookie = alice.cookie("idb_session").orElseThrow();
        HttpResponse<String> key = alice.postJson(scene.broker().uri("/api/users/me/api-keys"), "{\"name\":\"fuzz\"}");
        assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
        Matcher value = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(key.body());
        assertThat(value.find()).isTrue();
        apiKey = value.group(1);
    }

    @AfterAll
    static void stopBroker() {
        scene.close();
    }

    @Test
    void randomRequestsToEveryEndpointNeverFailInsideTheBrokerNorChangeAnything() {
        List<String> before = snapshot();
        // the two failures found by fuzzing the callback, first, as they were
        List<String> requests = new ArrayList<>(List.of(
                "POST /api/users/authenticatedToken/GenericOidc HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
                "POST /api/users/authenticatedToken/GenericOidc HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\n\r\nstate&code="));
        for (int i = 0; i < CASES; i++) {
            requests.add(nextRequest());
        }
        List<String> failures = new ArrayList<>();
        int[] statuses = new int[6];
        for (int i = 0; i < requests.size(); i++) {
            String request = requests.get(i);
            Reply reply = send(request);
            statuses[Math.max(0, Math.min(5, reply.status() / 100))]++;
            String problem = problem(reply);
            if (problem != null) {
                failures.add("case " + i + " (seed " + SEED + "): " + problem + "\n--- request:\n" + abbreviate(request)
                        + "\n--- reply:\n" + abbreviate(reply.raw()));
            }
        }
        System.out.printf("%d fuzzed requests: %d 2xx, %d 3xx, %d 4xx, %d 5xx%n", requests.size(), statuses[2], statuses[3],
                statuses[4], statuses[5]);

        assertThat(failures).isEmpty();
        assertThat(snapshot()).as("every table a request could change").isEqualTo(before);
        assertThat(scene.logs().lines()).as("no request failed inside the broker").noneMatch(line -> line.startsWith("ERROR"));
        HttpResponse<String> me = new TestingBrowser().send(HttpRequest.newBuilder(scene.broker().uri("/api/users/me"))
                .header("X-Api-Key", apiKey).build());
        assertThat(me.statusCode()).as("the key still works: nothing was revoked").isEqualTo(200);
    }

    private static List<String> snapshot() {
        List<String> rows = new ArrayList<>();
        for (String query : SNAPSHOT) {
            rows.add(query);
            rows.addAll(scene.broker().strings(query));
        }
        return rows;
    }

    private static String problem(Reply reply) {
        if (reply.status() >= 500 || reply.status() < 100) {
            return "status " + reply.status();
        }
        for (String marker : List.of("Exception", "\tat ", "at org.", "at java.", "Caused by", "org.eclipse.jetty", "jakarta.",
                "com.fasterxml")) {
            if (reply.raw().contains(marker)) {
                return "the reply shows '" + marker.strip() + "'";
            }
        }
        return null;
    }

    private String nextRequest() {
        String method = pick(METHODS);
        String template = pick(PATHS.toArray(String[]::new));
        String path = template.replace("{provider}", random.nextInt(4) == 0 ? garbage(1 + random.nextInt(30)) : HostileScene.PROVIDER)
                .replace("{other}", random.nextBoolean() ? "Nope" : garbage(1 + random.nextInt(30)))
                .replace("{garbage}", garbage(random.nextInt(40)));
        while (path.contains("{id}")) {
            String id = random.nextInt(3) == 0 ? garbage(1 + random.nextInt(40)) : UUID.randomUUID().toString();
            path = path.replaceFirst("\\{id}", Matcher.quoteReplacement(id));
        }
        if (random.nextInt(3) == 0) {
            path += "?" + query();
        }
        List<String> headers = new ArrayList<>();
        headers.add("Host: 127.0.0.1:" + scene.broker().baseUri().getPort());
        headers.add("Connection: close");
        if (random.nextInt(4) != 0) {
            headers.add("Accept: " + pick("text/html", "application/json", "*/*", "text/html;q=0.1, */*", "application/xml", garbage(20)));
        }
        // with Alice's API key, a request that could succeed without a body would change something: it is left out
        boolean key = random.nextInt(3) == 0 && !(method.equals("DELETE") && path.startsWith("/api/users/me/sessions"));
        if (key) {
            headers.add("X-Api-Key: " + apiKey);
        } else if (random.nextInt(4) == 0) {
            headers.add("X-Api-Key: " + pick("", "idb_", "idb_" + garbage(43), garbage(200)));
        }
        // the session cookie without X-Requested-With: a change it asks for is refused as cross-site
        switch (random.nextInt(6)) {
            case 0 -> headers.add("Cookie: idb_session=" + sessionCookie);
            case 1 -> headers.add("Cookie: idb_session=" + garbage(random.nextInt(80)) + "; idb_login=" + garbage(random.nextInt(80)));
            case 2 -> headers.add("Cookie: idb_session=" + sessionCookie + "; idb_session=" + garbage(43));
            case 3 -> headers.add("Cookie: " + "x".repeat(4_000 + random.nextInt(6_000)) + "=" + garbage(100));
            case 4 -> headers.add("Cookie: " + pick(";;;", "=", "idb_session", "idb_session=\"\"", "$Version=1; idb_session=a", "é=ü"));
            default -> {
                // no cookie
            }
        }
        String contentType = pick(CONTENT_TYPES);
        if (contentType != null) {
            headers.add("Content-Type: " + contentType);
        }
        byte[] body = body(contentType);
        if (body.length > 0 || random.nextBoolean()) {
            headers.add("Content-Length: " + body.length);
        }
        return method + " " + path + " HTTP/1.1\r\n" + String.join("\r\n", headers) + "\r\n\r\n"
                + new String(body, StandardCharsets.ISO_8859_1);
    }

    /** A body for the content type, or any other: empty, form, broken form, deep, huge or odd JSON, random bytes. */
    private byte[] body(String contentType) {
        String text = switch (random.nextInt(12)) {
            case 0, 1 -> "";
            case 2 -> query();
            case 3 -> "state=%zz&code=%&%%=%E2%80&" + garbage(50);
            case 4 -> "[".repeat(1 + random.nextInt(200_000));
            case 5 -> "{\"a\":" + "{\"a\":".repeat(random.nextInt(5_000)) + "1" + "}".repeat(random.nextInt(5_000));
            case 6 -> "{\"name\":\"" + "x".repeat(60_000 + random.nextInt(100_000)) + "\"}";
            case 7 -> pick("{}", "[]", "null", "true", "\"text\"", "1e999999", "{\"a\":1e999999}", "{\"name\":\"\\u0000\"}",
                    "{\"id\":", "{\"id\":\"x\",\"id\":\"y\"}", "{\"type\":\"oidc\",\"settings\":[]}", "{\"settings\":{\"issuer\":{}}}");
            case 8 -> "--x\r\nContent-Disposition: form-data; name=\"logout_token\"\r\n\r\n" + garbage(100) + "\r\n--x--\r\n";
            case 9 -> "logout_token=" + garbage(random.nextInt(20_000));
            default -> garbage(random.nextInt(3_000));
        };
        return text.getBytes(contentType != null && contentType.contains("json") ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    /** A query string or form body: real names with odd values, odd names, repeats. */
    private String query() {
        List<String> pairs = new ArrayList<>();
        for (int p = random.nextInt(6); p >= 0; p--) {
            String name = pick("state", "code", "error", "iss", "redirectAfterLoginTo", "mode", "search", "offset", "limit", "type",
                    "from", "to", "userId", "keepCurrent", "logout_token", garbage(1 + random.nextInt(10)));
            String value = random.nextInt(4) == 0 ? "" : garbage(random.nextInt(random.nextInt(10) == 0 ? 5_000 : 60));
            pairs.add(random.nextInt(10) == 0 ? name : name + "=" + value);
        }
        return String.join(random.nextInt(10) == 0 ? ";" : "&", pairs);
    }

    /** Characters legal in a request line (no space, CR or LF), nasty fragments, raw escapes and non-ASCII. */
    private String garbage(int length) {
        StringBuilder out = new StringBuilder();
        while (out.length() < length) {
            int kind = random.nextInt(10);
            if (kind < 6) {
                char c = (char) (0x21 + random.nextInt(0x7e - 0x21));
                out.append(c == '#' || c == '?' ? 'x' : c);
            } else if (kind < 8) {
                out.append(NASTY[random.nextInt(NASTY.length)]);
            } else if (kind == 8) {
                out.append('%').append(String.format("%02X", random.nextInt(256)));
            } else {
                out.append((char) (0x80 + random.nextInt(0x7f)));
            }
        }
        return out.toString().replace(' ', '+').replace("\r", "").replace("\n", "");
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private static Reply send(String request) {
        URI base = scene.broker().baseUri();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), base.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // refused before the body was sent in full (a body over the limit): the answer is still there to read
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                in.transferTo(answer);
            } catch (IOException e) {
                // reset after the answer
            }
            String raw = answer.toString(StandardCharsets.ISO_8859_1);
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
