package org.idbroker.providers.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.time.Clock;
import java.time.Instant;
import org.idbroker.spi.IdpCalls;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;
import org.pac4j.oidc.config.OidcConfiguration;
import org.pac4j.oidc.metadata.OidcOpMetadataResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the IdP's discovery document with pac4j, lazily, and keeps it (with the keys built from it)
 * for a bounded time. Thread-safe.
 */
final class Discovery {

    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);

    private final OidcConfig config;
    private final Clock clock;
    private IdpMetadata current;
    private Instant fetchedAt;

    Discovery(OidcConfig config, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The cached metadata, fetched when absent or older than the configured lifetime. */
    synchronized IdpMetadata get() throws SignInRejectedException {
        Instant now = clock.instant();
        if (current == null || fetchedAt.plus(config.discoveryLifetime()).isBefore(now)) {
            // the previous metadata may still be in use by a sign-in: it is left to the garbage collector
            current = new IdpMetadata(config, fetch());
            fetchedAt = now;
        }
        return current;
    }

    /** Forgets the cached metadata and releases its key source. */
    synchronized void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /** Reads the discovery document now, without touching the cache. */
    OIDCProviderMetadata fetch() throws SignInRejectedException {
        OidcConfiguration pac4j = new OidcConfiguration();
        pac4j.setClientId(config.clientId());
        pac4j.setDiscoveryURI(config.discoveryUri().toString());
        pac4j.setConnectTimeout((int) config.httpTimeout().toMillis());
        pac4j.setReadTimeout((int) config.httpTimeout().toMillis());
        long start = System.nanoTime();
        try {
            OIDCProviderMetadata metadata = new Fetcher(pac4j).fetch();
            config.idpCalls().called(IdpCalls.DISCOVERY, IdpCalls.Outcome.OK, System.nanoTime() - start);
            LOG.debug("read discovery document {} (issuer {})", config.discoveryUri(), metadata.getIssuer());
            return metadata;
        } catch (RuntimeException e) {
            // pac4j does not say whether the IdP answered with an error or not at all
            config.idpCalls().called(IdpCalls.DISCOVERY, IdpCalls.Outcome.UNREACHABLE, System.nanoTime() - start);
            LOG.debug("discovery document {} could not be read", config.discoveryUri(), e);
            throw new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE,
                    "the OpenID provider's discovery document " + config.discoveryUri() + " could not be read ("
                            + Errors.rootMessage(e) + "); check the issuer setting and that the provider is reachable", e);
        }
    }

    /** pac4j's resolver, used only for the fetch: its own cache would probe the URL on every use. */
    private static final class Fetcher extends OidcOpMetadataResolver {
        Fetcher(OidcConfiguration configuration) {
            super(configuration);
        }

        OIDCProviderMetadata fetch() {
            return retrieveMetadata();
        }
    }
}
