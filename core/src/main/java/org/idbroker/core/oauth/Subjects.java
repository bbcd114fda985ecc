package org.idbroker.core.oauth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.UUID;
import org.idbroker.core.teams.Membership;
import org.idbroker.core.teams.Memberships;
import org.idbroker.core.users.User;
import org.idbroker.core.users.Users;
import org.jdbi.v3.core.Jdbi;

/**
 * Who a token is about, read at the moment a token is issued or used, so a disabled user, an ended
 * session or a changed team shows at the next call on every node.
 */
public final class Subjects {

    private final Jdbi jdbi;
    private final Memberships memberships;

    public Subjects(Jdbi jdbi, Memberships memberships) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.memberships = requireNonNull(memberships, "memberships is null");
    }

    /** A user and their teams and permissions now. */
    public record Subject(User user, Membership membership) {
    }

    /**
     * The active user, when {@code sessionId} is {@code null} or names a session of theirs that has not
     * ended; else empty.
     */
    public Optional<Subject> find(UUID userId, UUID sessionId) {
        Optional<User> user = jdbi.withHandle(h -> {
            if (sessionId != null) {
                boolean live = h.createQuery("select count(*) from sessions where id = :id and user_id = :user and expires_at > now()")
                        .bind("id", sessionId).bind("user", userId).mapTo(Long.class).one() > 0;
                if (!live) {
                    return Optional.<User>empty();
                }
            }
            return Users.find(h, userId).filter(User::active);
        });
        return user.map(u -> new Subject(u, memberships.of(u.id())));
    }
}
