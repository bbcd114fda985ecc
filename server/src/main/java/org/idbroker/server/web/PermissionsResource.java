package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import org.idbroker.core.teams.Permission;
import org.idbroker.server.auth.Authenticator;

/** The fixed list of permissions, each with what it allows; reading it needs {@code view-teams}. */
@Path("/api/permissions")
@Produces(MediaType.APPLICATION_JSON)
public final class PermissionsResource {

    private final Authenticator authenticator;

    @Inject
    public PermissionsResource(Authenticator authenticator) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
    }

    @GET
    public List<PermissionView> list(@Context HttpHeaders headers) {
        authenticator.require(headers, Permission.VIEW_TEAMS);
        return Arrays.stream(Permission.values()).map(p -> new PermissionView(p.code(), p.description())).toList();
    }

    /** One permission. */
    public record PermissionView(String id, String description) {
    }
}
