package org.idbroker.testkit;

/**
 * A real upstream that checks passwords (a directory, ...), reached over the network, that the
 * {@link PasswordProviderKit} fills with people.
 */
public interface PasswordUpstream extends AutoCloseable {

    /** The issuer the provider gives this upstream's identities. */
    String issuer();

    /** The subject the provider gives {@code person}, once enrolled. */
    String subjectOf(TestPerson person);

    /** Adds {@code person} with this password and their groups, or replaces what the upstream holds about them. */
    void enrol(TestPerson person, String password);

    /** Stops answering, as an upstream that went away: connections are refused from now on. */
    void goAway();

    @Override
    void close();
}
