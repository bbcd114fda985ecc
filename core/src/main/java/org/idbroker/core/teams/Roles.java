package org.idbroker.core.teams;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.idbroker.core.users.Users;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads the roles. */
public final class Roles {

    private final Jdbi jdbi;

    public Roles(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    public List<Role> list() {
        return jdbi.withHandle(h -> h.createQuery("select * from roles order by builtin desc, lower(name)").map(Roles::map).list());
    }

    public Optional<Role> find(String id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    static Optional<Role> find(Handle h, String id) {
        return h.createQuery("select * from roles where id = :id").bind("id", id).map(Roles::map).findOne();
    }

    private static Role map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Role(rs.getString("id"), rs.getString("name"), rs.getString("description"), rs.getBoolean("builtin"),
                Users.strings(rs.getArray("permissions")));
    }
}
