package org.idbroker.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.RSAKey;
import org.idbroker.it.support.BrokerState;
import org.idbroker.it.support.HostileIdp;
import org.idbroker.it.support.HostileScene;
import org.idbroker.it.support.HostileScene.SignInAttempt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The provider's signing keys: rotation is followed with one re-read, and unknown key ids cannot make the broker hammer it. */
class SigningKeysTest {

    private static HostileScene scene;
    private HostileIdp idp;

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
    }

    @Test
    void signInsContinueAfterTheProviderRotatesItsKeyWithOneReRead() {
        int jwksBefore = idp.jwksRequests();
        idp.rotateKey();

        SignInAttempt first = scene.signIn();
        SignInAttempt second = scene.signIn();

        assertThat(HostileScene.callback(first.hops()).statusCode()).as(first.landing().body()).isEqualTo(303);
        assertThat(HostileScene.callback(second.hops()).statusCode()).as(second.landing().body()).isEqualTo(303);
        assertThat(idp.jwksRequests()).as("one re-read for the new kid, then the cache").isEqualTo(jwksBefore + 1);
    }

    @Test
    void aFloodOfUnknownKeyIdsDoesNotMakeTheBrokerHammerTheProvider() {
        int jwksBefore = idp.jwksRequests();
        BrokerState before = scene.state();
        RSAKey stranger = HostileIdp.newKey();
        int[] counter = {0};
        idp.forgeIdTokens(claims -> HostileIdp.sign(claims,
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("unknown-" + counter[0]++).build(), stranger));

        for (int i = 0; i < 25; i++) {
            scene.assertRefused(scene.signIn(), before, "token_signature_invalid");
        }

        assertThat(idp.jwksRequests()).as("key set reads for 25 unknown kids").isLessThanOrEqualTo(jwksBefore + 1);
        idp.forgeIdTokens(null);
        SignInAttempt honest = scene.signIn();
        assertThat(HostileScene.callback(honest.hops()).statusCode()).as("the honest key still works").isEqualTo(303);
    }
}
