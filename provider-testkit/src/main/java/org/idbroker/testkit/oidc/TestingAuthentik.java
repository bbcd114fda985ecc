package org.idbroker.testkit.oidc;

import static org.idbroker.testkit.UpstreamExchanges.form;
import static org.idbroker.testkit.UpstreamExchanges.redirect;
import static org.idbroker.testkit.UpstreamExchanges.s256;
import static org.idbroker.testkit.UpstreamExchanges.send;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.idbroker.testkit.IdpShape;
import org.idbroker.testkit.IdpUnderTest;
import org.idbroker.testkit.TestPerson;

/**
 * A real OpenID provider over HTTP that behaves the way Authentik does (see
 * shared/reference/authentik-conventions.md): the issuer {@code /application/o/SLUG/} with its
 * trailing slash (or the global {@code https://HOST/}), authorize, token and userinfo shared under
 * {@code /application/o/}, {@code jwks/} and {@code end-session/} under the slug; {@code sub} a
 * 64-hex hash, groups inside the profile scope, {@code email_verified} false, {@code aud} one string;
 * RS256, ES256, or HS256 with the client secret and a key set of {@code {}}; claims in the ID token or
 * only in userinfo; tokens encrypted when an encryption key is chosen. It checks what Authentik
 * checks: PKCE, the redirect URI again at the token endpoint, the client secret (sent in the form, or
 * in Basic authentication, which it does not URL-decode), one use of each code within a minute.
 */
public final class TestingAuthentik implements IdpUnderTest {

    public static final String SLUG = "idbroker-app";
    private static final String PUNCTUATED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&()*+,-./:;<=>?@[]^_{|}~";
    private static final String ALPHANUMERIC = PUNCTUATED.substring(0, 62);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final String base;
    private final String issuer;
    private final IdpShape shape;
    private final Set<String> redirectUris;
    private final String clientId = random(ALPHANUMERIC, 40);
    private final String clientSecret = random(PUNCTUATED, 128);
    private final RSAKey rsaKey;
    private final ECKey ecKey;
    private final RSAKey encryptionKey;
    private final ConcurrentLinkedDeque<Scripted> next = new ConcurrentLinkedDeque<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Grant> accessTokens = new ConcurrentHashMap<>();
    private volatile boolean claimsInIdToken;
    private volatile String lastAuthorizeQuery;

    private TestingAuthentik(IdpShape shape, boolean globalIssuer, Set<String> redirectUris) throws IOException, JOSEException {
        this.shape = shape;
        this.redirectUris = Set.copyOf(redirectUris);
        this.claimsInIdToken = shape != IdpShape.CLAIMS_ONLY_IN_USERINFO;
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        this.rsaKey = new RSAKeyGenerator(2048).keyID(md5Hex(rsa.toPublicJWK().toJSONString())).generate();
        this.ecKey = new ECKeyGenerator(Curve.P_256).keyID(md5Hex("ec" + RANDOM.nextLong())).generate();
        this.encryptionKey = new RSAKeyGenerator(2048).keyID("encryption").generate();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        issuer = globalIssuer ? base + "/" : base + "/application/o/" + SLUG + "/";
        String discovery = globalIssuer ? "/.well-known/openid-configuration" : "/application/o/" + SLUG + "/.well-known/openid-configuration";
        server.createContext(discovery, ex -> exact(ex, discovery, () -> json(ex, 200, discovery())));
        server.createContext("/application/o/" + SLUG + "/jwks/", ex -> exact(ex, "/application/o/" + SLUG + "/jwks/", () -> json(ex, 200, jwks())));
        server.createContext("/application/o/" + SLUG + "/end-session/", ex -> send(ex, 200, "text/html", "<p>You have been logged out.</p>"));
        server.createContext("/application/o/authorize/", this::authorize);
        server.createContext("/application/o/token/", this::token);
        server.createContext("/application/o/userinfo/", this::userInfo);
        server.start();
    }

    /** Authentik with one OAuth2 provider, made this way, whose application has {@link #SLUG} as slug. */
    public static TestingAuthentik start(IdpShape shape, String... redirectUris) {
        return start(shape, false, redirectUris);
    }

    /** @param globalIssuer whether the provider uses Authentik's global issuer mode ({@code https://HOST/}) */
    public static TestingAuthentik start(IdpShape shape, boolean globalIssuer, String... redirectUris) {
        try {
            return new TestingAuthentik(shape, globalIssuer, Set.of(redirectUris));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Authentik's address, such as https://auth.example.com. */
    public String baseUrl() {
        return base;
    }

    @Override
    public String issuer() {
        return issuer;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    /** 128 characters with punctuation, like the secrets older Authentik versions generate. */
    @Override
    public String clientSecret() {
        return clientSecret;
    }

    /** Authentik's default subject mode: the SHA-256 of the user's id, in hex. */
    @Override
    public String subjectOf(TestPerson person) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(person.id().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void nextSignIn(TestPerson person) {
        next.add(new Scripted(person, issuer, clientId));
    }

    @Override
    public void nextSignInFromAnotherIssuer(TestPerson person) {
        next.add(new Scripted(person, base + "/application/o/another-app/", clientId));
    }

    @Override
    public void nextSignInForAnotherClient(TestPerson person) {
        next.add(new Scripted(person, issuer, random(ALPHANUMERIC, 40)));
    }

    /** Turns Authentik's "Include claims in id_token" on or off. */
    public void includeClaimsInIdToken(boolean include) {
        claimsInIdToken = include;
    }

    /** The query string of the last authorization request. */
    public String lastAuthorizeQuery() {
        return lastAuthorizeQuery;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private String discovery() {
        String algs = switch (shape) {
            case ES256 -> "[\"ES256\"]";
            case HS256_WITH_CLIENT_SECRET -> "[\"HS256\"]";
            default -> "[\"RS256\"]";
        };
        String slugBase = base + "/application/o/" + SLUG;
        return """
                {"issuer":"%1$s",
                 "authorization_endpoint":"%2$s/application/o/authorize/",
                 "token_endpoint":"%2$s/application/o/token/",
                 "userinfo_endpoint":"%2$s/application/o/userinfo/",
                 "end_session_endpoint":"%3$s/end-session/",
                 "introspection_endpoint":"%2$s/application/o/introspect/",
                 "revocation_endpoint":"%2$s/application/o/revoke/",
                 "jwks_uri":"%3$s/jwks/",
                 "response_types_supported":["code","id_token","id_token token","code token","code id_token","code id_token token"],
                 "response_modes_supported":["query","fragment","form_post"],
                 "id_token_signing_alg_values_supported":%4$s,
                 "subject_types_supported":["public"],
                 "token_endpoint_auth_methods_supported":["client_secret_post","client_secret_basic"],
                 "scopes_supported":["openid","email","profile","offline_access"],
                 "claims_supported":["sub","iss","aud","exp","iat","auth_time","acr","amr","nonce","email","email_verified","name","given_name","preferred_username","nickname","groups"],
                 "code_challenge_methods_supported":["plain","S256"]}
                """.formatted(issuer, base, slugBase, algs);
    }

    private String jwks() {
        return switch (shape) {
            case ES256 -> new JWKSet(ecKey.toPublicJWK()).toString();
            case HS256_WITH_CLIENT_SECRET -> "{}";
            default -> new JWKSet(rsaKey.toPublicJWK()).toString();
        };
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        lastAuthorizeQuery = exchange.getRequestURI().getRawQuery();
        String redirectUri = query.get("redirect_uri");
        if (!clientId.equals(query.get("client_id"))) {
            send(exchange, 400, "text/html", "<p>Client ID Error: the client identifier (client_id) is missing or invalid.</p>");
            return;
        }
        if (redirectUri == null || !redirectUris.contains(redirectUri)) {
            send(exchange, 400, "text/html", "<p>Redirect URI Error: the request fails due to a missing, invalid, or mismatching"
                    + " redirection URI (redirect_uri).</p>");
            return;
        }
        String state = query.get("state");
        if (!"code".equals(query.get("response_type"))) {
            redirect(exchange, redirectUri, Map.of("error", "unsupported_response_type", "state", state));
            return;
        }
        List<String> scopes = List.of(query.getOrDefault("scope", "").split(" "));
        String challenge = query.get("code_challenge");
        String method = query.getOrDefault("code_challenge_method", "plain");
        if (!scopes.contains("openid") || challenge == null || !Set.of("S256", "plain").contains(method)) {
            redirect(exchange, redirectUri, Map.of("error", "invalid_request", "error_description",
                    "openid scope and a PKCE code_challenge (S256 or plain) are required", "state", state));
            return;
        }
        Scripted who = next.poll();
        if (who == null) {
            send(exchange, 400, "text/html", "<p>No test person is scripted to sign in.</p>");
            return;
        }
        String code = random(ALPHANUMERIC, 32);
        codes.put(code, new Grant(who, redirectUri, challenge, method, query.get("nonce"), scopes, Instant.now()));
        Map<String, String> back = new LinkedHashMap<>();
        back.put("code", code);
        if (state != null) {
            back.put("state", state);
        }
        redirect(exchange, redirectUri, back);
    }

    private void token(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            json(exchange, 405, "{\"error\":\"invalid_request\"}");
            return;
        }
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String id;
        String secret;
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            // like Authentik: base64-decoded and split, but not URL-decoded as RFC 6749 2.3.1 asks
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            id = colon < 0 ? pair : pair.substring(0, colon);
            secret = colon < 0 ? "" : pair.substring(colon + 1);
        } else {
            id = form.get("client_id");
            secret = form.get("client_secret");
        }
        if (!clientId.equals(id) || !clientSecret.equals(secret)) {
            json(exchange, 401, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}");
            return;
        }
        Grant grant = form.get("code") == null ? null : codes.remove(form.get("code"));
        if (!"authorization_code".equals(form.get("grant_type")) || grant == null
                || grant.issuedAt().plusSeconds(60).isBefore(Instant.now())) {
            json(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"The provided authorization grant is invalid\"}");
            return;
        }
        if (!grant.redirectUri().equals(form.get("redirect_uri"))) {
            json(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"redirect_uri does not match\"}");
            return;
        }
        String verifier = form.get("code_verifier");
        if (verifier == null || !grant.codeChallenge().equals(challengeOf(verifier, grant.challengeMethod()))) {
            json(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"The PKCE code verifier does not match\"}");
            return;
        }
        String accessToken = random(ALPHANUMERIC, 48);
        accessTokens.put(accessToken, grant);
        String idToken;
        try {
            idToken = idToken(grant);
        } catch (JOSEException e) {
            json(exchange, 500, "{\"error\":\"server_error\"}");
            return;
        }
        json(exchange, 200, JSONObjectUtils.toJSONString(Map.of("access_token", accessToken, "token_type", "Bearer",
                "expires_in", 300, "id_token", idToken, "scope", String.join(" ", grant.scopes()))));
    }

    private void userInfo(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Grant grant = authorization != null && authorization.startsWith("Bearer ")
                ? accessTokens.get(authorization.substring(7).trim()) : null;
        if (grant == null) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            json(exchange, 401, "{\"error\":\"invalid_token\"}");
            return;
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", subjectOf(grant.who().person()));
        claims.putAll(scopeClaims(grant));
        json(exchange, 200, JSONObjectUtils.toJSONString(claims));
    }

    private String idToken(Grant grant) throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(grant.who().issuer())
                .subject(subjectOf(grant.who().person()))
                .audience(grant.who().audience())
                .expirationTime(Date.from(now.plusSeconds(300)))
                .issueTime(Date.from(now))
                .claim("auth_time", now.getEpochSecond() - 10)
                .claim("acr", "goauthentik.io/providers/oauth2/default")
                .claim("amr", List.of("pwd"))
                .claim("sid", random(ALPHANUMERIC, 64));
        if (grant.nonce() != null) {
            claims.claim("nonce", grant.nonce());
        }
        if (claimsInIdToken) {
            scopeClaims(grant).forEach(claims::claim);
        }
        SignedJWT jwt = switch (shape) {
            case ES256 -> sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ecKey.getKeyID()).build(), claims.build(),
                    new ECDSASigner(ecKey));
            case HS256_WITH_CLIENT_SECRET -> sign(new JWSHeader.Builder(JWSAlgorithm.HS256).build(), claims.build(),
                    new MACSigner(clientSecret.getBytes(StandardCharsets.UTF_8)));
            default -> sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsaKey.getKeyID()).build(), claims.build(),
                    new RSASSASigner(rsaKey));
        };
        if (shape == IdpShape.ENCRYPTED_ID_TOKENS) {
            JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256CBC_HS512)
                    .keyID(encryptionKey.getKeyID()).contentType("JWT").build(), new Payload(jwt));
            jwe.encrypt(new RSAEncrypter(encryptionKey.toRSAPublicKey()));
            return jwe.serialize();
        }
        return jwt.serialize();
    }

    private static SignedJWT sign(JWSHeader header, JWTClaimsSet claims, com.nimbusds.jose.JWSSigner signer) throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt;
    }

    /** Authentik's default scope mappings: groups come with profile; email_verified is false since 2025.10. */
    private static Map<String, Object> scopeClaims(Grant grant) {
        TestPerson person = grant.who().person();
        Map<String, Object> claims = new LinkedHashMap<>();
        if (grant.scopes().contains("email")) {
            claims.put("email", person.email());
            claims.put("email_verified", false);
        }
        if (grant.scopes().contains("profile")) {
            claims.put("name", person.displayName());
            claims.put("given_name", person.displayName());
            claims.put("preferred_username", person.username());
            claims.put("nickname", person.username());
            claims.put("groups", person.groups());
        }
        return claims;
    }

    private static String challengeOf(String verifier, String method) {
        if (method.equals("plain")) {
            return verifier;
        }
        return s256(verifier);
    }

    /** Answers only the exact path, as Django's URL routing does. */
    private static void exact(HttpExchange exchange, String path, IoAction action) throws IOException {
        if (!exchange.getRequestURI().getPath().equals(path)) {
            send(exchange, 404, "text/html", "<p>Not Found</p>");
            return;
        }
        action.run();
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "application/json", body);
    }

    private static String random(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private static String md5Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /** Who signs in next, and which issuer and audience the ID token names. */
    private record Scripted(TestPerson person, String issuer, String audience) {
    }

    /** An authorization code's grant. */
    private record Grant(Scripted who, String redirectUri, String codeChallenge, String challengeMethod, String nonce,
            List<String> scopes, Instant issuedAt) {
    }
}
