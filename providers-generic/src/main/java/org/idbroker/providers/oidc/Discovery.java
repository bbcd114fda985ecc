package org.idbroker.providers.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.idbroker.spi.IdpCalls;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;
import org.pac4j.oidc.config.OidcConfiguration;
import org.pac4j.oidc.exceptions.OidcException;
import org.pac4j.oidc.metadata.OidcOpMetadataResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the IdP's discovery document with pac4j's resolver, lazily, and keeps it (with the keys built
 * from it) for a bounded time. Thread-safe, and no lock is held while the IdP is asked: the first
 * caller of a cold (or expired) cache fetches, and every caller meanwhile waits for that one fetch,
 * no longer than the IdP timeout. The fetch itself runs under that deadline and a size cap.
 */
final class Discovery {

    /** The most a discovery document may hold. */
    static final int MAX_DOCUMENT_BYTES = 512 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);

    private final OidcConfig config;
    private final BoundedSender sender;
    private final Clock clock;
    private final Object lock = new Object();
    private volatile Fetched current;
    private CompletableFuture<Fetched> inFlight;
    private boolean closed;

    Discovery(OidcConfig config, BoundedSender sender, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.sender = requireNonNull(sender, "sender is null").withCap(MAX_DOCUMENT_BYTES);
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The cached metadata, fetched when absent or older than the configured lifetime. */
    IdpMetadata get() throws SignInRejectedException {
        Fetched seen = current;
        if (seen != null && !seen.expired(clock.instant())) {
            return seen.metadata;
        }
        CompletableFuture<Fetched> fetch;
        boolean mine = false;
        synchronized (lock) {
            seen = current;
            if (seen != null && !seen.expired(clock.instant())) {
                return seen.metadata;
            }
            if (inFlight == null) {
                inFlight = new CompletableFuture<>();
                mine = true;
            }
            fetch = inFlight;
        }
        if (mine) {
            fetchInto(fetch);
        }
        return await(fetch).metadata;
    }

    /** Fetches for everyone waiting on {@code fetch}, on this thread, holding no lock. */
    private void fetchInto(CompletableFuture<Fetched> fetch) {
        try {
            Fetched fetched = new Fetched(new IdpMetadata(config, sender, fetch()), clock.instant());
            synchronized (lock) {
                // the previous metadata may still be in use by a sign-in: it is left to the garbage collector
                if (!closed) {
                    current = fetched;
                }
                inFlight = null;
            }
            fetch.complete(fetched);
        } catch (SignInRejectedException | RuntimeException e) {
            synchronized (lock) {
                inFlight = null;
            }
            fetch.completeExceptionally(e);
        }
    }

    private Fetched await(CompletableFuture<Fetched> fetch) throws SignInRejectedException {
        try {
            // the fetch has its own deadline; this one only keeps a waiter from outliving it
            return fetch.get(sender.deadline().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SignInRejectedException rejected) {
                throw rejected;
            }
            throw unavailable(e.getCause());
        } catch (TimeoutException e) {
            throw unavailable(new IOException("no complete answer within " + sender.deadline().toSeconds() + " s"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        }
    }

    /** Forgets the cached metadata and releases its key source. */
    void close() {
        Fetched last;
        synchronized (lock) {
            closed = true;
            last = current;
            current = null;
        }
        if (last != null) {
            last.metadata.close();
        }
    }

    /** Reads the discovery document now, without touching the cache. */
    OIDCProviderMetadata fetch() throws SignInRejectedException {
        OidcConfiguration pac4j = new OidcConfiguration();
        pac4j.setClientId(config.clientId());
        pac4j.setDiscoveryURI(config.discoveryUri().toString());
        long start = System.nanoTime();
        try {
            OIDCProviderMetadata metadata = new Fetcher(pac4j, sender).fetch();
            config.idpCalls().called(IdpCalls.DISCOVERY, IdpCalls.Outcome.OK, System.nanoTime() - start);
            LOG.debug("read discovery document {} (issuer {})", config.discoveryUri(), metadata.getIssuer());
            return metadata;
        } catch (RuntimeException e) {
            // pac4j does not say whether the IdP answered with an error or not at all
            config.idpCalls().called(IdpCalls.DISCOVERY, IdpCalls.Outcome.UNREACHABLE, System.nanoTime() - start);
            LOG.debug("discovery document {} could not be read", config.discoveryUri(), e);
            throw unavailable(e);
        }
    }

    private SignInRejectedException unavailable(Throwable cause) {
        return new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE,
                "the OpenID provider's discovery document " + config.discoveryUri() + " could not be read ("
                        + Errors.rootMessage(cause) + "); check the issuer setting and that the provider is reachable", cause);
    }

    /** Metadata and when it was read. */
    private final class Fetched {
        final IdpMetadata metadata;
        final Instant fetchedAt;

        Fetched(IdpMetadata metadata, Instant fetchedAt) {
            this.metadata = metadata;
            this.fetchedAt = fetchedAt;
        }

        boolean expired(Instant now) {
            return fetchedAt.plus(config.discoveryLifetime()).isBefore(now);
        }
    }

    /**
     * pac4j's resolver, used only for the fetch (its own cache would probe the URL on every use), with
     * its retrieval replaced: pac4j reads through {@code HttpURLConnection} with a timeout per read and
     * no size limit, this reads through the {@link BoundedSender}.
     */
    private static final class Fetcher extends OidcOpMetadataResolver {
        private final BoundedSender sender;

        Fetcher(OidcConfiguration configuration, BoundedSender sender) {
            super(configuration);
            this.sender = sender;
        }

        OIDCProviderMetadata fetch() {
            return retrieveMetadata();
        }

        @Override
        protected OIDCProviderMetadata retrieveMetadata() {
            try {
                HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, java.net.URI.create(configuration.getDiscoveryURI()));
                request.setAccept("application/json");
                HTTPResponse response = request.send(sender);
                if (response.getStatusCode() != HTTPResponse.SC_OK) {
                    throw new OidcException("it answered HTTP " + response.getStatusCode());
                }
                return OIDCProviderMetadata.parse(response.getBody());
            } catch (IOException | ParseException e) {
                throw new OidcException(e.getMessage(), e);
            }
        }
    }
}
