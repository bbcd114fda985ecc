package org.idbroker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Keycloak's admin REST API as the bootstrap admin: a token from the master realm's {@code admin-cli} client
 * (password grant), taken again before it expires (the master realm's access tokens live 60 s), and JSON both ways.
 * A call that does not answer 2xx throws with Keycloak's answer. For configuring the bench, not for load.
 */
final class KeycloakAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String username;
    private final String password;
    private String token;
    private long tokenUntil;

    KeycloakAdmin(int port, String username, String password) {
        this.base = "http://127.0.0.1:" + port;
        this.username = username;
        this.password = password;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return call("GET", path, null);
    }

    /** POSTs {@code body} as JSON; returns the answer's JSON, or {@code null} for an empty answer (a 201 Created). */
    JsonNode post(String path, Object body) throws IOException, InterruptedException {
        return call("POST", path, body);
    }

    JsonNode put(String path, Object body) throws IOException, InterruptedException {
        return call("PUT", path, body);
    }

    private JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token()).header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("Keycloak's " + method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isBlank() ? null : JSON.readTree(response.body());
    }

    private String token() throws IOException, InterruptedException {
        if (token == null || System.nanoTime() > tokenUntil) {
            long asked = System.nanoTime();
            String form = "grant_type=password&client_id=admin-cli&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                    + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/realms/master/protocol/openid-connect/token"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("Keycloak's admin token answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode answer = JSON.readTree(response.body());
            token = answer.path("access_token").asText();
            // half its lifetime: a call that takes long (a partial import) still carries a live token
            tokenUntil = asked + Duration.ofSeconds(Math.max(5, answer.path("expires_in").asLong(60) / 2)).toNanos();
        }
        return token;
    }
}
