package org.idbroker.providers.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import java.net.URI;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.CallbackRequest;
import org.idbroker.spi.Finding;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.LogoutNotice;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.ProviderSettings;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;
import org.idbroker.spi.SignInRequest;
import org.idbroker.spi.SignInStart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sign-ins against an Authentik-like IdP without a signing key (HS256 with the client secret, JWKS {}). */
class OidcProviderHs256Test {

    private static final URI REDIRECT = URI.create("https://broker.example.com/api/users/authenticatedToken/Authentik");

    private TinyIdp idp;
    private IdentityProvider provider;

    @BeforeEach
    void start() throws Exception {
        idp = new TinyIdp();
        provider = provider(TinyIdp.settings(idp.issuer));
    }

    @AfterEach
    void stop() {
        provider.close();
        idp.close();
    }

    private static IdentityProvider provider(Map<String, String> settings) throws Exception {
        return new OidcProviderFactory().create(new ProviderContext("Authentik", new ProviderSettings(settings), REDIRECT));
    }

    /** Rebuilds the provider so it reads userinfo at every sign-in (Alice's ID token carries every claim it uses). */
    private void readingUserinfoAlways() throws Exception {
        provider.close();
        Map<String, String> settings = new java.util.HashMap<>(TinyIdp.settings(idp.issuer));
        settings.put("userInfo", "always");
        provider = provider(settings);
    }

    /** Starts a sign-in, lets the IdP answer the token request with the given ID token, and finishes it. */
    private AuthenticatedIdentity signIn(UnaryOperator<JWTClaimsSet.Builder> claims, String secret) throws Exception {
        SignInStart start = provider.startSignIn(new SignInRequest("state-1"));
        String nonce = start.remember().get(OidcProvider.REMEMBER_NONCE);
        idp.nextIdToken = TinyIdp.hs256(claims.apply(idp.idClaims("my-client", nonce)).build(), secret);
        return finish(start);
    }

    private AuthenticatedIdentity finish(SignInStart start) throws Exception {
        CallbackRequest callback = new CallbackRequest(Map.of("code", List.of("code-1"), "state", List.of("state-1")));
        return provider.finishSignIn(callback, start.remember());
    }

    private SignInRejectedException refusal(UnaryOperator<JWTClaimsSet.Builder> claims) {
        return catchThrowableOfType(SignInRejectedException.class, () -> signIn(claims, TinyIdp.SECRET));
    }

    @Test
    void signsInWithAnHs256IdTokenSignedWithTheClientSecretWhileTheKeySetIsEmpty() throws Exception {
        AuthenticatedIdentity identity = signIn(c -> c, TinyIdp.SECRET);

        assertThat(identity.issuer()).isEqualTo(idp.issuer);
        assertThat(identity.username()).isEqualTo("alice");
        assertThat(identity.displayName()).isEqualTo("Alice Doe");
        assertThat(identity.emailVerified()).isFalse();
        assertThat(identity.groups()).containsExactly("authentik Admins", "developers");
        assertThat(identity.idpSessionId()).isEqualTo("5868879d4070ef8b8fdf7f0588cfaafb");
        assertThat(idp.lastTokenAuthorization).isNull();
        assertThat(idp.lastTokenRequestBody).contains("client_secret=").contains("grant_type=authorization_code")
                .contains("code_verifier=").contains("redirect_uri=https%3A%2F%2Fbroker.example.com%2F");
    }

    @Test
    void refusesAnHs256IdTokenSignedWithAnotherSecret() {
        SignInRejectedException e = catchThrowableOfType(SignInRejectedException.class,
                () -> signIn(c -> c, "another-secret-that-is-also-long-enough-for-hs256"));

        assertThat(e.reason()).isEqualTo(RejectionReason.TOKEN_SIGNATURE_INVALID);
    }

    @Test
    void refusesAnEncryptedIdTokenWithAnActionableMessage() throws Exception {
        SignInStart start = provider.startSignIn(new SignInRequest("state-1"));
        RSAKey key = new RSAKeyGenerator(2048).generate();
        EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256CBC_HS512),
                idp.idClaims("my-client", start.remember().get(OidcProvider.REMEMBER_NONCE)).build());
        jwe.encrypt(new RSAEncrypter(key.toRSAPublicKey()));
        idp.nextIdToken = jwe.serialize();

        SignInRejectedException e = catchThrowableOfType(SignInRejectedException.class, () -> finish(start));

        assertThat(e.reason()).isEqualTo(RejectionReason.TOKEN_ENCRYPTED);
        assertThat(e.getMessage()).contains("encrypted tokens are not supported").contains("Encryption Key");
    }

    @Test
    void refusesAnUnsignedIdToken() throws Exception {
        SignInStart start = provider.startSignIn(new SignInRequest("state-1"));
        idp.nextIdToken = new PlainJWT(idp.idClaims("my-client", start.remember().get(OidcProvider.REMEMBER_NONCE)).build()).serialize();

        SignInRejectedException e = catchThrowableOfType(SignInRejectedException.class, () -> finish(start));

        assertThat(e.reason()).isEqualTo(RejectionReason.TOKEN_SIGNATURE_INVALID);
        assertThat(e.getMessage()).contains("alg none");
    }

    @Test
    void refusesAnIdTokenForAnotherClient() {
        SignInRejectedException e = refusal(c -> c.audience("other-client"));

        assertThat(e.reason()).isEqualTo(RejectionReason.TOKEN_AUDIENCE_MISMATCH);
        assertThat(e.getMessage()).contains("other-client").contains("my-client");
    }

    @Test
    void refusesSeveralAudiencesUnlessAzpNamesThisClient() throws Exception {
        SignInRejectedException e = refusal(c -> c.audience(List.of("my-client", "other-client")));
        assertThat(e.reason()).isEqualTo(RejectionReason.TOKEN_AUDIENCE_MISMATCH);

        AuthenticatedIdentity identity = signIn(c -> c.audience(List.of("my-client", "other-client")).claim("azp", "my-client"),
                TinyIdp.SECRET);
        assertThat(identity.username()).isEqualTo("alice");
    }

    @Test
    void refusesAnIdTokenFromAnotherIssuer() {
        SignInRejectedException e = refusal(c -> c.issuer("https://evil.example.com/"));

        assertThat(e.reason()).isEqualTo(RejectionReason.TOKEN_ISSUER_MISMATCH);
        assertThat(e.getMessage()).contains("https://evil.example.com/").contains(idp.issuer);
    }

    @Test
    void refusesAnIdTokenWithoutItsIssuerTrailingSlash() {
        SignInRejectedException e = refusal(c -> c.issuer(idp.issuer.substring(0, idp.issuer.length() - 1)));

        assertThat(e.reason()).isEqualTo(RejectionReason.TOKEN_ISSUER_MISMATCH);
    }

    @Test
    void refusesAnExpiredIdTokenBeyondTheClockSkew() {
        long now = System.currentTimeMillis();
        SignInRejectedException e = refusal(c -> c.expirationTime(new Date(now - 120_000)).issueTime(new Date(now - 600_000)));

        assertThat(e.reason()).isEqualTo(RejectionReason.TOKEN_EXPIRED);
        assertThat(e.getMessage()).contains("clocks");
    }

    @Test
    void acceptsAnIdTokenExpiredWithinTheClockSkew() throws Exception {
        long now = System.currentTimeMillis();
        AuthenticatedIdentity identity = signIn(c -> c.expirationTime(new Date(now - 20_000)).issueTime(new Date(now - 600_000)),
                TinyIdp.SECRET);

        assertThat(identity.subject()).isNotBlank();
    }

    @Test
    void refusesAnIdTokenWithoutSubject() {
        SignInRejectedException e = refusal(c -> c.subject(null));

        assertThat(e.reason()).isEqualTo(RejectionReason.CLAIM_MISSING);
    }

    @Test
    void refusesAnIdTokenWithoutNonce() {
        SignInRejectedException e = refusal(c -> c.claim("nonce", null));

        assertThat(e.reason()).isEqualTo(RejectionReason.TOKEN_NONCE_MISMATCH);
    }

    @Test
    void refusesAMalformedIdToken() throws Exception {
        SignInStart start = provider.startSignIn(new SignInRequest("state-1"));
        idp.nextIdToken = "not.a-jwt";

        SignInRejectedException e = catchThrowableOfType(SignInRejectedException.class, () -> finish(start));

        assertThat(e.reason()).isEqualTo(RejectionReason.TOKEN_MALFORMED);
    }

    @Test
    void reportsACodeTheTokenEndpointRefused() throws Exception {
        SignInStart start = provider.startSignIn(new SignInRequest("state-1"));
        idp.tokenStatus = 400;
        idp.tokenBody = "{\"error\":\"invalid_grant\",\"error_description\":\"The provided authorization grant is invalid\"}";

        SignInRejectedException e = catchThrowableOfType(SignInRejectedException.class, () -> finish(start));

        assertThat(e.reason()).isEqualTo(RejectionReason.CODE_REJECTED);
        assertThat(e.getMessage()).contains("invalid_grant").contains("redirect URI");
    }

    @Test
    void reportsATokenEndpointAnsweringSomethingElseThanJsonAsUnavailable() throws Exception {
        SignInStart start = provider.startSignIn(new SignInRequest("state-1"));
        idp.tokenStatus = 502;
        idp.tokenContentType = "text/html";
        idp.tokenBody = "<html>Bad Gateway</html>";

        SignInRejectedException e = catchThrowableOfType(SignInRejectedException.class, () -> finish(start));

        assertThat(e.reason()).isEqualTo(RejectionReason.IDP_UNAVAILABLE);
        assertThat(e.getMessage()).contains("502");
    }

    @Test
    void mergesUserinfoWithTheIdTokenWhichWinsExceptForGroups() throws Exception {
        readingUserinfoAlways();
        idp.userInfoJson = "{\"sub\":\"2ac1102e7cf5a4b1cb2dd5adbe4761c551691ecd88991f78d0195d4d3d0cfcfa\","
                + "\"name\":\"Someone Else\",\"groups\":[\"developers\",\"ops\"],\"locale\":\"de\"}";

        AuthenticatedIdentity identity = signIn(c -> c, TinyIdp.SECRET);

        assertThat(identity.displayName()).isEqualTo("Alice Doe");
        assertThat(identity.groups()).containsExactly("authentik Admins", "developers", "ops");
        assertThat(identity.claims()).containsEntry("locale", "de");
    }

    @Test
    void readsTheGroupsFromUserinfoWhenTheIdTokenHasNone() throws Exception {
        idp.userInfoJson = "{\"sub\":\"2ac1102e7cf5a4b1cb2dd5adbe4761c551691ecd88991f78d0195d4d3d0cfcfa\","
                + "\"groups\":[\"developers\",\"ops\"]}";

        AuthenticatedIdentity identity = signIn(c -> c.claim("groups", null), TinyIdp.SECRET);

        assertThat(identity.groups()).containsExactly("developers", "ops");
    }

    @Test
    void refusesUserinfoAboutAnotherSubjectWhenTheIdTokenHasNoGroups() {
        idp.userInfoJson = "{\"sub\":\"someone-else\"}";

        SignInRejectedException e = refusal(c -> c.claim("groups", null));

        assertThat(e.reason()).isEqualTo(RejectionReason.USERINFO_SUBJECT_MISMATCH);
    }

    @Test
    void refusesUserinfoAboutAnotherSubject() throws Exception {
        readingUserinfoAlways();
        idp.userInfoJson = "{\"sub\":\"someone-else\"}";

        SignInRejectedException e = refusal(c -> c);

        assertThat(e.reason()).isEqualTo(RejectionReason.USERINFO_SUBJECT_MISMATCH);
    }

    @Test
    void reportsAFailingUserinfoEndpointAsUnavailable() throws Exception {
        readingUserinfoAlways();
        idp.userInfoJson = null;

        SignInRejectedException e = refusal(c -> c);

        assertThat(e.reason()).isEqualTo(RejectionReason.IDP_UNAVAILABLE);
        assertThat(e.getMessage()).contains("userinfo").contains("401");
    }

    @Test
    void acceptsAValidBackChannelLogoutToken() throws Exception {
        String token = TinyIdp.hs256(logoutClaims().build(), TinyIdp.SECRET, new JOSEObjectType("logout+jwt"));

        LogoutNotice notice = provider.validateLogoutToken(token);

        assertThat(notice.issuer()).isEqualTo(idp.issuer);
        assertThat(notice.subject()).isEqualTo("subject-1");
        assertThat(notice.idpSessionId()).isEqualTo("session-1");
        assertThat(notice.tokenId()).isEqualTo("jti-1");
    }

    @Test
    void refusesLogoutTokensThatBreakTheBackChannelRules() throws Exception {
        assertLogoutRefused(TinyIdp.hs256(logoutClaims().claim("events", Map.of("other", Map.of())).build(), TinyIdp.SECRET));
        assertLogoutRefused(TinyIdp.hs256(logoutClaims().claim("nonce", "n").build(), TinyIdp.SECRET));
        assertLogoutRefused(TinyIdp.hs256(logoutClaims().jwtID(null).build(), TinyIdp.SECRET));
        assertLogoutRefused(TinyIdp.hs256(logoutClaims().audience("other-client").build(), TinyIdp.SECRET));
        assertLogoutRefused(TinyIdp.hs256(logoutClaims().subject(null).claim("sid", null).build(), TinyIdp.SECRET));
        assertLogoutRefused(TinyIdp.hs256(logoutClaims().build(), TinyIdp.SECRET, new JOSEObjectType("at+jwt")));
        assertLogoutRefused(TinyIdp.hs256(logoutClaims().build(), "another-secret-that-is-also-long-enough-for-hs256"));
        assertLogoutRefused(TinyIdp.hs256(logoutClaims().issueTime(new Date(System.currentTimeMillis() + 600_000)).build(),
                TinyIdp.SECRET));
    }

    private void assertLogoutRefused(String token) {
        SignInRejectedException e = catchThrowableOfType(SignInRejectedException.class, () -> provider.validateLogoutToken(token));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(RejectionReason.LOGOUT_TOKEN_INVALID);
    }

    private JWTClaimsSet.Builder logoutClaims() {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().issuer(idp.issuer).subject("subject-1").audience("my-client")
                .issueTime(new Date(now)).expirationTime(new Date(now + 120_000)).jwtID("jti-1").claim("sid", "session-1")
                .claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()));
    }

    @Test
    void diagnosesTheEmptyKeySetAndAnIssuerLackingItsTrailingSlash() throws Exception {
        Map<String, String> settings = new HashMap<>(TinyIdp.settings(idp.issuer.substring(0, idp.issuer.length() - 1)));
        List<Finding> findings = provider(settings).diagnose();

        assertThat(findings).anySatisfy(f -> {
            assertThat(f.check()).isEqualTo("issuer");
            assertThat(f.severity()).isEqualTo(Finding.Severity.FAIL);
            assertThat(f.message()).contains("trailing slash").contains(idp.issuer);
        });
        assertThat(findings).anySatisfy(f -> {
            assertThat(f.check()).isEqualTo("signing keys");
            assertThat(f.severity()).isEqualTo(Finding.Severity.WARN);
            assertThat(f.message()).contains("HS256").contains("client secret");
        });
    }

    @Test
    void reportsAnUnreachableIdpNamingTheDiscoveryAddress() throws Exception {
        idp.close();
        IdentityProvider unreachable = provider(TinyIdp.settings(idp.issuer));

        SignInRejectedException e = catchThrowableOfType(SignInRejectedException.class,
                () -> unreachable.startSignIn(new SignInRequest("state-1")));

        assertThat(e.reason()).isEqualTo(RejectionReason.IDP_UNAVAILABLE);
        assertThat(e.getMessage()).contains(idp.issuer + ".well-known/openid-configuration");
    }
}
