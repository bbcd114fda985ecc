package org.idbroker.server.web.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.SessionID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.idbroker.core.clients.Client;
import org.idbroker.core.crypto.Tokens;
import org.idbroker.core.oauth.Subjects;

/**
 * Builds and checks the tokens the broker issues, signed with the current key of the client's algorithm
 * (RS256 by default, or ES256): ID tokens (OpenID Connect Core), JWT access tokens ({@code typ: at+jwt},
 * RFC 9068) and back-channel logout tokens.
 */
final class TokenIssuer {

    static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");
    static final JOSEObjectType LOGOUT_STATE_TYPE = new JOSEObjectType("logout-state+jwt");
    private static final Duration LOGOUT_STATE_LIFETIME = Duration.ofMinutes(10);

    private final OidcKeys keys;
    private final String issuer;
    private final Clock clock;

    TokenIssuer(OidcKeys keys, String issuer, Clock clock) {
        this.keys = requireNonNull(keys, "keys is null");
        this.issuer = requireNonNull(issuer, "issuer is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    String issuer() {
        return issuer;
    }

    /** A JWT access token for a person (sessionId may be null) or, with a null subject, for the client itself. */
    BearerAccessToken accessToken(Client client, Subjects.Subject subject, UUID sessionId, Scope scope) {
        Instant now = clock.instant();
        long lifetime = client.accessTokenLifetime().toSeconds();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer)
                .subject(subject == null ? client.id() : subject.user().id().toString())
                .audience(client.id()).claim("client_id", client.id())
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(lifetime)))
                .jwtID(Tokens.random()).claim("scope", scope.toString());
        if (sessionId != null) {
            claims.claim("sid", sessionId.toString());
        }
        return new BearerAccessToken(sign(algorithm(client), ACCESS_TOKEN_TYPE, claims.build()), lifetime, scope);
    }

    String idToken(Client client, Subjects.Subject subject, UUID sessionId, Scope scope, Instant authTime, String nonce,
            AccessToken accessToken) {
        Instant now = clock.instant();
        IDTokenClaimsSet claims = new IDTokenClaimsSet(new Issuer(issuer), new Subject(subject.user().id().toString()),
                List.of(new Audience(client.id())), Date.from(now.plus(client.idTokenLifetime())), Date.from(now));
        claims.setAuthenticationTime(Date.from(authTime));
        if (nonce != null) {
            claims.setNonce(new Nonce(nonce));
        }
        if (accessToken != null) {
            claims.setAccessTokenHash(AccessTokenHash.compute(accessToken, algorithm(client)));
        }
        claims.setSessionID(new SessionID(sessionId.toString()));
        // how the person signed in upstream, when the upstream said so
        if (!subject.proof().amr().isEmpty()) {
            claims.setClaim("amr", subject.proof().amr());
        }
        if (subject.proof().acr() != null) {
            claims.setClaim("acr", subject.proof().acr());
        }
        for (Map.Entry<String, Object> claim : OidcClaims.of(subject, client, scope).entrySet()) {
            claims.setClaim(claim.getKey(), claim.getValue());
        }
        try {
            return sign(algorithm(client), JOSEObjectType.JWT, claims.toJWTClaimsSet());
        } catch (ParseException e) {
            throw new IllegalStateException("the ID token claims do not form a JWT", e);
        }
    }

    /**
     * A back-channel logout token (typ logout+jwt): iss, aud, iat, exp, jti, the logout event, sid and sub; no nonce;
     * signed with {@code algorithm}, the client's.
     */
    String logoutToken(String clientId, String algorithm, UUID userId, UUID sessionId) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(clientId).subject(userId.toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(120))).jwtID(Tokens.random())
                .claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))
                .claim("sid", sessionId.toString()).build();
        return sign(JWSAlgorithm.parse(algorithm), new JOSEObjectType("logout+jwt"), claims);
    }

    /** The claims of an access token this broker signed that has not expired, or empty. */
    Optional<JWTClaimsSet> verifyAccessToken(String token) {
        return verified(token, ACCESS_TOKEN_TYPE::equals, true);
    }

    /**
     * The claims of an ID token this broker signed, expired or not (RP-initiated logout accepts an expired
     * {@code id_token_hint}, but only one that is ours), or empty.
     */
    Optional<JWTClaimsSet> verifyIdTokenHint(String token) {
        return verified(token, type -> !ACCESS_TOKEN_TYPE.equals(type) && !LOGOUT_STATE_TYPE.equals(type), false);
    }

    /**
     * The {@code state} sent to the upstream IdP at an RP-initiated logout that signs out there too: where
     * to send the browser when the IdP sends it back (a post-logout URI of the client, and its state),
     * signed and good for 10 minutes, so the broker keeps nothing for it.
     */
    String logoutState(String clientId, String postLogoutRedirectUri, String state) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).audience(clientId)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(LOGOUT_STATE_LIFETIME)))
                .claim("post_logout_redirect_uri", postLogoutRedirectUri);
        if (state != null) {
            claims.claim("state", state);
        }
        return sign(JWSAlgorithm.RS256, LOGOUT_STATE_TYPE, claims.build());
    }

    /** The claims of a {@link #logoutState} this broker signed less than 10 minutes ago, or empty. */
    Optional<JWTClaimsSet> verifyLogoutState(String token) {
        return verified(token, LOGOUT_STATE_TYPE::equals, true);
    }

    private Optional<JWTClaimsSet> verified(String token, Predicate<JOSEObjectType> type, boolean unexpired) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
            if (!OidcKeys.ALGORITHMS.contains(alg) || !type.test(jwt.getHeader().getType())) {
                return Optional.empty();
            }
            // the key must be one of ours made for the algorithm the header names: no algorithm confusion
            Optional<JWK> key = keys.verificationKey(jwt.getHeader().getKeyID()).filter(k -> madeFor(k, alg));
            if (key.isEmpty() || !jwt.verify(verifier(key.get()))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date exp = claims.getExpirationTime();
            if (!issuer.equals(claims.getIssuer()) || unexpired && (exp == null || !exp.toInstant().isAfter(clock.instant()))) {
                return Optional.empty();
            }
            return Optional.of(claims);
        } catch (java.text.ParseException | JOSEException e) {
            return Optional.empty();
        }
    }

    private static JWSAlgorithm algorithm(Client client) {
        return JWSAlgorithm.parse(client.signingAlgorithm());
    }

    /** Whether {@code key} is for {@code alg}: its {@code alg} when it names one, else its type (RSA: RS256, EC: ES256). */
    private static boolean madeFor(JWK key, JWSAlgorithm alg) {
        if (key.getAlgorithm() != null) {
            return alg.equals(key.getAlgorithm());
        }
        return key instanceof ECKey ? JWSAlgorithm.ES256.equals(alg) : JWSAlgorithm.RS256.equals(alg);
    }

    private static JWSVerifier verifier(JWK key) throws JOSEException {
        return key instanceof ECKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier((RSAKey) key);
    }

    private String sign(JWSAlgorithm algorithm, JOSEObjectType type, JWTClaimsSet claims) {
        JWK key = keys.signingKey(algorithm);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(type).build(), claims);
        try {
            jwt.sign(key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }
}
