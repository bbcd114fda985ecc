package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.idbroker.core.events.Event;
import org.idbroker.core.events.Events;
import org.idbroker.core.events.Events.EventFilter;
import org.idbroker.core.teams.Permission;
import org.idbroker.server.auth.Authenticator;

/**
 * The event log, newest first, filtered and paged, or read as a stream after a cursor
 * ({@code ?after=<id>}, oldest first); reading it needs {@code view-events}.
 */
@Path("/api/events")
@Produces(MediaType.APPLICATION_JSON)
public final class EventsResource {

    private final Authenticator authenticator;
    private final Events events;

    @Inject
    public EventsResource(Authenticator authenticator, Events events) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.events = requireNonNull(events, "events is null");
    }

    /**
     * @param from the earliest time, inclusive (ISO-8601)
     * @param to the latest time, exclusive (ISO-8601)
     */
    @GET
    public EventPage find(@QueryParam("type") String type, @QueryParam("outcome") String outcome,
            @QueryParam("userId") String userId, @QueryParam("providerId") String providerId,
            @QueryParam("clientAddress") String clientAddress, @QueryParam("userAgent") String userAgent,
            @QueryParam("requestId") String requestId,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("offset") String offset,
            @QueryParam("limit") String limit, @QueryParam("after") String after, @Context HttpHeaders headers) {
        authenticator.require(headers, Permission.VIEW_EVENTS);
        Instant fromInstant = Params.instant("from", from);
        Instant toInstant = Params.instant("to", to);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            throw ApiException.badRequest("invalid_to", "to must be later than from");
        }
        EventFilter filter = new EventFilter(Params.text("type", type, 100), Params.text("outcome", outcome, 100),
                Params.uuid("userId", userId), Params.text("providerId", providerId, 100),
                Params.text("clientAddress", clientAddress, 100), Params.text("userAgent", userAgent, 200),
                Params.text("requestId", requestId, 100), fromInstant, toInstant,
                Params.integer("limit", limit, 100, 1, 500), Params.integer("offset", offset, 0, 0, Integer.MAX_VALUE),
                cursor(after));
        List<Event> found = events.find(filter);
        Long next = filter.after() == null ? null : found.isEmpty() ? filter.after() : found.get(found.size() - 1).id();
        return new EventPage(found, filter.offset(), filter.limit(), next);
    }

    private static Long cursor(String after) {
        if (after == null) {
            return null;
        }
        try {
            long id = Long.parseLong(after.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw ApiException.badRequest("invalid_after", "after must be an event id (a whole number, 0 for the start), got '"
                + (after.length() > 40 ? after.substring(0, 40) + "..." : after) + "'");
    }

    /**
     * One page of events. With {@code after}, {@code next} is the cursor for the following call (the last
     * event's id, or the same cursor when nothing new came); without it, null.
     */
    public record EventPage(List<Event> items, int offset, int limit, Long next) {
    }
}
