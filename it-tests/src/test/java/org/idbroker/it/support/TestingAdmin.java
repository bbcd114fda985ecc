package org.idbroker.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * An administrator's browser: the seeded administrator signed in through the IdP, calling the JSON API
 * the way the admin pages do (with the X-Requested-With header on every change).
 */
public final class TestingAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestingBroker broker;
    private final TestingBrowser browser;

    private TestingAdmin(TestingBroker broker, TestingBrowser browser) {
        this.broker = broker;
        this.browser = browser;
    }

    /**
     * Seeds the administrator {@code boss@example.com} and signs them in through provider {@code providerId},
     * which must point at {@code idp}.
     */
    public static TestingAdmin signIn(TestingBroker broker, TestingIdp idp, String providerId) {
        TestingBroker.CliResult seeded = broker.cli("admin", "--username", "boss", "--email", "boss@example.com");
        if (seeded.exitCode() != 0) {
            throw new IllegalStateException("admin failed: " + seeded.err());
        }
        idp.nextSignIn("sub-boss", Map.of("preferred_username", "boss", "email", "boss@example.com", "email_verified", true));
        TestingBrowser browser = new TestingBrowser();
        browser.signIn(broker, providerId);
        if (browser.cookie("idb_session").isEmpty()) {
            throw new IllegalStateException("the administrator could not sign in");
        }
        return new TestingAdmin(broker, browser);
    }

    public TestingBrowser browser() {
        return browser;
    }

    public HttpResponse<String> get(String path) {
        return browser.getJson(broker.uri(path));
    }

    public HttpResponse<String> put(String path, Object body) {
        return send("PUT", broker.uri(path), body);
    }

    public HttpResponse<String> post(String path, Object body) {
        return send("POST", broker.uri(path), body);
    }

    public HttpResponse<String> delete(String path) {
        return send("DELETE", broker.uri(path), null);
    }

    private HttpResponse<String> send(String method, URI uri, Object body) {
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
            return browser.send(HttpRequest.newBuilder(uri).header("Accept", "application/json")
                    .header("Content-Type", "application/json").header("X-Requested-With", "idbroker")
                    .method(method, publisher).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
