package org.idbroker.bench;

import java.io.IOException;
import java.net.URI;

/**
 * One simulated browser on two keep-alive connections (broker, IdP): a sign-in is the three
 * requests a real browser makes, start, IdP authorize, callback. Not thread-safe.
 */
final class Browser implements AutoCloseable {

    private final HttpConnection broker;
    private final HttpConnection idp;
    private final String providerId;

    Browser(int brokerPort, int idpPort, String providerId) {
        this.broker = new HttpConnection(brokerPort);
        this.idp = new HttpConnection(idpPort);
        this.providerId = providerId;
    }

    /** Signs {@code subject} in, carrying {@code groups} groups; returns the session token. */
    String signIn(String subject, int groups) throws IOException {
        HttpConnection.Response start = broker.get("/api/users/authenticate/" + providerId, null);
        String authorize = start.header("location");
        String login = start.setCookie("idb_login");
        if (start.status() != 302 || authorize == null || login == null) {
            throw new IOException("start answered " + start.status());
        }
        URI at = URI.create(authorize);
        HttpConnection.Response redirect = idp.get(at.getRawPath() + "?" + at.getRawQuery() + "&login_hint=" + subject
                + "&groups=" + groups, null);
        String callback = redirect.header("location");
        if (redirect.status() != 302 || callback == null) {
            throw new IOException("the IdP answered " + redirect.status());
        }
        URI back = URI.create(callback);
        HttpConnection.Response done = broker.get(back.getRawPath() + "?" + back.getRawQuery(), "idb_login=" + login);
        String session = done.setCookie("idb_session");
        if (done.status() != 303 || session == null) {
            throw new IOException("the callback answered " + done.status() + ": " + new String(done.body(),
                    java.nio.charset.StandardCharsets.UTF_8).lines().limit(3).toList());
        }
        return session;
    }

    /** {@code GET /api/users/me} with a session cookie; returns the status. */
    int me(String session) throws IOException {
        return broker.get("/api/users/me", "idb_session=" + session).status();
    }

    /** {@code GET /api/users/me} with an API key; returns the status. */
    int meWithKey(String apiKey) throws IOException {
        return broker.send("GET", "/api/users/me", null, "X-Api-Key: " + apiKey, null).status();
    }

    /** Creates an API key for the session's user; returns the key, shown once. */
    String createApiKey(String session) throws IOException {
        byte[] body = "{\"name\":\"bench\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpConnection.Response created = broker.send("POST", "/api/users/me/api-keys", "idb_session=" + session,
                "X-Requested-With: bench\r\nContent-Type: application/json", body);
        String json = new String(created.body(), java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher key = java.util.regex.Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (created.status() != 201 || !key.find()) {
            throw new IOException("creating an API key answered " + created.status());
        }
        return key.group(1);
    }

    HttpConnection broker() {
        return broker;
    }

    @Override
    public void close() {
        broker.close();
        idp.close();
    }
}
