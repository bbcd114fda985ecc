package org.idbroker.it.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A client of the broker's JSON API, as the broker's own pages or a script would be: signed in
 * through the IdP with a browser's cookies, or carrying an API key, or nothing at all. Calls that
 * change something carry {@code X-Requested-With} unless made {@link #withoutCsrfHeader()}.
 */
public final class TestingApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestingBroker broker;
    private final TestingBrowser browser;
    private final Map<String, String> headers;
    private final boolean csrfHeader;

    private TestingApi(TestingBroker broker, TestingBrowser browser, Map<String, String> headers, boolean csrfHeader) {
        this.broker = broker;
        this.browser = browser;
        this.headers = Map.copyOf(headers);
        this.csrfHeader = csrfHeader;
    }

    /** Nobody: no cookie, no key. */
    public static TestingApi anonymous(TestingBroker broker) {
        return new TestingApi(broker, new TestingBrowser(), Map.of(), true);
    }

    /** Signs in through provider {@code GenericOidc} as the person the IdP vouches for; fails when refused. */
    public static TestingApi signIn(TestingBroker broker, TestingIdp idp, String subject, Map<String, Object> claims) {
        TestingBrowser browser = new TestingBrowser();
        idp.nextSignIn(subject, claims);
        var hops = browser.signIn(broker, "GenericOidc");
        if (browser.cookie("idb_session").isEmpty()) {
            HttpResponse<String> last = hops.get(hops.size() - 1);
            throw new IllegalStateException("sign-in of " + subject + " refused: " + last.statusCode() + " " + last.body());
        }
        return new TestingApi(broker, browser, Map.of(), true);
    }

    /**
     * Seeds {@code boss} (boss@example.com) as an administrator through the command line, as an
     * operator would, and signs in as boss.
     */
    public static TestingApi signInAdministrator(TestingBroker broker, TestingIdp idp) {
        TestingBroker.CliResult seeded = broker.cli("admin", "--username", "boss", "--email", "boss@example.com");
        if (seeded.exitCode() != 0) {
            throw new IllegalStateException("admin failed: " + seeded.err());
        }
        return signIn(broker, idp, "sub-boss", Map.of("preferred_username", "boss", "email", "boss@example.com",
                "email_verified", true));
    }

    /** A client with no cookie that sends {@code X-Api-Key} and no {@code X-Requested-With}. */
    public static TestingApi withApiKey(TestingBroker broker, String key) {
        return new TestingApi(broker, new TestingBrowser(), Map.of("X-Api-Key", key), false);
    }

    /** The same session (or key) without the CSRF header. */
    public TestingApi withoutCsrfHeader() {
        return new TestingApi(broker, browser, headers, false);
    }

    /** The same session (or key) with one more header. */
    public TestingApi withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new TestingApi(broker, browser, more, csrfHeader);
    }

    public TestingBrowser browser() {
        return browser;
    }

    public Reply get(String path) {
        return send("GET", path, null, "application/json");
    }

    public Reply post(String path, String json) {
        return send("POST", path, json, "application/json");
    }

    public Reply put(String path, String json) {
        return send("PUT", path, json, "application/json");
    }

    public Reply delete(String path) {
        return send("DELETE", path, null, "application/json");
    }

    /** Any call; {@code body} may be {@code null}. */
    public Reply send(String method, String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(broker.uri(path)).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        if (csrfHeader) {
            request.header("X-Requested-With", "idbroker-tests");
        }
        headers.forEach(request::header);
        HttpResponse<String> response = browser.send(request.build());
        return new Reply(response.statusCode(), response.body(), response.headers().firstValue("Location"));
    }

    /** A JSON string literal for {@code value}. */
    public static String quote(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** What the broker answered. */
    public record Reply(int status, String body, Optional<String> location) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        /** The {@code error} code of a JSON error. */
        public String error() {
            JsonNode error = json().get("error");
            return error == null ? null : error.asText();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
