package org.idbroker.providers.oidc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real HTTP server publishing OpenID metadata that a test spoils one field at a time: the status,
 * the content type, any field of the discovery document, the key set.
 */
final class FaultyIdp implements AutoCloseable {

    static final String RSA_JWKS = """
            {"keys":[{"kty":"RSA","use":"sig","kid":"k1","alg":"RS256","e":"AQAB",
            "n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw"}]}
            """;

    private final HttpServer server;
    final String base;
    final String issuer;
    final Map<String, String> fields = new LinkedHashMap<>();
    volatile int discoveryStatus = 200;
    volatile String discoveryContentType = "application/json";
    volatile String discoveryBody;
    volatile String jwks = RSA_JWKS;

    FaultyIdp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        issuer = base + "/realms/test";
        fields.put("issuer", q(issuer));
        fields.put("authorization_endpoint", q(base + "/realms/test/auth"));
        fields.put("token_endpoint", q(base + "/realms/test/token"));
        fields.put("userinfo_endpoint", q(base + "/realms/test/userinfo"));
        fields.put("end_session_endpoint", q(base + "/realms/test/logout"));
        fields.put("jwks_uri", q(base + "/realms/test/certs"));
        fields.put("response_types_supported", "[\"code\"]");
        fields.put("subject_types_supported", "[\"public\"]");
        fields.put("id_token_signing_alg_values_supported", "[\"RS256\"]");
        fields.put("token_endpoint_auth_methods_supported", "[\"client_secret_basic\",\"client_secret_post\"]");
        fields.put("scopes_supported", "[\"openid\",\"profile\",\"email\"]");
        fields.put("code_challenge_methods_supported", "[\"S256\"]");
        server.createContext("/realms/test/.well-known/openid-configuration", ex -> send(ex, discoveryStatus, discoveryContentType,
                discoveryBody != null ? discoveryBody : discovery()));
        server.createContext("/realms/test/certs", ex -> send(ex, 200, "application/json", jwks));
        server.start();
    }

    static String q(String text) {
        return "\"" + text + "\"";
    }

    /** The discovery document as currently spoiled. */
    String discoveryJson() {
        return discovery();
    }

    private String discovery() {
        return fields.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> q(e.getKey()) + ":" + e.getValue()).collect(Collectors.joining(",", "{", "}"));
    }

    private void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
