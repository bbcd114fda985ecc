package org.idbroker.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OAuth 2.0 part of the suite: the {@link SignInKit}'s neutral checks with a person signing in by a redirect
 * to a real OAuth 2.0 authorization server over HTTP ({@link RedirectSignInKit}), plus what only OAuth 2.0 without OpenID Connect has to get
 * right by itself: {@code state} and a PKCE S256 challenge at the authorization step, proven at the code exchange,
 * the server's refusal of a code, a person who declines. A module subclasses it, says how to start its upstream and
 * how an instance points at it.
 *
 * @param <U> the upstream under test
 */
public abstract class OAuth2ProviderKit<U extends OAuth2Upstream> extends RedirectSignInKit<U> {

    protected U upstream;

    /** Starts a fresh upstream with the broker's client registered for {@code redirectUri}. */
    protected abstract U startUpstream(String redirectUri);

    /** The {@code configure} arguments, besides the client id and secret, that point an instance at {@code upstream}. */
    protected abstract List<String> connectionArguments(U upstream);

    @Override
    protected final U upstream() {
        return upstream;
    }

    @Override
    protected final void useStandardUpstream() {
        upstream = startUpstream(broker.baseUri() + "/api/users/authenticatedToken/" + PROVIDER_ID);
        configureFor(upstream, connectionArguments(upstream));
    }

    @Test
    void sendsStateAndAPkceS256ChallengeAndProvesItAtTheCodeExchange() {
        useStandardUpstream();

        signIn(browser, ALICE);

        Map<String, String> authorization = upstream.lastAuthorizationRequest();
        assertThat(authorization.get("client_id")).isEqualTo(upstream.clientId());
        assertThat(authorization.get("redirect_uri")).isEqualTo(broker.baseUri() + "/api/users/authenticatedToken/" + PROVIDER_ID);
        // the broker's login state, sealed: what the module remembers must keep it within 4,096 URL-safe characters
        assertThat(authorization.get("state")).matches("[A-Za-z0-9_-]{100,4096}");
        assertThat(authorization.get("code_challenge_method")).isEqualTo("S256");
        assertThat(authorization.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        assertThat(upstream.lastExchangeProvedTheChallenge()).isTrue();
        assertSignedInAs(browser, ALICE, ALICE.groups());
    }

    @Test
    void refusesASignInWhoseCodeTheTokenEndpointRefuses() {
        useStandardUpstream();
        String error = upstream.nextSignInWithRefusedCode(ALICE);

        List<HttpResponse<String>> hops = browser.signIn(broker, PROVIDER_ID);

        assertRefused(hops, new ExpectedRefusal(401, "code_rejected", error));
        assertThat(broker.count("select count(*) from users")).isZero();
        assertThat(broker.strings("select reason from events where type = 'sign-in'")).containsExactly("code_rejected");
    }

    @Test
    void tellsThePersonWhoDeclinedAtTheAuthorizationStepWhatHappened() {
        useStandardUpstream();
        String error = upstream.nextSignInDeclined();

        List<HttpResponse<String>> hops = browser.signIn(broker, PROVIDER_ID);

        assertRefused(hops, new ExpectedRefusal(403, "idp_error", error));
        assertThat(broker.count("select count(*) from users")).isZero();
    }
}
