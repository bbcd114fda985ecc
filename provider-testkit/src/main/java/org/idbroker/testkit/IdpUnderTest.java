package org.idbroker.testkit;

/**
 * A real OpenID provider reached over HTTP, set up with one provider module's conventions, that the
 * {@link OidcProviderKit} scripts: each {@code nextSignIn} decides who the next person to sign in at
 * it is, and how the tokens it then issues are made.
 */
public interface IdpUnderTest extends AutoCloseable {

    /** The issuer exactly as the IdP publishes it. */
    String issuer();

    /** The client id the broker is registered with. */
    String clientId();

    /** The client secret the broker is registered with. */
    String clientSecret();

    /** The {@code sub} this IdP gives the person. */
    String subjectOf(TestPerson person);

    /** The next sign-in is this person, with correct tokens. */
    void nextSignIn(TestPerson person);

    /** The next sign-in's ID token is signed correctly but names another issuer. */
    void nextSignInFromAnotherIssuer(TestPerson person);

    /** The next sign-in's ID token is signed correctly but is meant for another client id. */
    void nextSignInForAnotherClient(TestPerson person);

    @Override
    void close();
}
