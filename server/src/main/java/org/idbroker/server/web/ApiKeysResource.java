package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.idbroker.core.apikeys.ApiKey;
import org.idbroker.core.apikeys.ApiKeys;
import org.idbroker.core.apikeys.CreatedApiKey;
import org.idbroker.server.auth.Authenticator;
import org.idbroker.core.users.Caller;

/**
 * The signed-in user's API keys. A key is shown once, when created; after that only its name and
 * first characters. Creating a key needs a signed-in session: a key cannot mint more keys, so
 * revoking a leaked key is enough.
 */
@Path("/api/users/me/api-keys")
@Produces(MediaType.APPLICATION_JSON)
public final class ApiKeysResource {

    private final Authenticator authenticator;
    private final ApiKeys apiKeys;

    @Inject
    public ApiKeysResource(Authenticator authenticator, ApiKeys apiKeys) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.apiKeys = requireNonNull(apiKeys, "apiKeys is null");
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(KeyBody body, @Context HttpHeaders headers) {
        Caller caller = authenticator.require(headers);
        if (!caller.viaSession()) {
            throw new ApiException(403, "session_required", "Create API keys while signed in, not with another API key.");
        }
        KeyBody input = Params.body(body, "name");
        CreatedApiKey created = apiKeys.create(caller.user().id(), input.name());
        ApiKey key = created.key();
        return Response.created(URI.create("/api/users/me/api-keys/" + key.id()))
                .entity(new CreatedKeyView(key.id(), key.name(), key.prefix(), key.created(), created.secret()))
                .header("Cache-Control", "no-store").build();
    }

    @GET
    public List<KeyView> list(@Context HttpHeaders headers) {
        Caller caller = authenticator.require(headers);
        return apiKeys.list(caller.user().id()).stream()
                .map(k -> new KeyView(k.id(), k.name(), k.prefix(), k.created(), k.lastUsed())).toList();
    }

    @DELETE
    @Path("/{id: " + Params.UUID + "}")
    public Response revoke(@PathParam("id") UUID id, @Context HttpHeaders headers) {
        Caller caller = authenticator.require(headers);
        apiKeys.revoke(caller.user().id(), id);
        return Response.noContent().build();
    }

    /** The body that creates a key. */
    public record KeyBody(String name) {
    }

    /** A key just created, with its value: the only time the value is shown. */
    public record CreatedKeyView(UUID id, String name, String prefix, Instant created, String key) {
        @Override
        public String toString() {
            return "CreatedKeyView[id=" + id + ", name=" + name + ", prefix=" + prefix + ", key=(hidden)]";
        }
    }

    /** A key in the list: never its value. */
    public record KeyView(UUID id, String name, String prefix, Instant created, Instant lastUsed) {
    }
}
