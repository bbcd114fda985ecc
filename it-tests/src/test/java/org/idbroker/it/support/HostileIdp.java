package org.idbroker.it.support;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * An OpenID provider the tests script to misbehave: a real HTTP server (discovery, authorize, token,
 * userinfo, JWKS) whose ID tokens are forged with Nimbus. By default it behaves: RS256 tokens signed
 * with its current key, the nonce it was sent, the code it issued, PKCE checked. Each test then
 * changes one thing. It counts every request, and remembers every code and token it handed out so a
 * test can check none of them leaks into logs.
 */
public final class HostileIdp implements AutoCloseable {

    private static final String CLIENT_ID = "idbroker-hostile-client";
    private static final String CLIENT_SECRET = "hostile-client-secret-long-enough-for-hs256-0123456789abcdef";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final String base;
    private final String issuer;
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final Map<String, String> accessTokens = new ConcurrentHashMap<>();
    private final List<String> secretsHandedOut = new CopyOnWriteArrayList<>();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final AtomicInteger discoveryRequests = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger userInfoRequests = new AtomicInteger();

    private volatile RSAKey signingKey;
    private volatile List<JWK> publishedKeys;
    private volatile String subject = "sub-alice";
    private volatile Map<String, Object> claims = Map.of();
    private volatile String announcedAlgorithms = "[\"RS256\"]";
    private volatile String tokenEndpoint;
    private volatile UnaryOperator<JWTClaimsSet.Builder> claimTweak = UnaryOperator.identity();
    private volatile Function<JWTClaimsSet, String> idTokenForger;
    private volatile Function<Grant, Answer> tokenAnswer;
    private volatile java.util.concurrent.CountDownLatch tokenGate;
    private volatile Function<String, Map<String, Object>> userInfo;
    private volatile Function<Grant, String> authorizeAnswer;
    private volatile Function<String, Answer> discoveryAnswer;
    private volatile Function<String, Answer> jwksAnswer;

    private HostileIdp(String realm) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        issuer = base + "/realms/" + realm;
        tokenEndpoint = issuer + "/token";
        signingKey = newKey();
        publishedKeys = List.of(signingKey.toPublicJWK());
        String path = "/realms/" + realm;
        server.createContext(path + "/.well-known/openid-configuration", ex -> {
            discoveryRequests.incrementAndGet();
            Function<String, Answer> answer = discoveryAnswer;
            send(ex, answer == null ? Answer.json(200, discovery()) : answer.apply(discovery()));
        });
        server.createContext(path + "/authorize", this::authorize);
        server.createContext(path + "/token", this::token);
        server.createContext(path + "/userinfo", this::userInfo);
        server.createContext(path + "/jwks", ex -> {
            jwksRequests.incrementAndGet();
            Function<String, Answer> answer = jwksAnswer;
            String keys = new JWKSet(publishedKeys).toString();
            send(ex, answer == null ? Answer.json(200, keys) : answer.apply(keys));
        });
        server.start();
    }

    /** A well-behaved provider at {@code http://127.0.0.1:<port>/realms/<realm>}, until a test says otherwise. */
    public static HostileIdp start(String realm) {
        try {
            return new HostileIdp(realm);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String issuer() {
        return issuer;
    }

    public String clientId() {
        return CLIENT_ID;
    }

    public String clientSecret() {
        return CLIENT_SECRET;
    }

    /** The person every following sign-in is: a subject and extra claims for the ID token and userinfo. */
    public void signsIn(String newSubject, Map<String, Object> newClaims) {
        this.subject = newSubject;
        this.claims = Map.copyOf(newClaims);
    }

    /** Changes the claims of the following ID tokens (after the standard ones are set). */
    public void tweakClaims(UnaryOperator<JWTClaimsSet.Builder> tweak) {
        this.claimTweak = requireNonNull(tweak, "tweak is null");
    }

    /** Replaces how the following ID tokens are made from their claims (the default signs with the current key). */
    public void forgeIdTokens(Function<JWTClaimsSet, String> forger) {
        this.idTokenForger = forger;
    }

    /** Replaces the token endpoint's answer. */
    public void answerTokenRequests(Function<Grant, Answer> answer) {
        this.tokenAnswer = answer;
    }

    /** Holds every following token request unanswered until {@link #releaseTokenAnswers()}: sign-ins waiting on the IdP. */
    public void holdTokenAnswers() {
        tokenGate = new java.util.concurrent.CountDownLatch(1);
    }

    /** Answers the held token requests, and the following ones at once. */
    public void releaseTokenAnswers() {
        java.util.concurrent.CountDownLatch gate = tokenGate;
        tokenGate = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** Replaces the userinfo answer; the function gets the subject of the access token. */
    public void answerUserInfo(Function<String, Map<String, Object>> answer) {
        this.userInfo = answer;
    }

    /** Replaces the query the authorize endpoint sends back to the broker's redirect URI; the grant holds the code issued. */
    public void answerAuthorizeRequests(Function<Grant, String> query) {
        this.authorizeAnswer = query;
    }

    /** Replaces the discovery document's answer; the function gets the document it would send. */
    public void answerDiscovery(Function<String, Answer> answer) {
        this.discoveryAnswer = answer;
    }

    /** Replaces the JWKS answer; the function gets the key set it would send. */
    public void answerJwks(Function<String, Answer> answer) {
        this.jwksAnswer = answer;
    }

    public int discoveryRequests() {
        return discoveryRequests.get();
    }

    /** The ID token signing algorithms the discovery document announces, as a JSON array. */
    public void announceAlgorithms(String jsonArray) {
        this.announcedAlgorithms = jsonArray;
    }

    /** Announces a token endpoint where nothing listens. Call before the broker first reads the discovery document. */
    public void tokenEndpointDown() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            tokenEndpoint = "http://127.0.0.1:" + socket.getLocalPort() + "/token";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The key that signs ID tokens now. */
    public RSAKey signingKey() {
        return signingKey;
    }

    /** Signs with a new key from now on, publishing it next to the old one, as a provider rotating keys does. */
    public RSAKey rotateKey() {
        RSAKey next = newKey();
        List<JWK> keys = new ArrayList<>(List.of(next.toPublicJWK()));
        keys.addAll(publishedKeys);
        publishedKeys = List.copyOf(keys);
        signingKey = next;
        return next;
    }

    /** Publishes exactly these keys in the JWKS. */
    public void publishKeys(JWK... keys) {
        List<JWK> publics = new ArrayList<>();
        for (JWK key : keys) {
            publics.add(key.toPublicJWK());
        }
        publishedKeys = List.copyOf(publics);
    }

    public int jwksRequests() {
        return jwksRequests.get();
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    public int userInfoRequests() {
        return userInfoRequests.get();
    }

    /** Every code, access token and ID token handed out so far: none of them may appear in a log. */
    public List<String> secretsHandedOut() {
        return List.copyOf(secretsHandedOut);
    }

    /** A new 2048-bit RSA signing key with a random kid. */
    public static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs claims with RS256 and this key, naming its kid. */
    public static String rs256(JWTClaimsSet claims, RSAKey key) {
        return sign(claims, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), key);
    }

    /** Signs claims with RS256 and this key under the given header. */
    public static String sign(JWTClaimsSet claims, JWSHeader header, RSAKey key) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The standard claims of an ID token for this grant, before any tweak. */
    public JWTClaimsSet.Builder standardClaims(Grant grant) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(issuer).subject(grant.subject())
                .audience(CLIENT_ID).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("nonce", grant.nonce()).claim("auth_time", now.getEpochSecond());
        grant.claims().forEach(builder::claim);
        return builder;
    }

    private String discovery() {
        return """
                {"issuer":"%1$s",
                 "authorization_endpoint":"%1$s/authorize",
                 "token_endpoint":"%2$s",
                 "userinfo_endpoint":"%1$s/userinfo",
                 "jwks_uri":"%1$s/jwks",
                 "response_types_supported":["code"],
                 "subject_types_supported":["public"],
                 "id_token_signing_alg_values_supported":%3$s,
                 "token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post"],
                 "code_challenge_methods_supported":["S256"]}
                """.formatted(issuer, tokenEndpoint, announcedAlgorithms);
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
        AuthorizeRequest request = new AuthorizeRequest(query.get("state"), query.get("nonce"), query.get("redirect_uri"),
                query.get("code_challenge"), query.get("client_id"));
        String code = "code-" + UUID.randomUUID();
        secretsHandedOut.add(code);
        Grant grant = new Grant(code, request, subject, claims);
        grants.put(code, grant);
        Function<Grant, String> answer = authorizeAnswer;
        String back = answer != null ? answer.apply(grant)
                : "code=" + code + "&state=" + encode(request.state()) + "&iss=" + encode(issuer);
        exchange.getResponseHeaders().set("Location", request.redirectUri() + "?" + back);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        java.util.concurrent.CountDownLatch gate = tokenGate;
        tokenRequests.incrementAndGet();
        if (gate != null) {
            try {
                gate.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = grants.remove(form.getOrDefault("code", ""));
        Function<Grant, Answer> answer = tokenAnswer;
        if (answer != null) {
            send(exchange, answer.apply(grant));
            return;
        }
        if (grant == null || !grant.request().redirectUri().equals(form.get("redirect_uri"))
                || !grant.request().codeChallenge().equals(s256(form.getOrDefault("code_verifier", "")))
                || !("Basic " + basic()).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, Answer.json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"unknown code\"}"));
            return;
        }
        String idToken = idToken(grant);
        String accessToken = "at-" + UUID.randomUUID();
        accessTokens.put(accessToken, grant.subject());
        secretsHandedOut.add(accessToken);
        secretsHandedOut.add(idToken);
        send(exchange, Answer.json(200, "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\","
                + "\"expires_in\":300,\"id_token\":\"" + idToken + "\"}"));
    }

    /** The ID token this provider would return for a grant, with the current tweak and forger. */
    public String idToken(Grant grant) {
        JWTClaimsSet claimSet = claimTweak.apply(standardClaims(grant)).build();
        Function<JWTClaimsSet, String> forger = idTokenForger;
        String token = forger != null ? forger.apply(claimSet) : rs256(claimSet, signingKey);
        secretsHandedOut.add(token);
        return token;
    }

    private void userInfo(HttpExchange exchange) throws IOException {
        userInfoRequests.incrementAndGet();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String who = authorization == null ? null : accessTokens.get(authorization.replaceFirst("^Bearer ", ""));
        if (who == null) {
            send(exchange, new Answer(401, "application/json", "{\"error\":\"invalid_token\"}", Duration.ZERO));
            return;
        }
        Function<String, Map<String, Object>> answer = userInfo;
        Map<String, Object> body = new LinkedHashMap<>();
        if (answer != null) {
            body.putAll(answer.apply(who));
        } else {
            body.put("sub", who);
            body.putAll(claims);
        }
        send(exchange, Answer.json(200, com.nimbusds.jose.util.JSONObjectUtils.toJSONString(body)));
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        try (exchange) {
            if (!answer.delay().isZero()) {
                try {
                    Thread.sleep(answer.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (answer.dripEvery() != null) {
                drip(exchange, answer);
                return;
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Sends the body one byte at a time, waiting between bytes, as a server stalling a client does. */
    private static void drip(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (byte b : answer.body().getBytes(StandardCharsets.UTF_8)) {
                out.write(b);
                out.flush();
                Thread.sleep(answer.dripEvery().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the broker hung up, as it should
        }
    }

    private static String basic() {
        return Base64.getEncoder().encodeToString((encode(CLIENT_ID) + ":" + encode(CLIENT_SECRET)).getBytes(StandardCharsets.UTF_8));
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parse(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(name, value);
        }
        return values;
    }

    public static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** What the broker sent to the authorize endpoint. */
    public record AuthorizeRequest(String state, String nonce, String redirectUri, String codeChallenge, String clientId) {
    }

    /** An authorization code handed out, with what it stands for. */
    public record Grant(String code, AuthorizeRequest request, String subject, Map<String, Object> claims) {
        public String nonce() {
            return request.nonce();
        }
    }

    /**
     * An HTTP answer.
     *
     * @param delay how long to wait before answering at all
     * @param dripEvery when set, the body is sent one byte at a time with this pause
     */
    public record Answer(int status, String contentType, String body, Duration delay, Duration dripEvery) {
        public Answer(int status, String contentType, String body, Duration delay) {
            this(status, contentType, body, delay, null);
        }

        public static Answer json(int status, String body) {
            return new Answer(status, "application/json", body, Duration.ZERO);
        }
    }
}
