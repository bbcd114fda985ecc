package org.idbroker.core.events;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.idbroker.core.users.Users;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The event log. */
public final class Events {

    public static final String SIGN_IN = "sign-in";
    public static final String SIGN_OUT = "sign-out";
    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private final Jdbi jdbi;

    public Events(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    public void record(String type, String outcome, String reason, String message, UUID userId, String providerId,
            Map<String, ?> details) {
        jdbi.useHandle(h -> record(h, type, outcome, reason, message, userId, providerId, details));
    }

    /** Writes an event in the caller's transaction, with the origin of the request being served, and tells its listener. */
    public static void record(Handle h, String type, String outcome, String reason, String message, UUID userId,
            String providerId, Map<String, ?> given) {
        Optional<RequestScope> scope = RequestScope.current();
        RequestScope.Origin origin = scope.map(RequestScope::origin).orElse(RequestScope.Origin.NONE);
        Map<String, ?> details = attributed(origin, given);
        h.createUpdate("""
                insert into events (type, outcome, reason, message, user_id, provider_id, details, client_address,
                    user_agent, request_id)
                values (:type, :outcome, :reason, :message, :user, :provider, cast(:details as jsonb), :client, :agent,
                    :request)""")
                .bind("type", type).bind("outcome", outcome).bind("reason", reason).bind("message", message)
                .bind("user", userId).bind("provider", providerId).bind("details", json(details))
                .bind("client", clip(origin.clientAddress(), 100)).bind("agent", clip(origin.userAgent(), 512))
                .bind("request", clip(origin.requestId(), 100))
                .execute();
        scope.ifPresent(s -> {
            try {
                s.listener().recorded(type, outcome, reason, providerId, details);
            } catch (RuntimeException e) {
                // counting an event must never undo it, nor the sign-in it belongs to
                LOG.warn("An event listener failed on a {} event: {}", type, e.toString());
            }
        });
    }

    /**
     * Deletes events older than {@code cutoff}, at most {@code batch} rows per statement so no statement
     * holds the table long; returns how many went.
     */
    public int purgeOlderThan(Instant cutoff, int batch) {
        int total = 0;
        int deleted;
        do {
            deleted = jdbi.withHandle(h -> h.createUpdate(
                    "delete from events where id in (select id from events where at < :cutoff order by id limit :batch)")
                    .bind("cutoff", cutoff).bind("batch", batch).execute());
            total += deleted;
        } while (deleted == batch);
        return total;
    }

    private static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    /** Events matching the filter, newest first. */
    public List<Event> find(EventFilter filter) {
        StringBuilder sql = new StringBuilder("select * from events where true");
        if (filter.type() != null) {
            sql.append(" and type = :type");
        }
        if (filter.outcome() != null) {
            sql.append(" and outcome = :outcome");
        }
        if (filter.userId() != null) {
            sql.append(" and user_id = :user");
        }
        if (filter.providerId() != null) {
            sql.append(" and provider_id = :provider");
        }
        if (filter.clientAddress() != null) {
            sql.append(" and client_address = :client");
        }
        if (filter.userAgent() != null) {
            sql.append(" and strpos(lower(user_agent), lower(:agent)) > 0");
        }
        if (filter.requestId() != null) {
            sql.append(" and request_id = :request");
        }
        if (filter.from() != null) {
            sql.append(" and at >= :from");
        }
        if (filter.to() != null) {
            sql.append(" and at < :to");
        }
        if (filter.after() != null) {
            // a stream: the events after a cursor, oldest first, for shipping them elsewhere
            sql.append(" and id > :after order by id limit :limit");
        } else {
            sql.append(" order by id desc limit :limit offset :offset");
        }
        return jdbi.withHandle(h -> {
            Query query = h.createQuery(sql.toString())
                    .bind("type", filter.type()).bind("outcome", filter.outcome()).bind("user", filter.userId())
                    .bind("provider", filter.providerId()).bind("from", filter.from()).bind("to", filter.to())
                    .bind("client", filter.clientAddress()).bind("agent", filter.userAgent())
                    .bind("request", filter.requestId()).bind("after", filter.after())
                    .bind("limit", filter.limit()).bind("offset", filter.offset());
            return query.map((rs, ctx) -> new Event(
                    rs.getLong("id"),
                    Users.instant(rs, "at"),
                    rs.getString("type"),
                    rs.getString("outcome"),
                    rs.getString("reason"),
                    rs.getString("message"),
                    rs.getObject("user_id", UUID.class),
                    rs.getString("provider_id"),
                    parse(rs.getString("details")),
                    rs.getString("client_address"),
                    rs.getString("user_agent"),
                    rs.getString("request_id"))).list();
        });
    }

    /**
     * What to look for in the event log. Null fields match everything; {@code userAgent} matches any user
     * agent containing it (ignoring case), the other fields match exactly. With {@code after} (an event id)
     * the events after it come oldest first and {@code offset} is not used: a cursor for reading the log as a stream.
     */
    public record EventFilter(String type, String outcome, UUID userId, String providerId, String clientAddress,
            String userAgent, String requestId, Instant from, Instant to, int limit, int offset, Long after) {
        public EventFilter {
            if (limit < 1 || limit > 500) {
                throw new IllegalArgumentException("limit must be between 1 and 500");
            }
            if (offset < 0) {
                throw new IllegalArgumentException("offset must not be negative");
            }
            if (after != null && after < 0) {
                throw new IllegalArgumentException("after must not be negative");
            }
        }

        /** Without looking at where the events came from. */
        public EventFilter(String type, String outcome, UUID userId, String providerId, Instant from, Instant to,
                int limit, int offset) {
            this(type, outcome, userId, providerId, null, null, null, from, to, limit, offset, null);
        }
    }

    /** The event's own details, after what its scope attributes every event to (an apply's actor and file digest). */
    private static Map<String, ?> attributed(RequestScope.Origin origin, Map<String, ?> given) {
        if (origin.attribution().isEmpty()) {
            return given == null ? Map.of() : given;
        }
        Map<String, Object> details = new LinkedHashMap<>(origin.attribution());
        if (given != null) {
            details.putAll(given);
        }
        return details;
    }

    private static String json(Map<String, ?> details) {
        try {
            return JSON.writeValueAsString(details == null ? Map.of() : details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event details are not serializable", e);
        }
    }

    private static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
