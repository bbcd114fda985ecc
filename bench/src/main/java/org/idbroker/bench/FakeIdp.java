package org.idbroker.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A fast OpenID provider on a loopback port, in the bench JVM: discovery, JWKS, an authorize endpoint
 * that redirects straight back with a code, and a token endpoint that answers an RS256 ID token.
 * The code is stateless (it carries subject, nonce and group count), so the IdP keeps nothing per
 * sign-in. The token must echo the broker's nonce, so it is signed per request with one cached
 * 2048-bit key: about 1 ms of the bench's CPU per sign-in, not the broker's.
 */
final class FakeIdp implements AutoCloseable {

    static final String CLIENT_ID = "bench-client";
    static final String CLIENT_SECRET = "bench-client-secret-0123456789-0123456789";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final HttpServer server;
    private final ExecutorService executor;
    private final KeyPair key;
    private final String issuer;
    private final String header;
    private final Map<Integer, String> groupsJson = new HashMap<>();

    private FakeIdp(HttpServer server, ExecutorService executor, KeyPair key) {
        this.server = server;
        this.executor = executor;
        this.key = key;
        this.issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        this.header = B64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"bench-1\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        for (int n : new int[] {0, 1, 100, 1000}) {
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < n; i++) {
                json.append(i == 0 ? "" : ",").append("\"group-").append(i).append('"');
            }
            groupsJson.put(n, json.append(']').toString());
        }
    }

    static FakeIdp start() throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        ExecutorService executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        FakeIdp idp = new FakeIdp(server, executor, generator.generateKeyPair());
        server.createContext("/.well-known/openid-configuration", idp::discovery);
        server.createContext("/jwks", idp::jwks);
        server.createContext("/authorize", idp::authorize);
        server.createContext("/token", idp::token);
        server.start();
        return idp;
    }

    String issuer() {
        return issuer;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void discovery(HttpExchange exchange) throws IOException {
        answer(exchange, 200, "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + issuer + "/authorize\","
                + "\"token_endpoint\":\"" + issuer + "/token\",\"jwks_uri\":\"" + issuer + "/jwks\","
                + "\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
                + "\"id_token_signing_alg_values_supported\":[\"RS256\"],"
                + "\"code_challenge_methods_supported\":[\"S256\"],"
                + "\"token_endpoint_auth_methods_supported\":[\"client_secret_basic\",\"client_secret_post\"]}");
    }

    private void jwks(HttpExchange exchange) throws IOException {
        RSAPublicKey pub = (RSAPublicKey) key.getPublic();
        answer(exchange, 200, "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"bench-1\",\"n\":\""
                + B64.encodeToString(unsigned(pub.getModulus())) + "\",\"e\":\""
                + B64.encodeToString(unsigned(pub.getPublicExponent())) + "\"}]}");
    }

    /** Redirects back at once; {@code login_hint} names the subject and {@code groups} how many groups it carries. */
    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        String code = B64.encodeToString((query.getOrDefault("login_hint", "sub-anonymous") + "\n" + query.get("nonce") + "\n"
                + query.getOrDefault("groups", "0")).getBytes(StandardCharsets.UTF_8));
        String location = query.get("redirect_uri") + "?code=" + code + "&state=" + query.get("state");
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
        String code = form.get("code");
        if (code == null) {
            answer(exchange, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String[] grant = new String(B64D.decode(code), StandardCharsets.UTF_8).split("\n", 3);
        long now = System.currentTimeMillis() / 1000;
        String subject = grant[0];
        String claims = "{\"iss\":\"" + issuer + "\",\"sub\":\"" + subject + "\",\"aud\":\"" + CLIENT_ID + "\",\"iat\":" + now
                + ",\"exp\":" + (now + 300) + ",\"nonce\":\"" + grant[1] + "\",\"preferred_username\":\"" + subject
                + "\",\"name\":\"Bench " + subject + "\",\"email\":\"" + subject + "@bench.example\",\"email_verified\":true,"
                + "\"groups\":" + groupsJson.getOrDefault(Integer.parseInt(grant[2]), "[]") + "}";
        String signingInput = header + "." + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        String idToken;
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key.getPrivate());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            idToken = signingInput + "." + B64.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            answer(exchange, 500, "{\"error\":\"server_error\"}");
            return;
        }
        answer(exchange, 200, "{\"access_token\":\"at-" + subject + "\",\"token_type\":\"Bearer\",\"expires_in\":300,"
                + "\"id_token\":\"" + idToken + "\"}");
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
