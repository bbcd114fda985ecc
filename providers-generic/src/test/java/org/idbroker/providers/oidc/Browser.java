package org.idbroker.providers.oidc;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.idbroker.spi.CallbackRequest;

/** Follows the authorization URI like a browser would, up to the redirect back to the broker. */
final class Browser {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Browser() {
    }

    /** GETs the authorization URI and returns the callback parameters of the redirect it answers with. */
    static CallbackRequest authorize(URI authorizationUri) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(authorizationUri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 302) {
            throw new AssertionError("expected a redirect, got " + response.statusCode() + ": " + response.body());
        }
        URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
        return new CallbackRequest(query(location));
    }

    static Map<String, List<String>> query(URI uri) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return params;
    }

    static String param(URI uri, String name) {
        List<String> values = query(uri).get(name);
        return values == null ? null : values.get(0);
    }
}
