package org.idbroker.core.events;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * What the request being served on this thread tells the event log: where it came from, and who
 * listens to the events it records (the node's metrics). The HTTP layer opens one per request;
 * work outside a request (housekeeping) has none, and its events carry no origin.
 */
public final class RequestScope implements AutoCloseable {

    /** Told of every event recorded while a scope is open, after its row is written in the caller's transaction. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (type, outcome, reason, providerId, details) -> { };

        void recorded(String type, String outcome, String reason, String providerId, Map<String, ?> details);
    }

    /**
     * Where a request came from.
     *
     * @param requestId the request's id (the trusted proxy's {@code X-Request-Id}, else made here)
     * @param clientAddress the client's address (as a trusted proxy forwarded it, else the peer's)
     * @param userAgent the {@code User-Agent} header, or null
     * @param attribution what every event of the scope carries in its details when no signed-in person is behind it,
     *     such as {@code idbroker apply}'s actor and file digest; empty for requests
     */
    public record Origin(String requestId, String clientAddress, String userAgent, Map<String, Object> attribution) {
        public static final Origin NONE = new Origin(null, null, null);

        public Origin {
            attribution = attribution == null ? Map.of() : Map.copyOf(attribution);
        }

        public Origin(String requestId, String clientAddress, String userAgent) {
            this(requestId, clientAddress, userAgent, Map.of());
        }
    }

    private static final ThreadLocal<RequestScope> CURRENT = new ThreadLocal<>();

    private final Origin origin;
    private final Listener listener;
    private final RequestScope previous;

    private RequestScope(Origin origin, Listener listener, RequestScope previous) {
        this.origin = requireNonNull(origin, "origin is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.previous = previous;
    }

    /** Opens a scope on this thread until {@link #close()}. */
    public static RequestScope open(Origin origin, Listener listener) {
        RequestScope scope = new RequestScope(origin, listener, CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /** The scope open on this thread, if any. */
    public static Optional<RequestScope> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    public Origin origin() {
        return origin;
    }

    public Listener listener() {
        return listener;
    }

    @Override
    public void close() {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
