package org.idbroker.server.web.oidc;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.idbroker.core.clients.Client;
import org.idbroker.core.clients.ClientSpec;
import org.idbroker.core.clients.Clients;
import org.idbroker.core.clients.CreatedClient;
import org.idbroker.core.teams.Permission;
import org.idbroker.core.teams.TeamRef;
import org.idbroker.server.BrokerConfig;
import org.idbroker.server.auth.Authenticator;
import org.idbroker.core.users.Caller;
import org.idbroker.server.web.ApiException;

/**
 * The administration of clients, the applications that sign in through the broker: every call needs
 * {@code configure-clients}. A client's secret is in the answer that creates it or rotates it, and
 * nowhere else.
 */
@Path("/api/clients")
@Produces(MediaType.APPLICATION_JSON)
public final class ClientsResource {

    private final Authenticator authenticator;
    private final Clients clients;
    private final BrokerConfig config;

    @Inject
    public ClientsResource(Authenticator authenticator, Clients clients, BrokerConfig config) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.clients = requireNonNull(clients, "clients is null");
        this.config = requireNonNull(config, "config is null");
    }

    @GET
    public List<ClientView> list(@Context HttpHeaders headers) {
        authenticator.require(headers, Permission.CONFIGURE_CLIENTS);
        return clients.list().stream().map(this::view).toList();
    }

    @GET
    @Path("/{id}")
    public ClientView get(@PathParam("id") String id, @Context HttpHeaders headers) {
        authenticator.require(headers, Permission.CONFIGURE_CLIENTS);
        return clients.find(id).map(this::view).orElseThrow(() -> notFound(id));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(ClientBody body, @Context HttpHeaders headers) {
        Caller principal = authenticator.require(headers, Permission.CONFIGURE_CLIENTS);
        ClientBody input = body(body);
        CreatedClient created = clients.create(input.clientId(), input.spec(), input.secret(), principal.user().id());
        return Response.created(URI.create("/api/clients/" + created.client().id()))
                .entity(new CreatedView(view(created.client()), created.secret()))
                .header("Cache-Control", "no-store").build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ClientView update(@PathParam("id") String id, ClientBody body, @Context HttpHeaders headers) {
        Caller principal = authenticator.require(headers, Permission.CONFIGURE_CLIENTS);
        ClientBody input = body(body);
        if (input.secret() != null) {
            throw ApiException.badRequest("invalid_secret", "A secret is changed with POST /api/clients/{id}/secret, not here.");
        }
        if (input.clientId() != null && !input.clientId().equals(id)) {
            throw ApiException.badRequest("invalid_clientId", "The client id cannot change; register a new client instead.");
        }
        return view(clients.update(id, input.spec(), principal.user().id()));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id, @Context HttpHeaders headers) {
        Caller principal = authenticator.require(headers, Permission.CONFIGURE_CLIENTS);
        clients.delete(id, principal.user().id());
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/secret")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response rotateSecret(@PathParam("id") String id, RotateBody body, @Context HttpHeaders headers) {
        Caller principal = authenticator.require(headers, Permission.CONFIGURE_CLIENTS);
        RotateBody input = body == null ? new RotateBody(null, null) : body;
        long minutes = input.overlapMinutes() == null ? 0 : input.overlapMinutes();
        CreatedClient rotated = clients.rotateSecret(id, input.secret(), Duration.ofMinutes(minutes), principal.user().id());
        return Response.ok(new CreatedView(view(rotated.client()), rotated.secret())).header("Cache-Control", "no-store").build();
    }

    private ClientView view(Client c) {
        return new ClientView(c.id(), c.name(), c.type().code(), c.redirectUris(), c.postLogoutRedirectUris(),
                c.backchannelLogoutUri(), c.grantTypes(), c.teamRestricted(), c.teams(), c.groupsClaim().code(),
                c.accessTokenLifetime().toSeconds(), c.idTokenLifetime().toSeconds(), c.refreshTokenLifetime().toSeconds(),
                c.created(), c.updated(), config.publicUrl() + "/.well-known/openid-configuration", c.signingAlgorithm());
    }

    private static ClientBody body(ClientBody body) {
        if (body == null) {
            throw ApiException.badRequest("body_missing", "Send a JSON object: clientId, name, type, redirectUris, ...");
        }
        return body;
    }

    private static ApiException notFound(String id) {
        return new ApiException(404, "client_not_found", "There is no client with this id.");
    }

    /** What a client should be; {@code secret} only when creating a confidential client with a secret of one's own. */
    public record ClientBody(String clientId, String name, String type, List<String> redirectUris,
            List<String> postLogoutRedirectUris, String backchannelLogoutUri, List<String> grantTypes, List<String> teams,
            String groupsClaim, Integer accessTokenSeconds, Integer idTokenSeconds, Integer refreshTokenSeconds, String secret,
            String signingAlgorithm) {
        ClientSpec spec() {
            return new ClientSpec(name, type, redirectUris, postLogoutRedirectUris, backchannelLogoutUri, grantTypes, teams,
                    groupsClaim, accessTokenSeconds, idTokenSeconds, refreshTokenSeconds, signingAlgorithm, false);
        }

        @Override
        public String toString() {
            return "ClientBody[clientId=" + clientId + ", name=" + name + ", secret=(hidden)]";
        }
    }

    /** A new secret, with how long the old ones keep working. */
    public record RotateBody(Integer overlapMinutes, String secret) {
        @Override
        public String toString() {
            return "RotateBody[overlapMinutes=" + overlapMinutes + ", secret=(hidden)]";
        }
    }

    /** A client as the API shows it: never a secret. */
    public record ClientView(String clientId, String name, String type, List<String> redirectUris,
            List<String> postLogoutRedirectUris, String backchannelLogoutUri, List<String> grantTypes, boolean teamRestricted,
            List<TeamRef> teams, String groupsClaim, long accessTokenSeconds, long idTokenSeconds, long refreshTokenSeconds,
            Instant created, Instant updated, String discoveryUrl, String signingAlgorithm) {
    }

    /** A client with the secret just issued: the only answer that carries it. */
    public record CreatedView(ClientView client, String clientSecret) {
        @Override
        public String toString() {
            return "CreatedView[client=" + client + ", clientSecret=(hidden)]";
        }
    }
}
