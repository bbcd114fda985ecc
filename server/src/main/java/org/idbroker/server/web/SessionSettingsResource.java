package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.idbroker.core.events.Events;
import org.idbroker.core.sessions.SessionLifetimes;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.core.sessions.StoredSessionLifetimes;
import org.idbroker.server.auth.Authenticator;
import org.idbroker.core.users.Caller;
import org.idbroker.server.sessions.SessionMaintenance;

/**
 * Session lifetimes, changed at run time by an administrator ({@code administer-system}). They are
 * stored in the database; every node picks them up within {@link SessionMaintenance#REFRESH_INTERVAL},
 * and they apply to existing sessions too.
 */
@Path("/api/configuration/sessions")
@Produces(MediaType.APPLICATION_JSON)
public final class SessionSettingsResource {

    static final String EVENT = "configuration-changed";
    static final long MAX_MINUTES = SessionLifetimes.MAX_MINUTES;
    private static final Set<String> FIELDS = Set.of("idleMinutes", "absoluteMinutes");

    private final Authenticator authenticator;
    private final Sessions sessions;
    private final StoredSessionLifetimes stored;
    private final SessionMaintenance maintenance;
    private final Events events;

    @Inject
    public SessionSettingsResource(Authenticator authenticator, Sessions sessions, StoredSessionLifetimes stored,
            SessionMaintenance maintenance, Events events) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.stored = requireNonNull(stored, "stored is null");
        this.maintenance = requireNonNull(maintenance, "maintenance is null");
        this.events = requireNonNull(events, "events is null");
    }

    @GET
    public LifetimeSettings get(@Context HttpHeaders headers) {
        authenticator.require(headers, "administer-system");
        return LifetimeSettings.of(sessions.lifetimes());
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public LifetimeSettings put(JsonNode wanted, @Context HttpHeaders headers) {
        Caller admin = authenticator.require(headers, "administer-system");
        if (wanted == null || !wanted.isObject()) {
            throw ApiException.badRequest("invalid_request", "Send a JSON object {\"idleMinutes\": N, \"absoluteMinutes\": M}.");
        }
        wanted.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest("invalid_request", "Unknown field '" + MySessionsResource.shorten(name)
                        + "': only idleMinutes and absoluteMinutes can be set.");
            }
        });
        long idle = minutes("idleMinutes", wanted.get("idleMinutes"));
        long absolute = minutes("absoluteMinutes", wanted.get("absoluteMinutes"));
        String order = SessionLifetimes.orderProblem(idle, absolute);
        if (order != null) {
            throw ApiException.badRequest("invalid_request", order);
        }
        SessionLifetimes before = sessions.lifetimes();
        stored.save(new SessionLifetimes(Duration.ofMinutes(idle), Duration.ofMinutes(absolute)));
        SessionLifetimes now = maintenance.refreshLifetimes();
        events.record(EVENT, Events.SUCCESS, null, null, admin.user().id(), null, Map.of("setting", "sessions",
                "before", LifetimeSettings.of(before).asMap(), "after", LifetimeSettings.of(now).asMap()));
        return LifetimeSettings.of(now);
    }

    private static long minutes(String field, JsonNode value) {
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("invalid_request", field + " is missing: give a whole number of minutes.");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ApiException.badRequest("invalid_request", field + " must be a whole number of minutes, got "
                    + MySessionsResource.shorten(value.toString()) + ".");
        }
        long minutes = value.asLong();
        String problem = SessionLifetimes.minutesProblem(field, minutes);
        if (problem != null) {
            throw ApiException.badRequest("invalid_request", problem);
        }
        return minutes;
    }

    /** Session lifetimes in whole minutes, as the API reads and writes them. */
    public record LifetimeSettings(long idleMinutes, long absoluteMinutes) {
        static LifetimeSettings of(SessionLifetimes lifetimes) {
            return new LifetimeSettings(lifetimes.idle().toMinutes(), lifetimes.absolute().toMinutes());
        }

        Map<String, Long> asMap() {
            return Map.of("idleMinutes", idleMinutes, "absoluteMinutes", absoluteMinutes);
        }
    }
}
