package org.idbroker.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls an application makes to the broker as its OpenID Provider, as a confidential client with
 * {@code client_secret_basic} and PKCE S256, on one worker's keep-alive connection: authorize (with a
 * broker session, so the answer is a code at once), the code exchange, refresh with rotation and
 * userinfo. Not thread-safe: one per worker.
 */
final class RelyingPartyCalls {

    /** The RS256 client (the default algorithm) and the ES256 one. */
    static final String CLIENT_ID = "bench-app";
    static final String ES256_CLIENT_ID = "bench-app-es256";
    static final String CLIENT_SECRET = "bench-app-secret-0123456789-0123456789-0123456789";
    static final String REDIRECT_URI = "http://127.0.0.1:9/callback";
    private static final String VERIFIER = "bench-pkce-verifier-0123456789-0123456789-0123456789";
    private static final Pattern CODE = Pattern.compile("[?&]code=([^&]+)");
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern REFRESH_TOKEN = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final String AUTHORIZE_PARAMETERS = "&redirect_uri=" + enc(REDIRECT_URI) + "&scope=" + enc("openid profile email groups") + "&state=bench-state&nonce=bench-nonce"
            + "&code_challenge=" + challenge() + "&code_challenge_method=S256";

    /** What a token request answered. */
    record Tokens(String accessToken, String refreshToken) {
    }

    private final HttpConnection broker;
    private final String authorize;
    private final String form;

    /** The calls of client {@code clientId} (whose secret is {@link #CLIENT_SECRET}). */
    RelyingPartyCalls(HttpConnection broker, String clientId) {
        this.broker = broker;
        this.authorize = "/oauth2/authorize?response_type=code&client_id=" + clientId + AUTHORIZE_PARAMETERS;
        this.form = "Authorization: Basic " + Base64.getEncoder().encodeToString((clientId + ":" + CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8)) + "\r\nContent-Type: application/x-www-form-urlencoded";
    }

    /** The authorization request of a person with a broker session: the code the broker redirects with. */
    String authorize(String session) throws IOException {
        HttpConnection.Response answer = broker.get(authorize, "idb_session=" + session);
        String location = answer.header("location");
        Matcher code = location == null ? null : CODE.matcher("?" + URI.create(location).getRawQuery());
        if (answer.status() != 302 || code == null || !code.find()) {
            throw new IOException("authorize answered " + answer.status() + " to " + location);
        }
        return code.group(1);
    }

    /** The code exchanged for ID, access and refresh tokens. */
    Tokens redeem(String code) throws IOException {
        return token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + enc(REDIRECT_URI) + "&code_verifier=" + VERIFIER);
    }

    /** A refresh token spent for the next one (and new access and ID tokens). */
    Tokens refresh(String refreshToken) throws IOException {
        return token("grant_type=refresh_token&refresh_token=" + enc(refreshToken));
    }

    /** {@code GET /oauth2/userinfo} with a bearer access token; returns the status. */
    int userinfo(String accessToken) throws IOException {
        return broker.send("GET", "/oauth2/userinfo", null, "Authorization: Bearer " + accessToken, null).status();
    }

    private Tokens token(String form) throws IOException {
        HttpConnection.Response answer = broker.send("POST", "/oauth2/token", null, this.form, form.getBytes(StandardCharsets.UTF_8));
        String json = new String(answer.body(), StandardCharsets.UTF_8);
        String access = field(json, ACCESS_TOKEN);
        if (answer.status() != 200 || access == null) {
            throw new IOException("the token endpoint answered " + answer.status() + ": " + json.substring(0, Math.min(200, json.length())));
        }
        return new Tokens(access, field(json, REFRESH_TOKEN));
    }

    private static String field(String json, Pattern pattern) {
        Matcher m = pattern.matcher(json);
        return m.find() ? m.group(1) : null;
    }

    private static String challenge() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(VERIFIER.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
