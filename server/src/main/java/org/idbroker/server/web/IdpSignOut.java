package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import java.net.URI;
import java.util.Optional;
import org.idbroker.core.providers.ConfiguredProvider;
import org.idbroker.core.sessions.Session;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.server.BrokerConfig;
import org.idbroker.server.providers.ProviderRegistry;
import org.idbroker.spi.EndSessionRequest;
import org.idbroker.spi.IdentityProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where to send a browser so that its session at the upstream IdP ends too (OpenID Connect
 * RP-Initiated Logout at the IdP): the provider's end-session address when the session came from a
 * provider whose Sign Out at the Provider is on and that publishes one. The IdP sends the browser back
 * to the broker's sign-in page, the address registered there.
 */
public final class IdpSignOut {

    /** Where the IdP sends the browser after signing out there. */
    public static final String SIGN_IN_PAGE = "/app/sign-in";
    private static final Logger LOG = LoggerFactory.getLogger(IdpSignOut.class);

    private final Sessions sessions;
    private final ProviderRegistry providers;
    private final BrokerConfig config;

    @Inject
    public IdpSignOut(Sessions sessions, ProviderRegistry providers, BrokerConfig config) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.providers = requireNonNull(providers, "providers is null");
        this.config = requireNonNull(config, "config is null");
    }

    /**
     * The IdP's end-session address for {@code session} (read before the session is deleted: its ID token
     * goes along as the hint), with {@code state} for the IdP to send back, or empty.
     */
    public Optional<URI> endSessionUri(Session session, String token, String state) {
        if (session.providerId() == null) {
            return Optional.empty();
        }
        Optional<IdentityProvider> provider = providers.find(session.providerId()).flatMap(ConfiguredProvider::usable);
        if (provider.isEmpty()) {
            return Optional.empty();
        }
        String idToken;
        try {
            idToken = sessions.idToken(token).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("The ID token of a session could not be read for sign-out at {}: {}", session.providerId(), e.getMessage());
            idToken = null;
        }
        URI back = URI.create(config.publicUrl() + SIGN_IN_PAGE);
        try {
            return provider.get().endSessionUri(new EndSessionRequest(idToken, back, state));
        } catch (RuntimeException e) {
            LOG.warn("No sign-out at {}: {}", session.providerId(), e.getMessage());
            return Optional.empty();
        }
    }
}
