package org.idbroker.server.web;

import java.time.Instant;
import java.util.UUID;
import org.idbroker.core.sessions.Session;
import org.idbroker.core.sessions.Sessions;

/**
 * A session as its owner (or an administrator) sees it; never the token.
 *
 * @param id the session id, to end it
 * @param created when the sign-in happened
 * @param lastSeen when the session was last used (to the minute)
 * @param expiresAt when it ends unless used again
 * @param providerId the provider signed in through, or {@code null}
 * @param current whether this is the session of the request itself
 */
public record SessionView(UUID id, Instant created, Instant lastSeen, Instant expiresAt, String providerId, boolean current) {

    static SessionView of(Session session, Sessions sessions, UUID currentSessionId) {
        return new SessionView(session.id(), session.created(), session.lastSeen(), sessions.endsAt(session),
                session.providerId(), session.id().equals(currentSessionId));
    }
}
