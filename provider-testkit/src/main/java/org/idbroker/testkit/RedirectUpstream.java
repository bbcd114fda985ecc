package org.idbroker.testkit;

/**
 * A real upstream the browser is redirected to and back from (an OpenID provider, an OAuth 2.0 server), reached over
 * HTTP and scripted by the kit: each {@code nextSignIn} decides who the next person to sign in at it is.
 */
public interface RedirectUpstream extends AutoCloseable {

    /** The issuer of the identities the module under test makes from this upstream's answers. */
    String issuer();

    /** The client id the broker is registered with. */
    String clientId();

    /** The client secret the broker is registered with. */
    String clientSecret();

    /** The subject the module under test gives the person. */
    String subjectOf(TestPerson person);

    /** The next sign-in is this person, and every answer is right. */
    void nextSignIn(TestPerson person);

    @Override
    void close();
}
