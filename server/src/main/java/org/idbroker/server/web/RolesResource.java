package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.idbroker.core.teams.Permission;
import org.idbroker.core.teams.Role;
import org.idbroker.core.teams.Roles;
import org.idbroker.server.auth.Authenticator;

/** The roles teams can grant; reading them needs {@code view-teams}. */
@Path("/api/roles")
@Produces(MediaType.APPLICATION_JSON)
public final class RolesResource {

    private final Authenticator authenticator;
    private final Roles roles;

    @Inject
    public RolesResource(Authenticator authenticator, Roles roles) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.roles = requireNonNull(roles, "roles is null");
    }

    @GET
    public List<Role> list(@Context HttpHeaders headers) {
        authenticator.require(headers, Permission.VIEW_TEAMS);
        return roles.list();
    }
}
