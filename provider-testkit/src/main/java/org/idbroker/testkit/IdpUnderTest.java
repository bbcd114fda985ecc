package org.idbroker.testkit;

/**
 * A real OpenID provider reached over HTTP, set up with one provider module's conventions, that the
 * {@link OidcProviderKit} scripts: each {@code nextSignIn} decides who the next person to sign in at
 * it is, and how the tokens it then issues are made.
 */
public interface IdpUnderTest extends RedirectUpstream {

    /** The next sign-in's ID token is signed correctly but names another issuer. */
    void nextSignInFromAnotherIssuer(TestPerson person);

    /** The next sign-in's ID token is signed correctly but is meant for another client id. */
    void nextSignInForAnotherClient(TestPerson person);
}
