package org.idbroker.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.idbroker.it.support.BrokerState;
import org.idbroker.it.support.HostileIdp;
import org.idbroker.it.support.HostileScene;
import org.idbroker.it.support.HostileScene.SignInAttempt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ID tokens a hostile or broken provider may send. Each is refused with its reason, without a
 * session cookie, and without touching Alice's account, identity, groups or session.
 */
class HostileIdTokenTest {

    private static HostileScene scene;
    private HostileIdp idp;
    private BrokerState before;

    @BeforeAll
    static void startBroker() {
        scene = HostileScene.startEmpty();
    }

    @AfterAll
    static void stopBroker() {
        scene.close();
    }

    @BeforeEach
    void newProvider() {
        idp = scene.newIdp(true);
        before = scene.state();
    }

    private void assertRefused(String reason) {
        SignInAttempt attempt = scene.signIn();
        scene.assertRefused(attempt, before, reason);
    }

    @Test
    void acceptsTheWellBehavedProvider() {
        SignInAttempt attempt = scene.signIn();

        assertThat(HostileScene.callback(attempt.hops()).statusCode()).isEqualTo(303);
        assertThat(attempt.browser().cookie("idb_session")).isPresent();
        assertThat(scene.broker().strings("select external_groups::text from users where username = 'alice'"))
                .containsExactly("{staff,administrators}");
    }

    @Test
    void refusesATokenWhoseSignatureWasAltered() {
        idp.forgeIdTokens(claims -> {
            String token = HostileIdp.rs256(claims, idp.signingKey());
            String signature = token.substring(token.lastIndexOf('.') + 1);
            char flipped = signature.charAt(10) == 'A' ? 'B' : 'A';
            return token.substring(0, token.lastIndexOf('.') + 1) + signature.substring(0, 10) + flipped + signature.substring(11);
        });
        assertRefused("token_signature_invalid");
    }

    @Test
    void refusesATokenWhosePayloadWasAltered() {
        idp.forgeIdTokens(claims -> {
            String[] parts = HostileIdp.rs256(claims, idp.signingKey()).split("\\.");
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                    .replace("\"sub-alice\"", "\"sub-mallory\"");
            return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                    + "." + parts[2];
        });
        assertRefused("token_signature_invalid");
    }

    @Test
    void refusesATokenSignedByAKeyTheProviderDoesNotPublish() {
        RSAKey stranger = HostileIdp.newKey();
        idp.forgeIdTokens(claims -> HostileIdp.sign(claims,
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(idp.signingKey().getKeyID()).build(), stranger));
        assertRefused("token_signature_invalid");
    }

    @Test
    void refusesAnUnsignedTokenWithAlgNone() {
        idp.forgeIdTokens(claims -> new PlainJWT(claims).serialize());
        assertRefused("token_signature_invalid");
    }

    @Test
    void refusesAnUnsignedTokenWithAlgNoneEvenWhenTheProviderAnnouncesNone() {
        idp.announceAlgorithms("[\"RS256\",\"none\"]");
        idp.forgeIdTokens(claims -> new PlainJWT(claims).serialize());
        assertRefused("token_signature_invalid");
    }

    @Test
    void refusesHs256SignedWithAKeyOtherThanTheClientSecret() {
        idp.announceAlgorithms("[\"RS256\",\"HS256\"]");
        idp.forgeIdTokens(claims -> hs256(claims, "not-the-client-secret-but-long-enough-for-hs256-xyz".getBytes(StandardCharsets.UTF_8)));
        assertRefused("token_signature_invalid");
    }

    @Test
    void refusesHs256WhenTheProviderAnnouncesOnlyRs256EvenWithTheRightSecret() {
        idp.forgeIdTokens(claims -> hs256(claims, idp.clientSecret().getBytes(StandardCharsets.UTF_8)));
        assertRefused("token_signature_invalid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"der", "pem", "jwk"})
    void refusesTheRs256PublicKeyUsedAsAnHmacSecret(String encoding) throws JOSEException {
        idp.announceAlgorithms("[\"RS256\",\"HS256\"]");
        RSAKey publicKey = idp.signingKey().toPublicJWK();
        byte[] der = publicKey.toRSAPublicKey().getEncoded();
        byte[] secret = switch (encoding) {
            case "der" -> der;
            case "pem" -> ("-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(der) + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII);
            default -> publicKey.toJSONString().getBytes(StandardCharsets.UTF_8);
        };
        idp.forgeIdTokens(claims -> {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(publicKey.getKeyID()).build(), claims);
                jwt.sign(new MACSigner(secret));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        });
        assertRefused("token_signature_invalid");
    }

    @Test
    void refusesAnUnknownKidEvenAfterReReadingTheKeySet() {
        int jwksBefore = idp.jwksRequests();
        RSAKey stranger = HostileIdp.newKey();
        idp.forgeIdTokens(claims -> HostileIdp.rs256(claims, stranger));

        assertRefused("token_signature_invalid");
        assertThat(idp.jwksRequests()).as("one refresh of the key set").isEqualTo(jwksBefore + 1);
    }

    @Test
    void refusesATokenWithoutKidSignedByAStrangerWhenThePublishedSetHasSeveralKeys() {
        RSAKey second = HostileIdp.newKey();
        idp.publishKeys(idp.signingKey(), second);
        RSAKey stranger = HostileIdp.newKey();
        idp.forgeIdTokens(claims -> HostileIdp.sign(claims, new JWSHeader.Builder(JWSAlgorithm.RS256).build(), stranger));
        assertRefused("token_signature_invalid");
    }

    @Test
    void aTokenWithoutKidIsCheckedAgainstEveryPublishedKeyAndAcceptedOnlyIfOneOfThemSignedIt() {
        RSAKey second = HostileIdp.newKey();
        idp.publishKeys(second, idp.signingKey());
        idp.forgeIdTokens(claims -> HostileIdp.sign(claims, new JWSHeader.Builder(JWSAlgorithm.RS256).build(), idp.signingKey()));

        SignInAttempt attempt = scene.signIn();

        assertThat(HostileScene.callback(attempt.hops()).statusCode()).as(attempt.landing().body()).isEqualTo(303);
    }

    @ParameterizedTest
    @ValueSource(strings = {"another", "trailing-slash", "upper-case-path", "upper-case-scheme-and-host"})
    void refusesATokenFromAnotherIssuer(String variant) {
        String issuer = idp.issuer();
        String forged = switch (variant) {
            case "another" -> "https://evil.example.com/realms/hostile";
            case "trailing-slash" -> issuer + "/";
            case "upper-case-path" -> issuer.replace("/realms/hostile", "/realms/HOSTILE");
            default -> issuer.replace("http://127.0.0.1", "HTTP://127.0.0.1").toUpperCase(Locale.ROOT).replace("/REALMS/HOSTILE", "/realms/hostile");
        };
        assertThat(forged).isNotEqualTo(issuer);
        idp.tweakClaims(claims -> claims.issuer(forged));
        assertRefused("token_issuer_mismatch");
    }

    @Test
    void refusesATokenWithoutIssuer() {
        idp.tweakClaims(claims -> claims.issuer(null));
        assertRefused("token_issuer_mismatch");
    }

    @Test
    void refusesATokenForAnotherAudience() {
        idp.tweakClaims(claims -> claims.audience("another-client"));
        assertRefused("token_audience_mismatch");
    }

    @Test
    void refusesATokenWithSeveralAudiencesAndNoAuthorizedParty() {
        idp.tweakClaims(claims -> claims.audience(List.of(idp.clientId(), "another-client")));
        assertRefused("token_audience_mismatch");
    }

    @Test
    void refusesATokenWithSeveralAudiencesWhoseAuthorizedPartyIsAnotherClient() {
        idp.tweakClaims(claims -> claims.audience(List.of(idp.clientId(), "another-client")).claim("azp", "another-client"));
        assertRefused("token_audience_mismatch");
    }

    @Test
    void refusesAnExpiredToken() {
        Instant past = Instant.now().minus(Duration.ofHours(1));
        idp.tweakClaims(claims -> claims.issueTime(Date.from(past)).expirationTime(Date.from(past.plus(Duration.ofMinutes(5)))));
        assertRefused("token_expired");
    }

    @Test
    void refusesATokenIssuedFarInTheFuture() {
        Instant future = Instant.now().plus(Duration.ofHours(2));
        idp.tweakClaims(claims -> claims.issueTime(Date.from(future)).expirationTime(Date.from(future.plus(Duration.ofMinutes(5)))));
        assertRefused("token_expired");
    }

    @Test
    void refusesATokenNotValidBeforeALaterTime() {
        idp.tweakClaims(claims -> claims.notBeforeTime(Date.from(Instant.now().plus(Duration.ofHours(1)))));
        assertRefused("token_expired");
    }

    @Test
    void refusesATokenWithoutNonce() {
        idp.tweakClaims(claims -> claims.claim("nonce", null));
        assertRefused("token_nonce_mismatch");
    }

    @Test
    void refusesATokenWithAnotherNonce() {
        idp.tweakClaims(claims -> claims.claim("nonce", "a-nonce-from-another-sign-in"));
        assertRefused("token_nonce_mismatch");
    }

    @Test
    void refusesATokenWithoutSubject() {
        idp.tweakClaims(claims -> claims.subject(null));
        assertRefused("claim_missing");
    }

    @Test
    void refusesATokenWithoutExpiry() {
        idp.tweakClaims(claims -> claims.expirationTime(null));
        assertRefused("claim_missing");
    }

    @Test
    void refusesACompactJwe() {
        idp.forgeIdTokens(claims -> {
            try {
                EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM),
                        claims);
                jwe.encrypt(new RSAEncrypter(HostileIdp.newKey().toRSAPublicKey()));
                return jwe.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        });
        assertRefused("token_encrypted");
    }

    @Test
    void refusesATokenOfTwoParts() {
        idp.forgeIdTokens(claims -> {
            String token = HostileIdp.rs256(claims, idp.signingKey());
            return token.substring(0, token.lastIndexOf('.'));
        });
        assertRefused("token_malformed");
    }

    @Test
    void refusesATokenThatIsNotBase64() {
        idp.forgeIdTokens(claims -> "eyJ!!!not*base64.@@@@.####");
        assertRefused("token_malformed");
    }

    @Test
    void refusesATokenWhoseHeaderIsNotJson() {
        idp.forgeIdTokens(claims -> {
            String token = HostileIdp.rs256(claims, idp.signingKey());
            String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"RS256\",".getBytes(StandardCharsets.UTF_8));
            return header + token.substring(token.indexOf('.'));
        });
        assertRefused("token_malformed");
    }

    @Test
    void refusesAHugeToken() {
        String filler = "x".repeat(300_000);
        idp.tweakClaims(claims -> claims.claim("filler", filler));
        assertRefused("token_malformed");
    }

    private static String hs256(JWTClaimsSet claims, byte[] secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
