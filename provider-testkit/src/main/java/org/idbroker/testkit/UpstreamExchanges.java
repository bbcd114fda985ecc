package org.idbroker.testkit;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the kit's upstream emulators (on the JDK's HTTP server) share: forms, answers, redirects, PKCE. */
public final class UpstreamExchanges {

    private UpstreamExchanges() {
    }

    /** A query string or form body as names and values, the first of a repeated name winning. */
    public static Map<String, String> form(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(key, value);
        }
        return values;
    }

    /** Answers {@code body} with this status and content type. */
    public static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A 302 to {@code target} with these query parameters added (null values left out). */
    public static void redirect(HttpExchange exchange, String target, Map<String, String> params) throws IOException {
        StringBuilder location = new StringBuilder(target).append(target.contains("?") ? '&' : '?');
        params.forEach((k, v) -> {
            if (v != null) {
                location.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&');
            }
        });
        location.setLength(location.length() - 1);
        exchange.getResponseHeaders().set("Location", URI.create(location.toString()).toString());
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    /** The PKCE S256 challenge of a verifier (RFC 7636). */
    public static String s256(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
