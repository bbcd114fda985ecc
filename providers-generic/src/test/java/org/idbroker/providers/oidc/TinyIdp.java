package org.idbroker.providers.oidc;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A tiny Authentik-like OpenID provider without a signing key: discovery announcing HS256, a JWKS
 * answering {@code {}}, and a token endpoint returning whatever ID token the test prepared.
 */
final class TinyIdp implements AutoCloseable {

    static final String SECRET = "a-client-secret-of-more-than-thirty-two-bytes-with-punctuation!%&";

    private final HttpServer server;
    final String base;
    final String issuer;
    volatile String nextIdToken;
    volatile String jwksJson = "{}";
    volatile String signingAlgs = "[\"HS256\"]";
    final java.util.concurrent.atomic.AtomicInteger jwksHits = new java.util.concurrent.atomic.AtomicInteger();
    volatile int tokenStatus = 200;
    volatile String tokenBody;
    volatile String tokenContentType = "application/json";
    static final String SUBJECT = "2ac1102e7cf5a4b1cb2dd5adbe4761c551691ecd88991f78d0195d4d3d0cfcfa";
    volatile String userInfoJson = "{\"sub\":\"" + SUBJECT + "\"}";
    volatile String lastTokenRequestBody;
    volatile String lastTokenAuthorization;

    TinyIdp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        issuer = base + "/application/o/my-app/";
        server.createContext("/application/o/my-app/.well-known/openid-configuration", ex -> send(ex, 200, "application/json", discovery()));
        server.createContext("/application/o/my-app/jwks/", ex -> {
            jwksHits.incrementAndGet();
            send(ex, 200, "application/json", jwksJson);
        });
        server.createContext("/application/o/token/", this::token);
        server.createContext("/application/o/userinfo/", ex -> {
            if (userInfoJson == null) {
                send(ex, 401, "application/json", "{\"error\":\"invalid_token\"}");
            } else {
                send(ex, 200, "application/json", userInfoJson);
            }
        });
        server.start();
    }

    private String discovery() {
        return """
                {"issuer":"%1$s",
                 "authorization_endpoint":"%2$s/application/o/authorize/",
                 "token_endpoint":"%2$s/application/o/token/",
                 "userinfo_endpoint":"%2$s/application/o/userinfo/",
                 "end_session_endpoint":"%2$s/application/o/my-app/end-session/",
                 "jwks_uri":"%2$s/application/o/my-app/jwks/",
                 "response_types_supported":["code","id_token","id_token token","code token","code id_token","code id_token token"],
                 "id_token_signing_alg_values_supported":%3$s,
                 "subject_types_supported":["public"],
                 "token_endpoint_auth_methods_supported":["client_secret_post","client_secret_basic"],
                 "scopes_supported":["openid","email","profile","offline_access"],
                 "code_challenge_methods_supported":["plain","S256"],
                 "backchannel_logout_supported":true}
                """.formatted(issuer, base, signingAlgs);
    }

    private void token(HttpExchange exchange) throws IOException {
        lastTokenRequestBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        lastTokenAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
        String body = tokenBody != null ? tokenBody
                : "{\"access_token\":\"access-1\",\"token_type\":\"Bearer\",\"expires_in\":300,\"id_token\":\"" + nextIdToken + "\"}";
        send(exchange, tokenStatus, tokenContentType, body);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Claims of a valid Authentik-like ID token for this IdP, client and nonce. */
    JWTClaimsSet.Builder idClaims(String clientId, String nonce) {
        long now = System.currentTimeMillis() / 1000;
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(SUBJECT)
                .audience(clientId)
                .expirationTime(new java.util.Date((now + 300) * 1000))
                .issueTime(new java.util.Date(now * 1000))
                .claim("nonce", nonce)
                .claim("sid", "5868879d4070ef8b8fdf7f0588cfaafb")
                .claim("email", "alice@example.com")
                .claim("email_verified", false)
                .claim("name", "Alice Doe")
                .claim("given_name", "Alice Doe")
                .claim("preferred_username", "alice")
                .claim("nickname", "alice")
                .claim("groups", java.util.List.of("authentik Admins", "developers"));
    }

    static String hs256(JWTClaimsSet claims, String secret) throws Exception {
        return hs256(claims, secret, null);
    }

    static String hs256(JWTClaimsSet claims, String secret, JOSEObjectType type) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(type).build(), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    static String rs256(JWTClaimsSet claims, com.nimbusds.jose.jwk.RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(key));
        return jwt.serialize();
    }

    static Map<String, String> settings(String issuer) {
        return Map.of("issuer", issuer, "clientId", "my-client", "clientSecret", SECRET,
                "clientAuthentication", "client_secret_post");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
