package org.idbroker.spi;

/**
 * Told of every call a provider makes to its IdP, for the broker's metrics. The broker gives one per
 * instance in {@link ProviderContext#idpCalls()}; it is cheap, thread-safe and never throws.
 */
@FunctionalInterface
public interface IdpCalls {

    /** Tells nobody. */
    IdpCalls NONE = (endpoint, outcome, nanos) -> { };

    /** Well-known endpoint names; a provider may use others of its own. */
    String DISCOVERY = "discovery";
    String JWKS = "jwks";
    String TOKEN = "token";
    String USERINFO = "userinfo";

    /** How a call ended. */
    enum Outcome {
        /** The IdP answered with a success status. */
        OK,
        /** The IdP answered, with an error status. */
        HTTP_ERROR,
        /** No complete answer: DNS, connection, TLS, timeout, or an answer too large. */
        UNREACHABLE
    }

    /**
     * One call ended.
     *
     * @param endpoint which endpoint, such as {@link #TOKEN}
     * @param outcome how it ended
     * @param nanos how long it took, in nanoseconds
     */
    void called(String endpoint, Outcome outcome, long nanos);
}
