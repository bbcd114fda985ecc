package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.idbroker.core.events.Events;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.core.teams.Membership;
import org.idbroker.core.teams.Memberships;
import org.idbroker.core.teams.TeamRef;
import org.idbroker.core.users.Users;
import org.idbroker.server.BrokerConfig;
import org.idbroker.server.auth.Authenticator;
import org.idbroker.server.auth.Cookies;
import org.idbroker.server.auth.Principal;

/** The signed-in user: who they are, and signing out. */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
public final class MeResource {

    private final Authenticator authenticator;
    private final Users users;
    private final Memberships memberships;
    private final Sessions sessions;
    private final Events events;
    private final BrokerConfig config;

    @Inject
    public MeResource(Authenticator authenticator, Users users, Memberships memberships, Sessions sessions, Events events,
            BrokerConfig config) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.users = requireNonNull(users, "users is null");
        this.memberships = requireNonNull(memberships, "memberships is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.events = requireNonNull(events, "events is null");
        this.config = requireNonNull(config, "config is null");
    }

    @GET
    @Path("/me")
    public Me me(@Context HttpHeaders headers) {
        Principal principal = authenticator.require(headers);
        Membership membership = memberships.of(principal.user().id());
        List<IdentityView> identities = users.identities(principal.user().id()).stream()
                .map(i -> new IdentityView(i.providerId(), i.issuer(), i.subject(), i.email())).toList();
        return new Me(principal.user().id(), principal.user().username(), principal.user().displayName(),
                principal.user().email(), identities, principal.user().externalGroups(), membership.teams(),
                membership.permissions());
    }

    @POST
    @Path("/sign-out")
    public Response signOut(@Context HttpHeaders headers) {
        Authenticator.sessionToken(headers).ifPresent(token -> {
            authenticator.authenticate(headers).ifPresent(p -> events.record(Events.SIGN_OUT, Events.SUCCESS, null, null,
                    p.user().id(), null, Map.of()));
            sessions.delete(token);
        });
        return Response.ok(Map.of("signedOut", true)).cookie(Cookies.clearSession(config.secureCookies())).build();
    }

    /** The answer of {@code GET /api/users/me}. */
    public record Me(UUID id, String username, String displayName, String emailAddress, List<IdentityView> externalIdentities,
            List<String> externalGroups, List<TeamRef> teams, Set<String> permissions) {
    }

    /** An external identity as the user sees it. */
    public record IdentityView(String providerId, String issuer, String subject, String emailAddress) {
    }
}
