package org.idbroker.testkit;

import java.util.Map;

/**
 * A real OAuth 2.0 authorization server and API reached over HTTP (not OpenID Connect: no ID token, no
 * discovery), set up with one provider module's conventions, that the {@link OAuth2ProviderKit} scripts: each
 * {@code nextSignIn...} decides who the next person is and how the server answers.
 */
public interface OAuth2Upstream extends RedirectUpstream {

    /** The next sign-in is this person, but the token endpoint refuses the code its way; returns its error code. */
    String nextSignInWithRefusedCode(TestPerson person);

    /** The next person declines at the authorization step, sent back with an error; returns its error code. */
    String nextSignInDeclined();

    /** The query parameters of the latest authorization request. */
    Map<String, String> lastAuthorizationRequest();

    /** Whether the latest code exchange sent the PKCE verifier of the challenge its authorization request carried. */
    boolean lastExchangeProvedTheChallenge();
}
