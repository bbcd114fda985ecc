package org.idbroker.core.oauth;

import static java.util.Objects.requireNonNull;

import java.sql.Array;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.idbroker.core.sessions.SignInProof;
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

    private static List<String> amr(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    public Subjects(Jdbi jdbi, Memberships memberships) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.memberships = requireNonNull(memberships, "memberships is null");
    }

    /**
     * A user and their teams and permissions now, and what the sign-in of the session proved
     * ({@link SignInProof#NONE} without a session).
     */
    public record Subject(User user, Membership membership, SignInProof proof) {

        /** Whether the broker trusts the user's email address: the session's sign-in vouched for it as it is now. */
        public boolean emailVerified() {
            return proof.vouchesFor(user.email());
        }
    }

    /**
     * The active user, when {@code sessionId} is {@code null} or names a session of theirs that has not
     * ended; else empty.
     */
    public Optional<Subject> find(UUID userId, UUID sessionId) {
        return jdbi.withHandle(h -> {
            SignInProof proof = SignInProof.NONE;
            if (sessionId != null) {
                Optional<SignInProof> live = h.createQuery("""
                        select verified_email, amr, acr from sessions where id = :id and user_id = :user and expires_at > now()""")
                        .bind("id", sessionId).bind("user", userId)
                        .map((rs, ctx) -> new SignInProof(rs.getString("verified_email"), amr(rs.getArray("amr")), rs.getString("acr")))
                        .findOne();
                if (live.isEmpty()) {
                    return Optional.<Found>empty();
                }
                proof = live.get();
            }
            SignInProof found = proof;
            return Users.find(h, userId).filter(User::active).map(u -> new Found(u, found));
        }).map(f -> new Subject(f.user(), memberships.of(f.user().id()), f.proof()));
    }

    private record Found(User user, SignInProof proof) {
    }
}
