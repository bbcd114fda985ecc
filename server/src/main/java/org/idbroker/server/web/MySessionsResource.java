package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.idbroker.core.events.Events;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.server.BrokerConfig;
import org.idbroker.server.auth.Authenticator;
import org.idbroker.server.auth.Cookies;
import org.idbroker.core.users.Caller;

/** Your own sessions: see where you are signed in, and end one or all of them. */
@Path("/api/users/me/sessions")
@Produces(MediaType.APPLICATION_JSON)
public final class MySessionsResource {

    static final String EVENT = "sessions-ended";

    private final Authenticator authenticator;
    private final Sessions sessions;
    private final Events events;
    private final BrokerConfig config;

    @Inject
    public MySessionsResource(Authenticator authenticator, Sessions sessions, Events events, BrokerConfig config) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.events = requireNonNull(events, "events is null");
        this.config = requireNonNull(config, "config is null");
    }

    @GET
    public List<SessionView> list(@Context HttpHeaders headers) {
        Caller me = authenticator.require(headers);
        return sessions.list(me.user().id()).stream().map(s -> SessionView.of(s, sessions, me.sessionId())).toList();
    }

    /** Ends one of your sessions; ending the current one signs this browser out. */
    @DELETE
    @Path("/{sessionId}")
    public Response end(@PathParam("sessionId") String sessionId, @Context HttpHeaders headers) {
        Caller me = authenticator.require(headers);
        UUID id = parse(sessionId);
        if (id == null || !sessions.delete(me.user().id(), id)) {
            throw ApiException.notFound("You have no session with id '" + shorten(sessionId)
                    + "': list yours with GET /api/users/me/sessions.");
        }
        events.record(EVENT, Events.SUCCESS, null, null, me.user().id(), null, Map.of("sessions", 1, "by", "self"));
        Response.ResponseBuilder answer = Response.noContent();
        if (id.equals(me.sessionId())) {
            answer.cookie(Cookies.clearSession(config.secureCookies()));
        }
        return answer.build();
    }

    /** Ends all your sessions, or all but the current one with {@code keepCurrent=true}. */
    @DELETE
    public Response endAll(@QueryParam("keepCurrent") String keepCurrent, @Context HttpHeaders headers) {
        Caller me = authenticator.require(headers);
        boolean keep;
        if (keepCurrent == null || keepCurrent.equals("false")) {
            keep = false;
        } else if (keepCurrent.equals("true")) {
            keep = true;
        } else {
            throw ApiException.badRequest("invalid_request", "keepCurrent must be true or false.");
        }
        if (keep && !me.viaSession()) {
            throw ApiException.badRequest("invalid_request", "keepCurrent=true needs a session: this request used an API key.");
        }
        int ended = keep ? sessions.deleteAllExcept(me.user().id(), me.sessionId()) : sessions.deleteAll(me.user().id());
        events.record(EVENT, Events.SUCCESS, null, null, me.user().id(), null, Map.of("sessions", ended, "by", "self"));
        Response.ResponseBuilder answer = Response.ok(Map.of("ended", ended));
        if (!keep) {
            answer.cookie(Cookies.clearSession(config.secureCookies()));
        }
        return answer.build();
    }

    static UUID parse(String id) {
        if (id == null || id.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** An id fit to repeat in a message. */
    static String shorten(String value) {
        String cleaned = value.replaceAll("[^A-Za-z0-9._-]", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "..." : cleaned;
    }
}
