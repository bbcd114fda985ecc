package org.idbroker.server.web;

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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.idbroker.core.admin.ChangeRefusedException;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.core.teams.Membership;
import org.idbroker.core.teams.Memberships;
import org.idbroker.core.teams.Permission;
import org.idbroker.core.teams.TeamRef;
import org.idbroker.core.users.ExternalIdentity;
import org.idbroker.core.users.User;
import org.idbroker.core.users.UserAdministration;
import org.idbroker.core.users.UserAdministration.UserInput;
import org.idbroker.core.users.Users;
import org.idbroker.server.auth.Authenticator;
import org.idbroker.core.users.Caller;

/**
 * User accounts for administrators. Reading needs {@code view-users}, changing {@code edit-users}
 * and every permission the changed account holds, so a user manager cannot take over (by changing
 * its email, say) an account that holds more than they do.
 */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
public final class UsersResource {

    private final Authenticator authenticator;
    private final Users users;
    private final UserAdministration administration;
    private final Memberships memberships;
    private final Sessions sessions;

    @Inject
    public UsersResource(Authenticator authenticator, Users users, UserAdministration administration, Memberships memberships,
            Sessions sessions) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.users = requireNonNull(users, "users is null");
        this.administration = requireNonNull(administration, "administration is null");
        this.memberships = requireNonNull(memberships, "memberships is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
    }

    @GET
    public UserPageView list(@QueryParam("search") String search, @QueryParam("offset") String offset,
            @QueryParam("limit") String limit, @Context HttpHeaders headers) {
        authenticator.require(headers, Permission.VIEW_USERS);
        Users.UserPage page = users.page(Params.text("search", search, 200), Params.integer("offset", offset, 0, 0, Integer.MAX_VALUE),
                Params.integer("limit", limit, 50, 1, 500));
        return new UserPageView(page.items().stream().map(UserView::of).toList(), page.total(), page.offset(), page.limit());
    }

    @GET
    @Path("/{id: " + Params.UUID + "}")
    public UserDetails get(@PathParam("id") UUID id, @Context HttpHeaders headers) {
        authenticator.require(headers, Permission.VIEW_USERS);
        User user = existing(id);
        Membership membership = memberships.of(id);
        return new UserDetails(user.id(), user.username(), user.displayName(), user.email(), user.active(), user.externalGroups(),
                user.created(), membership.teams(), membership.permissions());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(UserBody body, @Context HttpHeaders headers) {
        Caller actor = authenticator.require(headers, Permission.EDIT_USERS);
        UserBody input = Params.body(body, "username, displayName, emailAddress, active");
        User user = administration.create(input.toInput(), actor.user().id());
        return Response.created(URI.create("/api/users/" + user.id())).entity(UserView.of(user)).build();
    }

    /** Changes the fields present in the body; an absent or null field keeps its value. Disabling ends the user's sessions. */
    @PUT
    @Path("/{id: " + Params.UUID + "}")
    @Consumes(MediaType.APPLICATION_JSON)
    public UserView update(@PathParam("id") UUID id, UserBody body, @Context HttpHeaders headers) {
        Caller actor = authenticator.require(headers, Permission.EDIT_USERS);
        UserBody input = Params.body(body, "username, displayName, emailAddress, active");
        requireMayChange(actor, id);
        UserAdministration.Changed changed = administration.update(id, input.toInput(), actor.user().id());
        if (changed.disabled()) {
            sessions.deleteAll(id);
        }
        return UserView.of(changed.user());
    }

    @DELETE
    @Path("/{id: " + Params.UUID + "}")
    public Response delete(@PathParam("id") UUID id, @Context HttpHeaders headers) {
        Caller actor = authenticator.require(headers, Permission.EDIT_USERS);
        requireMayChange(actor, id);
        administration.delete(id, actor.user().id());
        return Response.noContent().build();
    }

    @GET
    @Path("/{id: " + Params.UUID + "}/external-identities")
    public List<ExternalIdentityView> identities(@PathParam("id") UUID id, @Context HttpHeaders headers) {
        authenticator.require(headers, Permission.VIEW_USERS);
        existing(id);
        return users.identities(id).stream().map(ExternalIdentityView::of).toList();
    }

    @DELETE
    @Path("/{id: " + Params.UUID + "}/external-identities/{identityId: " + Params.UUID + "}")
    public Response removeIdentity(@PathParam("id") UUID id, @PathParam("identityId") UUID identityId,
            @Context HttpHeaders headers) {
        Caller actor = authenticator.require(headers, Permission.EDIT_USERS);
        requireMayChange(actor, id);
        administration.removeIdentity(id, identityId, actor.user().id());
        return Response.noContent().build();
    }

    private User existing(UUID id) {
        return users.find(id).orElseThrow(() -> ChangeRefusedException.notFound("user_not_found", "No user has the id " + id + "."));
    }

    /** Every permission the target holds: changing an account (its email, say) must not hand over more than the actor has. */
    private void requireMayChange(Caller actor, UUID target) {
        Set<String> held = actor.membership().permissions();
        if (held.contains(Permission.ADMINISTER_SYSTEM.code())) {
            return;
        }
        memberships.of(target).permissions().stream().sorted().filter(p -> !held.contains(p)).findFirst()
                .ifPresent(missing -> {
                    throw ApiException.forbidden(missing);
                });
    }

    /** The body of create and update. */
    public record UserBody(String username, String displayName, String emailAddress, Boolean active) {
        UserInput toInput() {
            return new UserInput(username, displayName, emailAddress, active);
        }
    }

    /** A user in a list. */
    public record UserView(UUID id, String username, String displayName, String emailAddress, boolean active,
            List<String> externalGroups, Instant created) {
        static UserView of(User user) {
            return new UserView(user.id(), user.username(), user.displayName(), user.email(), user.active(),
                    user.externalGroups(), user.created());
        }
    }

    /** One page of users, and how many match in all. */
    public record UserPageView(List<UserView> items, long total, int offset, int limit) {
    }

    /** A user with the teams they are in and the permissions those grant. */
    public record UserDetails(UUID id, String username, String displayName, String emailAddress, boolean active,
            List<String> externalGroups, Instant created, List<TeamRef> teams, Set<String> permissions) {
    }

    /** An external identity linked to a user. */
    public record ExternalIdentityView(UUID id, String providerId, String issuer, String subject, String emailAddress,
            Instant created, Instant lastSignIn) {
        static ExternalIdentityView of(ExternalIdentity identity) {
            return new ExternalIdentityView(identity.id(), identity.providerId(), identity.issuer(), identity.subject(),
                    identity.email(), identity.created(), identity.lastSignIn());
        }
    }
}
