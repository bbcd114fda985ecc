package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.idbroker.core.events.Events;
import org.idbroker.core.sessions.Session;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.core.teams.Membership;
import org.idbroker.core.teams.TeamRef;
import org.idbroker.core.users.User;
import org.idbroker.server.BrokerConfig;
import org.idbroker.server.auth.Authenticator;
import org.idbroker.server.auth.Cookies;
import org.idbroker.core.users.Caller;

/** The signed-in user: who they are, and signing out (here and at the IdP). */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
public final class MeResource {

    private final Authenticator authenticator;
    private final Sessions sessions;
    private final Events events;
    private final BrokerConfig config;
    private final IdpSignOut idpSignOut;

    @Inject
    public MeResource(Authenticator authenticator, Sessions sessions, Events events,
            BrokerConfig config, IdpSignOut idpSignOut) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.events = requireNonNull(events, "events is null");
        this.config = requireNonNull(config, "config is null");
        this.idpSignOut = requireNonNull(idpSignOut, "idpSignOut is null");
    }

    /**
     * Who the caller is. Runs at every page load of the web app and for automation, so it stays lean:
     * one statement reads the session or key, user, teams, permissions and identities, and the
     * credentials come as plain parameters (no per-request injection look-up).
     */
    @GET
    @Path("/me")
    public Me me(@HeaderParam(Authenticator.API_KEY_HEADER) String apiKey, @CookieParam(Cookies.SESSION) String sessionToken) {
        Caller caller = authenticator.authenticate(apiKey, sessionToken, true).orElseThrow(ApiException::unauthorized);
        User user = caller.user();
        Membership membership = caller.membership();
        List<IdentityView> identities = caller.identities().stream()
                .map(i -> new IdentityView(i.providerId(), i.issuer(), i.subject(), i.email())).toList();
        return new Me(user.id(), user.username(), user.displayName(), user.email(), identities, user.externalGroups(),
                membership.teams(), membership.permissions());
    }

    /**
     * Ends this browser's session. When the session came from a provider that publishes an
     * end-session endpoint (and whose "Sign out at the IdP" setting is on), the answer names the
     * address to send the browser to next, so the session at the IdP ends too (OpenID Connect
     * RP-Initiated Logout); the IdP sends the browser back to the sign-in page.
     */
    @POST
    @Path("/sign-out")
    public Response signOut(@Context HttpHeaders headers) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("signedOut", true);
        Optional<String> token = Authenticator.sessionToken(headers);
        if (token.isPresent()) {
            Optional<Session> session = sessions.find(token.get());
            Optional<URI> atIdp = session.flatMap(s -> idpSignOut.endSessionUri(s, token.get(), null));
            sessions.delete(token.get());
            session.ifPresent(s -> events.record(Events.SIGN_OUT, Events.SUCCESS, null, null, s.userId(), s.providerId(),
                    Map.of("signedOutAtIdp", atIdp.isPresent())));
            atIdp.ifPresent(uri -> answer.put("redirectTo", uri.toString()));
        }
        return Response.ok(answer).cookie(Cookies.clearSession(config.secureCookies()))
                .header("Cache-Control", "no-store").build();
    }

    /** The answer of {@code GET /api/users/me}. */
    public record Me(UUID id, String username, String displayName, String emailAddress, List<IdentityView> externalIdentities,
            List<String> externalGroups, List<TeamRef> teams, Set<String> permissions) {
    }

    /** An external identity as the user sees it. */
    public record IdentityView(String providerId, String issuer, String subject, String emailAddress) {
    }
}
