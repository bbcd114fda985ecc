package org.idbroker.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The OpenID Connect part of the suite: the {@link SignInKit}'s neutral checks with a person signing in by a
 * redirect to a real OpenID provider over HTTP, set up with that provider's conventions, plus what only
 * OpenID Connect has: ID tokens from another issuer or for another client, and every {@link IdpShape}
 * (signing algorithms, claims only in userinfo, encrypted tokens). A module subclasses it, says how to start
 * its IdP and how an instance points at it.
 *
 * @param <I> the IdP under test
 */
public abstract class OidcProviderKit<I extends IdpUnderTest> extends RedirectSignInKit<I> {

    protected I idp;

    /** Starts a fresh IdP set up this way, with the broker's client registered for {@code redirectUri}. */
    protected abstract I startIdp(IdpShape shape, String redirectUri);

    /** The {@code configure} arguments that point an instance at {@code idp}; by default its issuer. */
    protected List<String> connectionArguments(I idp) {
        return List.of("--issuer", idp.issuer());
    }

    @Override
    protected final I upstream() {
        return idp;
    }

    @Override
    protected final void useStandardUpstream() {
        useIdp(IdpShape.STANDARD);
    }

    /** Starts the IdP in this shape and configures the instance {@value #PROVIDER_ID} of the type under test for it. */
    protected final void useIdp(IdpShape shape) {
        idp = startIdp(shape, broker.baseUri() + "/api/users/authenticatedToken/" + PROVIDER_ID);
        awaitDiscovery(idp);
        configureFor(idp, connectionArguments(idp));
    }

    /**
     * Waits until the IdP serves its discovery document, so that a slow first answer of a freshly
     * started IdP (a cold JVM on a busy machine) is not taken for the broker's doing.
     */
    private static void awaitDiscovery(IdpUnderTest idp) {
        String issuer = idp.issuer();
        URI discovery = URI.create((issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
                + "/.well-known/openid-configuration");
        HttpResponse<String> response = new TestingBrowser().send(HttpRequest.newBuilder(discovery)
                .timeout(Duration.ofSeconds(60)).GET().build());
        assertThat(response.statusCode()).as("the IdP's discovery document " + discovery).isEqualTo(200);
    }

    @Test
    void theRefusalOfAnUnverifiedEmailNamesTheClaim() {
        useIdp(IdpShape.STANDARD);
        makeAdministrator("boss", BOSS.email());

        List<HttpResponse<String>> hops = signIn(browser, BOSS.withEmail(BOSS.email(), false));

        assertThat(assertRefused(hops, new ExpectedRefusal(403, "email_not_verified", "Trust Email")).message())
                .contains("email_verified");
    }

    @Test
    void refusesAnIdTokenFromAnotherIssuer() {
        useIdp(IdpShape.STANDARD);
        idp.nextSignInFromAnotherIssuer(ALICE);

        List<HttpResponse<String>> hops = browser.signIn(broker, PROVIDER_ID);

        assertRefused(hops, new ExpectedRefusal(401, "token_issuer_mismatch", "issuer is '" + idp.issuer() + "'"));
        assertThat(broker.count("select count(*) from users")).isZero();
    }

    @Test
    void refusesAnIdTokenForAnotherClient() {
        useIdp(IdpShape.STANDARD);
        idp.nextSignInForAnotherClient(ALICE);

        List<HttpResponse<String>> hops = browser.signIn(broker, PROVIDER_ID);

        assertRefused(hops, new ExpectedRefusal(401, "token_audience_mismatch", "client id '" + idp.clientId() + "'"));
        assertThat(broker.count("select count(*) from users")).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = IdpShape.class, names = "STANDARD", mode = EnumSource.Mode.EXCLUDE)
    void signsInWithTheTokensOfEveryIdpSetupItSupportsAndRefusesTheOthersClearly(IdpShape shape) {
        ProviderFeature feature = featureOf(shape);
        useIdp(shape);
        idp.nextSignIn(ALICE);

        List<HttpResponse<String>> hops = browser.signIn(broker, PROVIDER_ID);

        if (supports(feature)) {
            assertThat(callback(hops).statusCode()).as(callback(hops).body()).isEqualTo(303);
            assertSignedInAs(browser, ALICE, ALICE.groups());
        } else {
            assertRefused(hops, refusalOf(feature));
            assertThat(broker.count("select count(*) from users")).isZero();
        }
    }

    private static ProviderFeature featureOf(IdpShape shape) {
        for (ProviderFeature feature : ProviderFeature.values()) {
            if (feature.shape().filter(shape::equals).isPresent()) {
                return feature;
            }
        }
        throw new AssertionError("no feature for " + shape);
    }

    /** The broker's answer to the IdP's redirect back. */
    protected static HttpResponse<String> callback(List<HttpResponse<String>> hops) {
        return hops.stream().filter(h -> h.uri().getPath().startsWith("/api/users/authenticatedToken/")).findFirst()
                .orElseThrow(() -> new AssertionError("the IdP never sent the browser back to the broker: "
                        + hops.get(hops.size() - 1).statusCode() + " " + hops.get(hops.size() - 1).body()));
    }
}
