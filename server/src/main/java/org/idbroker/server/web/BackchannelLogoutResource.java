package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.idbroker.core.events.Events;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.core.sessions.IdpLogouts;
import org.idbroker.core.providers.ConfiguredProvider;
import org.idbroker.server.providers.IdpCallLimit;
import org.idbroker.server.providers.ProviderRegistry;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.LogoutNotice;
import org.idbroker.spi.SignInRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenID Connect Back-Channel Logout: the IdP posts a signed logout token when a session ends there
 * (someone signed out, or an administrator disabled them), and the broker ends the matching
 * sessions. Called server to server, without cookies. Answers 200, or 400 with the reason.
 */
@Path("/api/users/backchannel-logout/{providerId}")
@Produces(MediaType.APPLICATION_JSON)
public final class BackchannelLogoutResource {

    static final int MAX_TOKEN_LENGTH = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(BackchannelLogoutResource.class);

    private final ProviderRegistry providers;
    private final IdpLogouts logouts;
    private final Events events;

    @Inject
    public BackchannelLogoutResource(ProviderRegistry providers, IdpLogouts logouts, Events events) {
        this.providers = requireNonNull(providers, "providers is null");
        this.logouts = requireNonNull(logouts, "logouts is null");
        this.events = requireNonNull(events, "events is null");
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@PathParam("providerId") String providerId, MultivaluedMap<String, String> form) {
        String id = ProviderStore.ID.matcher(providerId).matches() ? providerId : null;
        Optional<IdentityProvider> provider = id == null ? Optional.empty()
                : providers.find(id).flatMap(ConfiguredProvider::usable);
        if (provider.isEmpty()) {
            return refuse(id, "provider_unknown", "there is no usable provider '" + (id == null ? "(invalid id)" : id)
                    + "' on this broker: check the Logout URI registered at the IdP");
        }
        List<String> tokens = form == null ? List.of() : form.getOrDefault("logout_token", List.of());
        if (tokens.size() != 1 || tokens.get(0) == null || tokens.get(0).isBlank()) {
            return refuse(id, "logout_token_missing", "send exactly one logout_token form field");
        }
        if (tokens.get(0).length() > MAX_TOKEN_LENGTH) {
            return refuse(id, "logout_token_invalid", "the logout token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        LogoutNotice notice;
        try {
            notice = provider.get().validateLogoutToken(tokens.get(0));
        } catch (SignInRejectedException e) {
            if (IdpCallLimit.isBusy(e)) {
                // the IdP retries a logout it could not deliver: tell it when
                return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(Map.of("error", "temporarily_unavailable", "error_description", e.getMessage()))
                        .header("Retry-After", IdpCallLimit.RETRY_AFTER_SECONDS).header("Cache-Control", "no-store").build();
            }
            return refuse(id, e.reason().code(), e.getMessage());
        }
        IdpLogouts.Outcome outcome = logouts.end(id, notice);
        if (outcome.replayed()) {
            return refuse(id, "logout_token_replayed", "this logout token (jti) was received before; each is accepted once");
        }
        LOG.info("Back-channel logout from {} ended {} session(s)", id, outcome.sessionsEnded());
        return Response.ok().header("Cache-Control", "no-store").build();
    }

    /** Anything but a form post: said plainly rather than as an unsupported media type. */
    @POST
    public Response notAForm(@PathParam("providerId") String providerId) {
        String id = ProviderStore.ID.matcher(providerId).matches() ? providerId : null;
        return refuse(id, "invalid_request", "send the logout token as an application/x-www-form-urlencoded form field logout_token");
    }

    private Response refuse(String providerId, String reason, String description) {
        LOG.warn("Back-channel logout from {} refused: {}: {}", providerId == null ? "(invalid id)" : providerId, reason, description);
        events.record(IdpLogouts.EVENT, Events.FAILURE, reason, description, null, providerId, Map.of());
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", "invalid_request");
        body.put("error_description", description);
        body.put("message", description);
        body.put("reason", reason);
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE).entity(body)
                .header("Cache-Control", "no-store").build();
    }
}
