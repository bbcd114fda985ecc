package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.idbroker.core.db.Database;

/** Health checks for load balancers and orchestrators. */
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {

    private final Database database;

    @Inject
    public HealthResource(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    /** The process answers HTTP. */
    @GET
    @Path("/live")
    public Map<String, String> live() {
        return Map.of("status", "UP");
    }

    /** The database answers and its schema is migrated: this node can serve sign-ins. */
    @GET
    @Path("/ready")
    public Response ready() {
        if (database.isReady()) {
            return Response.ok(Map.of("status", "UP")).build();
        }
        return Response.status(503).entity(Map.of("status", "DOWN",
                "message", "the database does not answer or its schema is not migrated")).build();
    }
}
