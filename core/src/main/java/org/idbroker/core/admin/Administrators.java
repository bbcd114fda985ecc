package org.idbroker.core.admin;

import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Keeps the broker administrable: at least one active user stays a member of the built-in
 * {@code Administrators} team. Members through external groups do not count, as the IdP may drop
 * the group at any sign-in. Changes that could remove the last one take a lock, so two
 * administrators removing each other at once cannot both succeed.
 */
public final class Administrators {

    private Administrators() {
    }

    /**
     * Refuses when {@code userId} is the last active member of Administrators. Call inside the
     * transaction that makes the change.
     *
     * @param action what is refused, for the message ("disable", "delete", "remove from Administrators")
     */
    public static void refuseIfLast(Handle h, UUID userId, String action) {
        h.execute("select pg_advisory_xact_lock(hashtext('idbroker.administrators'))");
        boolean administrator = h.createQuery("""
                select count(*) from team_members m join teams t on t.id = m.team_id join users u on u.id = m.user_id
                where t.builtin = 'administrators' and u.active and u.id = :user""")
                .bind("user", userId).mapTo(Long.class).one() > 0;
        if (!administrator) {
            return;
        }
        long others = h.createQuery("""
                select count(*) from team_members m join teams t on t.id = m.team_id join users u on u.id = m.user_id
                where t.builtin = 'administrators' and u.active and u.id <> :user""")
                .bind("user", userId).mapTo(Long.class).one();
        if (others == 0) {
            throw ChangeRefusedException.conflict("last_administrator", "This user is the last active member of the "
                    + "Administrators team and cannot be " + action + ": add another active user to Administrators first.");
        }
    }
}
