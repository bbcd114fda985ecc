package org.idbroker.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.idbroker.it.support.BrokerState;
import org.idbroker.it.support.HostileIdp;
import org.idbroker.it.support.HostileScene;
import org.idbroker.it.support.HostileScene.SignInAttempt;
import org.idbroker.it.support.TestingBrowser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An email address links an identity to an existing account only when the provider vouches for it;
 * otherwise a person is their issuer and subject, never only their subject.
 */
class EmailAndIssuerMatchingTest {

    private HostileScene scene;
    private HostileIdp idp;

    @BeforeEach
    void start() {
        scene = HostileScene.startEmpty();
        idp = scene.idp();
        assertThat(scene.broker().cli("admin", "--username", "boss", "--email", "boss@example.com").exitCode()).isZero();
    }

    @AfterEach
    void stop() {
        scene.close();
    }

    private static Map<String, Object> boss(Object emailVerified) {
        Map<String, Object> claims = new HashMap<>(Map.of("preferred_username", "boss", "email", "boss@example.com",
                "groups", List.of("administrators")));
        if (emailVerified != null) {
            claims.put("email_verified", emailVerified);
        }
        return claims;
    }

    @Test
    void doesNotLinkByAnEmailTheProviderSaysIsUnverified() {
        BrokerState before = scene.state();
        idp.signsIn("sub-boss", boss(false));

        scene.assertRefused(scene.signIn(), before, "email_not_verified");
    }

    @Test
    void doesNotLinkByAnEmailWhoseVerificationIsNotStated() {
        BrokerState before = scene.state();
        idp.signsIn("sub-boss", boss(null));

        scene.assertRefused(scene.signIn(), before, "email_not_verified");
    }

    @Test
    void doesNotLinkByAnEmailWhoseVerificationIsNotABoolean() {
        BrokerState before = scene.state();
        idp.signsIn("sub-boss", boss("yes"));

        scene.assertRefused(scene.signIn(), before, "email_not_verified");
    }

    @Test
    void aSecondProviderClaimingTheEmailOfAnAccountLinkedElsewhereIsRefusedUnlessItVouchesForIt() {
        idp.signsIn("sub-boss", boss(true));
        assertThat(HostileScene.callback(scene.signIn().hops()).statusCode()).isEqualTo(303);
        HostileIdp other = HostileIdp.start("other");
        scene.configure("Other", other, "Other IdP");
        BrokerState before = scene.state();
        other.signsIn("sub-somebody", boss(false));

        SignInAttempt attempt = scene.signIn(new TestingBrowser(), "Other");

        scene.assertRefused(attempt, before, "email_not_verified");
    }

    @Test
    void aSecondProviderThatVouchesForTheEmailIsLinkedToTheSameAccount() {
        idp.signsIn("sub-boss", boss(true));
        scene.signIn();
        HostileIdp other = HostileIdp.start("other");
        scene.configure("Other", other, "Other IdP");
        other.signsIn("sub-boss-elsewhere", boss(true));

        SignInAttempt attempt = scene.signIn(new TestingBrowser(), "Other");

        // every enabled provider is trusted for the addresses it verifies: that is the operator's choice (Security model)
        assertThat(HostileScene.callback(attempt.hops()).statusCode()).isEqualTo(303);
        assertThat(scene.broker().count("select count(*) from users")).isEqualTo(1);
        assertThat(scene.broker().strings("select issuer from external_identities order by issuer"))
                .containsExactlyInAnyOrder(idp.issuer(), other.issuer());
    }

    @Test
    void theSameSubjectFromAnotherIssuerIsAnotherPerson() {
        idp.signsIn("sub-shared", Map.of("preferred_username", "alice", "email", "alice@example.com", "email_verified", true,
                "groups", List.of("administrators")));
        scene.signIn();
        HostileIdp other = HostileIdp.start("other");
        scene.configure("Other", other, "Other IdP");
        other.signsIn("sub-shared", Map.of("preferred_username", "mallory", "email", "mallory@example.com", "email_verified", true,
                "groups", List.of("guests")));

        SignInAttempt attempt = scene.signIn(new TestingBrowser(), "Other");

        assertThat(HostileScene.callback(attempt.hops()).statusCode()).isEqualTo(303);
        assertThat(attempt.browser().getJson(scene.broker().uri("/api/users/me")).body()).contains("\"mallory\"").doesNotContain("\"alice\"");
        assertThat(scene.broker().strings("select username || ' ' || external_groups::text from users where username <> 'boss' order by 1"))
                .containsExactly("alice {administrators}", "mallory {guests}");
    }

    @Test
    void theSameSubjectFromAnotherIssuerIsRefusedWhenNothingElseMatchesAndCreationIsOff() {
        idp.signsIn("sub-shared", Map.of("preferred_username", "alice", "email", "alice@example.com", "email_verified", true));
        scene.signIn();
        HostileIdp other = HostileIdp.start("other");
        scene.configure("Other", other, "Other IdP", "--allow-auto-user-creation", "false");
        other.signsIn("sub-shared", Map.of("preferred_username", "alice", "email", "someone@example.com", "email_verified", true));
        BrokerState before = scene.state();

        scene.assertRefused(scene.signIn(new TestingBrowser(), "Other"), before, "no_matching_account");
    }
}
