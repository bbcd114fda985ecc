package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.idbroker.core.events.Events;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.core.users.Users;
import org.idbroker.server.auth.Authenticator;
import org.idbroker.core.users.Caller;

/** A user's sessions, for administrators: see them ({@code view-users}), end them all ({@code edit-users}). */
@Path("/api/users/{userId: " + UserSessionsResource.UUID_PATTERN + "}/sessions")
@Produces(MediaType.APPLICATION_JSON)
public final class UserSessionsResource {

    static final String UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    private final Authenticator authenticator;
    private final Users users;
    private final Sessions sessions;
    private final Events events;

    @Inject
    public UserSessionsResource(Authenticator authenticator, Users users, Sessions sessions, Events events) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.users = requireNonNull(users, "users is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.events = requireNonNull(events, "events is null");
    }

    @GET
    public List<SessionView> list(@PathParam("userId") String userId, @Context HttpHeaders headers) {
        Caller admin = authenticator.require(headers, "view-users");
        UUID id = existingUser(userId);
        return sessions.list(id).stream().map(s -> SessionView.of(s, sessions, admin.sessionId())).toList();
    }

    /** Ends every session of the user: they must sign in again everywhere. */
    @DELETE
    public Map<String, Integer> endAll(@PathParam("userId") String userId, @Context HttpHeaders headers) {
        Caller admin = authenticator.require(headers, "edit-users");
        UUID id = existingUser(userId);
        int ended = sessions.deleteAll(id);
        events.record(MySessionsResource.EVENT, Events.SUCCESS, null, null, id, null,
                Map.of("sessions", ended, "by", admin.user().username()));
        return Map.of("ended", ended);
    }

    private UUID existingUser(String userId) {
        UUID id = UUID.fromString(userId);
        if (users.find(id).isEmpty()) {
            throw ApiException.notFound("There is no user with id " + id + ".");
        }
        return id;
    }
}
