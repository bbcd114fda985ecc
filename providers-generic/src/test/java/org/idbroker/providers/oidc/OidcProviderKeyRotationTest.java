package org.idbroker.providers.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.CallbackRequest;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.ProviderSettings;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;
import org.idbroker.spi.SignInRequest;
import org.idbroker.spi.SignInStart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RS256 keys from the JWKS: refetched for an unknown kid, but never more than the rate limit allows. */
class OidcProviderKeyRotationTest {

    private TinyIdp idp;
    private IdentityProvider provider;
    private RSAKey first;

    @BeforeEach
    void start() throws Exception {
        idp = new TinyIdp();
        idp.signingAlgs = "[\"RS256\"]";
        first = new RSAKeyGenerator(2048).keyID("first").generate();
        idp.jwksJson = new JWKSet(first.toPublicJWK()).toString();
        provider = new OidcProviderFactory().create(new ProviderContext("Rs", new ProviderSettings(TinyIdp.settings(idp.issuer)),
                URI.create("https://broker.example.com/cb")));
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    private AuthenticatedIdentity signIn(RSAKey key) throws Exception {
        SignInStart start = provider.startSignIn(new SignInRequest("s"));
        idp.nextIdToken = TinyIdp.rs256(idp.idClaims("my-client", start.remember().get(OidcProvider.REMEMBER_NONCE)).build(), key);
        return provider.finishSignIn(new CallbackRequest(Map.of("code", List.of("c"), "state", List.of("s"))), start.remember());
    }

    @Test
    void refetchesTheKeySetWhenTheIdpRotatesItsKey() throws Exception {
        assertThat(signIn(first).username()).isEqualTo("alice");
        RSAKey second = new RSAKeyGenerator(2048).keyID("second").generate();
        idp.jwksJson = new JWKSet(List.of(first.toPublicJWK(), second.toPublicJWK())).toString();

        assertThat(signIn(second).username()).isEqualTo("alice");
        assertThat(idp.jwksHits.get()).isEqualTo(2);
    }

    @Test
    void doesNotHammerTheIdpWithAFloodOfUnknownKeyIds() throws Exception {
        signIn(first);
        for (int i = 0; i < 20; i++) {
            RSAKey stranger = new RSAKeyGenerator(2048).keyID("unknown-" + i).generate();
            SignInRejectedException e = catchThrowableOfType(SignInRejectedException.class, () -> signIn(stranger));
            assertThat(e.reason()).isEqualTo(RejectionReason.TOKEN_SIGNATURE_INVALID);
        }
        assertThat(idp.jwksHits.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void refusesAnHs256TokenWhenTheIdpAnnouncesOnlyRs256() throws Exception {
        SignInStart start = provider.startSignIn(new SignInRequest("s"));
        idp.nextIdToken = TinyIdp.hs256(idp.idClaims("my-client", start.remember().get(OidcProvider.REMEMBER_NONCE)).build(),
                TinyIdp.SECRET);

        SignInRejectedException e = catchThrowableOfType(SignInRejectedException.class, () -> provider.finishSignIn(
                new CallbackRequest(Map.of("code", List.of("c"), "state", List.of("s"))), start.remember()));

        assertThat(e.reason()).isEqualTo(RejectionReason.TOKEN_SIGNATURE_INVALID);
        assertThat(e.getMessage()).contains("HS256").contains("RS256");
    }
}
