package org.idbroker.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the realistic bench measures: a broker in a process of its own, behind the bench's IdP, signed in through by
 * the same driver. IdBroker ({@link BrokerTarget}) or Keycloak ({@link KeycloakTarget}): everything a target does
 * differently (how it starts, is configured, learns its returning users, and where a sign-in begins and ends) is here,
 * so the phases, the CPU and memory accounting and the printed figures are one code for both.
 */
interface BenchTarget extends AutoCloseable {

    /** Starts a target on a database made for the run; says what it is before it starts. */
    interface Launcher {
        /** The product measured, for the run's first line ("IdBroker", "Keycloak 26.7.3"). */
        String product();

        /** Comment lines on how it runs (JVM options, mode), printed before it starts. */
        List<String> settings();

        BenchTarget start(Database database, Path work) throws Exception;
    }

    /** One driver worker's browser: every sign-in in a new cookie jar, on the worker's keep-alive connections. */
    interface Worker extends AutoCloseable {
        /** Signs {@code username} in at the IdP's form; returns what the sign-in ended with (a session, a code). */
        String signIn(String username) throws IOException;

        @Override
        void close();
    }

    /** How the figures call it: "broker" keeps IdBroker's lines as they always were. */
    String name();

    long pid();

    Duration readyAfter();

    /** What {@link #readyAfter()} measured, printed after it. */
    String readyNote();

    /** The client the IdP registers for this target, and where it may send the browser back. */
    String idpClientId();

    String idpRedirectUri();

    /** Kernel thread-name prefixes of the target's own HTTP client toward the IdP, shown apart; none when it has none. */
    String[] idpClientThreads();

    /** Sets up sign-in through {@code idp}: everything an operator would configure, new users created on the way. */
    void configure(OidcProviderProcess idp, Path work) throws Exception;

    /**
     * Makes the IdP's people {@code prefix1} to {@code prefixN} ({@code count}) returning users: accounts linked to
     * their subjects (the IdP's subject is the username), email {@code NAME@bench.example}.
     */
    void addReturningUsers(OidcProviderProcess idp, String prefix, int count) throws Exception;

    Worker worker(OidcProviderProcess idp);

    /** Lines that show what the sign-ins left behind (users made, their links and groups), printed after the phases. */
    default List<String> afterLoad() throws Exception {
        return List.of();
    }

    /** The target's own log file. */
    Path log();
}
