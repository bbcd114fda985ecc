package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.idbroker.server.operations.Readiness;

/** Health checks for load balancers and orchestrators. */
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {

    private final Readiness readiness;

    @Inject
    public HealthResource(Readiness readiness) {
        this.readiness = requireNonNull(readiness, "readiness is null");
    }

    /** The process answers HTTP. */
    @GET
    @Path("/live")
    public Map<String, String> live() {
        return Map.of("status", "UP");
    }

    /** The database answers, its schema is migrated and the node is not shutting down: it can serve sign-ins. */
    @GET
    @Path("/ready")
    public Response ready() {
        String problem = readiness.problem();
        if (problem == null) {
            return Response.ok(Map.of("status", "UP")).build();
        }
        return Response.status(503).entity(Map.of("status", "DOWN", "message", problem)).build();
    }
}
