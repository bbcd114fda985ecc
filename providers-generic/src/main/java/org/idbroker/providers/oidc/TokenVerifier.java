package org.idbroker.providers.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.validators.BadJWTExceptions;
import com.nimbusds.openid.connect.sdk.validators.IDTokenClaimsVerifier;
import com.nimbusds.openid.connect.sdk.validators.LogoutTokenClaimsVerifier;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.idbroker.spi.LogoutNotice;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates ID tokens and back-channel logout tokens with Nimbus (the validators pac4j uses), and
 * turns each failure into a rejection reason and a message a person can act on.
 */
final class TokenVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);
    static final String ENCRYPTED_MESSAGE = "encrypted tokens are not supported: leave the Encryption Key empty in the"
            + " OpenID provider's settings (in Authentik: clear the provider's Encryption Key)";
    private static final Duration LOGOUT_TOKEN_FALLBACK_LIFETIME = Duration.ofMinutes(10);
    /** Far above any real ID token (they travel in URLs and headers elsewhere); refused before parsing. */
    static final int MAX_TOKEN_CHARS = 64 * 1024;

    private final OidcConfig config;
    private final ClientID clientId;

    TokenVerifier(OidcConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.clientId = new ClientID(config.clientId());
    }

    /** Validates an ID token: signature, issuer, audience, times, nonce, subject. */
    JWTClaimsSet verifyIdToken(IdpMetadata idp, String idToken, String expectedNonce) throws SignInRejectedException {
        JWT jwt = parse(idToken, RejectionReason.TOKEN_MALFORMED, RejectionReason.TOKEN_ENCRYPTED, "ID token");
        if (jwt instanceof PlainJWT) {
            throw new SignInRejectedException(RejectionReason.TOKEN_SIGNATURE_INVALID,
                    "the ID token is not signed (alg none), which is never accepted");
        }
        SignedJWT signed = (SignedJWT) jwt;
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        // what Nimbus's IDTokenValidator does, minus its conversion of the claims to an IDTokenClaimsSet (a JSON
        // write and re-parse of every claim) that this broker never reads
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(idp.idTokenKeySelector(alg));
        processor.setJWTClaimsSetVerifier(new IDTokenClaimsVerifier(idp.metadata().getIssuer(), clientId,
                new Nonce(expectedNonce), (int) config.clockSkew().toSeconds()));
        JWTClaimsSet set;
        try {
            set = processor.process(signed, null);
        } catch (BadJOSEException e) {
            LOG.debug("ID token refused: {}", untrusted(e.getMessage()));
            RejectionReason reason = reasonFor(e);
            throw new SignInRejectedException(reason, describe(reason, e, signed, idp), e);
        } catch (JOSEException e) {
            throw keyProblem(e, idp, "ID token");
        }
        checkAuthorizedParty(set);
        checkNotBefore(set);
        return set;
    }

    /** OpenID Connect Back-Channel Logout 1.0 validation. */
    LogoutNotice verifyLogoutToken(IdpMetadata idp, String logoutToken) throws SignInRejectedException {
        JWT jwt = parse(logoutToken, RejectionReason.LOGOUT_TOKEN_INVALID, RejectionReason.LOGOUT_TOKEN_INVALID, "logout token");
        if (jwt instanceof PlainJWT) {
            throw logoutInvalid("the logout token is not signed (alg none), which is never accepted", null);
        }
        SignedJWT signed = (SignedJWT) jwt;
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("logout+jwt"), JOSEObjectType.JWT, null));
        try {
            processor.setJWSKeySelector(idp.keySelector(signed.getHeader().getAlgorithm(), "logout token"));
        } catch (SignInRejectedException e) {
            throw logoutInvalid(e.getMessage(), e);
        }
        LogoutTokenClaimsVerifier verifier = new LogoutTokenClaimsVerifier(idp.metadata().getIssuer(), clientId);
        verifier.setMaxClockSkew((int) config.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(verifier);
        JWTClaimsSet claims;
        try {
            claims = processor.process(signed, null);
        } catch (BadJOSEException e) {
            LOG.debug("logout token refused: {}", untrusted(e.getMessage()));
            throw logoutInvalid("the logout token was refused: " + untrusted(e.getMessage()), e);
        } catch (JOSEException e) {
            SignInRejectedException problem = keyProblem(e, idp, "logout token");
            throw logoutInvalid(problem.getMessage(), e);
        }
        Instant now = Instant.now();
        Date iat = claims.getIssueTime();
        if (iat.toInstant().isAfter(now.plus(config.clockSkew()))) {
            throw logoutInvalid("the logout token is issued in the future (iat " + iat.toInstant()
                    + "); check the clocks of the broker and the OpenID provider", null);
        }
        String sid;
        try {
            sid = claims.getStringClaim("sid");
        } catch (ParseException e) {
            throw logoutInvalid("the logout token's sid claim is not a string", e);
        }
        Instant expiresAt = claims.getExpirationTime() != null ? claims.getExpirationTime().toInstant()
                : iat.toInstant().plus(LOGOUT_TOKEN_FALLBACK_LIFETIME);
        return new LogoutNotice(claims.getIssuer(), claims.getSubject(), sid, claims.getJWTID(), expiresAt);
    }

    private static SignInRejectedException logoutInvalid(String message, Throwable cause) {
        return new SignInRejectedException(RejectionReason.LOGOUT_TOKEN_INVALID, message, cause);
    }

    /** Parses a compact JWT; a JWE (five parts) is refused as encrypted. */
    static JWT parse(String token, RejectionReason malformed, RejectionReason encrypted, String what)
            throws SignInRejectedException {
        if (token == null || token.isBlank()) {
            throw new SignInRejectedException(malformed, "the " + what + " is empty");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new SignInRejectedException(malformed, "the " + what + " is " + token.length() / 1024
                    + " KiB long, more than the " + MAX_TOKEN_CHARS / 1024 + " KiB accepted: ask the provider to send fewer claims"
                    + " (for example fewer groups) in it");
        }
        long dots = token.chars().filter(c -> c == '.').count();
        if (dots == 4) {
            throw new SignInRejectedException(encrypted, ENCRYPTED_MESSAGE);
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new SignInRejectedException(malformed, "the " + what + " is not a well-formed JWT: " + untrusted(e.getMessage()), e);
        }
        if (jwt instanceof EncryptedJWT) {
            throw new SignInRejectedException(encrypted, ENCRYPTED_MESSAGE);
        }
        return jwt;
    }

    /** Which reason a Nimbus validation failure stands for. */
    static RejectionReason reasonFor(BadJOSEException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e == BadJWTExceptions.EXPIRED_EXCEPTION || e == BadJWTExceptions.IAT_CLAIM_AHEAD_EXCEPTION
                || message.startsWith("JWT before use time")) {
            return RejectionReason.TOKEN_EXPIRED;
        }
        if (e == BadJWTExceptions.MISSING_ISS_CLAIM_EXCEPTION || message.startsWith("Unexpected JWT issuer")) {
            return RejectionReason.TOKEN_ISSUER_MISMATCH;
        }
        if (e == BadJWTExceptions.MISSING_AUD_CLAIM_EXCEPTION || message.startsWith("Unexpected JWT audience")
                || message.contains("authorized party (azp)")) {
            return RejectionReason.TOKEN_AUDIENCE_MISMATCH;
        }
        if (e == BadJWTExceptions.MISSING_NONCE_CLAIM_EXCEPTION || message.startsWith("Unexpected JWT nonce")
                || message.startsWith("Invalid JWT nonce")) {
            return RejectionReason.TOKEN_NONCE_MISMATCH;
        }
        if (e == BadJWTExceptions.MISSING_SUB_CLAIM_EXCEPTION || e == BadJWTExceptions.MISSING_EXP_CLAIM_EXCEPTION
                || e == BadJWTExceptions.MISSING_IAT_CLAIM_EXCEPTION) {
            return RejectionReason.CLAIM_MISSING;
        }
        if (e instanceof BadJWSException || message.startsWith("Signed JWT rejected") || message.startsWith("JWS object rejected")) {
            return RejectionReason.TOKEN_SIGNATURE_INVALID;
        }
        return RejectionReason.TOKEN_MALFORMED;
    }

    private String describe(RejectionReason reason, BadJOSEException e, SignedJWT token, IdpMetadata idp) {
        JWTClaimsSet unverified = unverifiedClaims(token);
        return switch (reason) {
            case TOKEN_EXPIRED -> "the ID token has expired or is not yet valid (exp " + time(unverified.getExpirationTime())
                    + ", iat " + time(unverified.getIssueTime()) + ", now " + Instant.now() + ", tolerance "
                    + config.clockSkew().toSeconds() + " s): check the clocks of the broker and the OpenID provider";
            case TOKEN_ISSUER_MISMATCH -> "the ID token was issued by '" + untrusted(unverified.getIssuer())
                    + "' but the OpenID provider's issuer is '" + idp.issuer() + "'";
            case TOKEN_AUDIENCE_MISMATCH -> e.getMessage() != null && e.getMessage().contains("azp")
                    ? "the ID token has several audiences " + untrusted(unverified.getAudience()) + " and its azp claim ("
                            + untrusted(unverified.getClaim("azp")) + ") does not name client id '" + config.clientId() + "'"
                    : "the ID token is meant for " + untrusted(unverified.getAudience())
                            + ", not for client id '" + config.clientId() + "': check the Client ID setting";
            case TOKEN_NONCE_MISMATCH -> "the ID token's nonce is not the one sent with this sign-in (it may be replayed,"
                    + " or the sign-in was started elsewhere): start the sign-in again";
            case CLAIM_MISSING -> "the ID token lacks a required claim: " + untrusted(e.getMessage());
            case TOKEN_SIGNATURE_INVALID -> "the ID token's signature could not be verified with the OpenID provider's keys (alg "
                    + token.getHeader().getAlgorithm() + (token.getHeader().getKeyID() == null ? "" : ", kid " + untrusted(token.getHeader().getKeyID()))
                    + "): " + untrusted(e.getMessage());
            default -> "the ID token was refused: " + untrusted(e.getMessage());
        };
    }

    /** A value from an unverified token, fit for a message and a log line: no control characters, bounded. */
    private static String untrusted(Object value) {
        return value == null ? "absent" : Words.clean(value.toString());
    }

    private static String time(Date date) {
        return date == null ? "absent" : date.toInstant().toString();
    }

    private static JWTClaimsSet unverifiedClaims(SignedJWT token) {
        try {
            return token.getJWTClaimsSet();
        } catch (ParseException e) {
            return new JWTClaimsSet.Builder().build();
        }
    }

    private static SignInRejectedException keyProblem(JOSEException e, IdpMetadata idp, String what) {
        LOG.debug("{} keys could not be used", what, e);
        URI jwks = idp.metadata().getJWKSetURI();
        if (e instanceof RateLimitReachedException) {
            return new SignInRejectedException(RejectionReason.TOKEN_SIGNATURE_INVALID, "the " + what + " is signed with a key"
                    + " that is not in the provider's key set " + jwks + ", which was re-read moments ago", e);
        }
        if (Errors.isIo(e)) {
            return new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE,
                    "the OpenID provider's signing keys at " + jwks + " could not be fetched (" + Errors.rootMessage(e) + ")", e);
        }
        return new SignInRejectedException(RejectionReason.TOKEN_SIGNATURE_INVALID, "the " + what
                + "'s signature could not be checked with the keys published at " + jwks + " (" + Errors.rootMessage(e)
                + "); if the provider has no signing key, choose one, or make sure tokens are HS256-signed with the client secret", e);
    }

    /** Nimbus's ID token verifier ignores {@code nbf}; a token not valid yet is refused like an expired one. */
    private void checkNotBefore(JWTClaimsSet claims) throws SignInRejectedException {
        Date notBefore = claims.getNotBeforeTime();
        Instant now = Instant.now();
        if (notBefore != null && notBefore.toInstant().isAfter(now.plus(config.clockSkew()))) {
            throw new SignInRejectedException(RejectionReason.TOKEN_EXPIRED, "the ID token is not valid before "
                    + notBefore.toInstant() + " (nbf; now " + now + ", tolerance " + config.clockSkew().toSeconds()
                    + " s): check the clocks of the broker and the OpenID provider");
        }
    }

    /** With several audiences, {@code azp} must name this client; when present it must always. */
    private void checkAuthorizedParty(JWTClaimsSet claims) throws SignInRejectedException {
        List<String> audience = claims.getAudience();
        Object azp = claims.getClaim("azp");
        if (azp != null && !config.clientId().equals(azp)) {
            throw new SignInRejectedException(RejectionReason.TOKEN_AUDIENCE_MISMATCH,
                    "the ID token was issued to another client (azp '" + untrusted(azp) + "'), not to client id '" + config.clientId() + "'");
        }
        if (audience.size() > 1 && azp == null) {
            throw new SignInRejectedException(RejectionReason.TOKEN_AUDIENCE_MISMATCH, "the ID token has several audiences "
                    + audience + " but no azp claim naming client id '" + config.clientId() + "'");
        }
    }
}
