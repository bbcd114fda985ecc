package org.idbroker.core.oauth;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Back-channel logout deliveries. The clients that received tokens in a session are recorded; when the
 * session row is deleted, a trigger queues a delivery for each of them that has a back-channel URI.
 * A node takes due deliveries with {@code FOR UPDATE SKIP LOCKED} and holds them while it posts: a
 * node dying mid-delivery releases them to the others, so none is lost; a failed one is retried with
 * a growing delay, at most {@link #MAX_ATTEMPTS} times.
 */
public final class BackchannelLogouts {

    public static final int MAX_ATTEMPTS = 8;

    private final Jdbi jdbi;

    public BackchannelLogouts(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    /** A logout to tell a client about. */
    public record Delivery(long id, String clientId, String uri, UUID sessionId, UUID userId, int attempts) {
    }

    /** What sending a delivery gave: {@code null} when it was received, else why not. */
    @FunctionalInterface
    public interface Sender {
        String send(Delivery delivery);
    }

    /** Notes that {@code clientId} received tokens in {@code sessionId}. */
    public void record(UUID sessionId, String clientId) {
        jdbi.useHandle(h -> h.createUpdate("""
                insert into session_clients (session_id, client_id) values (:session, :client) on conflict do nothing""")
                .bind("session", sessionId).bind("client", clientId).execute());
    }

    /** Sends up to {@code limit} due deliveries; returns how many were received. */
    public int deliverDue(int limit, Sender sender) {
        return jdbi.inTransaction(h -> {
            List<Delivery> due = h.createQuery("""
                    select d.id, d.client_id, c.backchannel_logout_uri, d.session_id, d.user_id, d.attempts
                    from backchannel_deliveries d join clients c on c.id = d.client_id
                    where d.next_attempt_at <= now() and c.backchannel_logout_uri is not null
                    order by d.next_attempt_at limit :limit for update of d skip locked""")
                    .bind("limit", limit)
                    .map((rs, ctx) -> new Delivery(rs.getLong("id"), rs.getString("client_id"), rs.getString("backchannel_logout_uri"),
                            rs.getObject("session_id", UUID.class), rs.getObject("user_id", UUID.class), rs.getInt("attempts")))
                    .list();
            int received = 0;
            for (Delivery delivery : due) {
                String failure = sender.send(delivery);
                if (failure == null) {
                    h.createUpdate("delete from backchannel_deliveries where id = :id").bind("id", delivery.id()).execute();
                    received++;
                } else if (delivery.attempts() + 1 >= MAX_ATTEMPTS) {
                    h.createUpdate("delete from backchannel_deliveries where id = :id").bind("id", delivery.id()).execute();
                    org.idbroker.core.events.Events.record(h, "backchannel-logout", org.idbroker.core.events.Events.FAILURE,
                            "delivery_failed", failure, delivery.userId(), null, java.util.Map.of("clientId", delivery.clientId()));
                } else {
                    long delay = Duration.ofSeconds(5).toSeconds() << delivery.attempts();
                    h.createUpdate("""
                            update backchannel_deliveries set attempts = attempts + 1, last_error = :error,
                                next_attempt_at = now() + make_interval(secs => :delay) where id = :id""")
                            .bind("id", delivery.id()).bind("error", failure.length() > 500 ? failure.substring(0, 500) : failure)
                            .bind("delay", (double) delay).execute();
                }
            }
            return received;
        });
    }
}
