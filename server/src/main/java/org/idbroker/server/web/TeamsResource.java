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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.idbroker.core.admin.ChangeRefusedException;
import org.idbroker.core.teams.Permission;
import org.idbroker.core.teams.Role;
import org.idbroker.core.teams.Roles;
import org.idbroker.core.teams.Team;
import org.idbroker.core.teams.Teams;
import org.idbroker.server.auth.Authenticator;
import org.idbroker.core.users.Caller;

/**
 * Teams: their members, external groups and roles. Reading needs {@code view-teams}, changing
 * {@code edit-teams}. Changing a team also needs every permission the team grants, and granting a
 * role every permission of the role, so a team manager cannot give themselves (or anyone) more than
 * they hold; {@code administer-system} holds them all.
 */
@Path("/api/teams")
@Produces(MediaType.APPLICATION_JSON)
public final class TeamsResource {

    private final Authenticator authenticator;
    private final Teams teams;
    private final Roles roles;

    @Inject
    public TeamsResource(Authenticator authenticator, Teams teams, Roles roles) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.teams = requireNonNull(teams, "teams is null");
        this.roles = requireNonNull(roles, "roles is null");
    }

    @GET
    public List<TeamView> list(@Context HttpHeaders headers) {
        authenticator.require(headers, Permission.VIEW_TEAMS);
        return teams.list().stream().map(TeamView::of).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(TeamBody body, @Context HttpHeaders headers) {
        Caller actor = authenticator.require(headers, Permission.EDIT_TEAMS);
        TeamBody input = Params.body(body, "name, description");
        Team team = teams.create(input.name(), input.description(), actor.user().id());
        return Response.created(URI.create("/api/teams/" + team.id())).entity(TeamView.of(team)).build();
    }

    @GET
    @Path("/{id: " + Params.UUID + "}")
    public TeamView get(@PathParam("id") UUID id, @Context HttpHeaders headers) {
        authenticator.require(headers, Permission.VIEW_TEAMS);
        return TeamView.of(teams.find(id).orElseThrow(() -> ChangeRefusedException.notFound("team_not_found",
                "No team has the id " + id + ".")));
    }

    /** Renames or describes the team; an absent or null field keeps its value. */
    @PUT
    @Path("/{id: " + Params.UUID + "}")
    @Consumes(MediaType.APPLICATION_JSON)
    public TeamView update(@PathParam("id") UUID id, TeamBody body, @Context HttpHeaders headers) {
        Caller actor = requireMayChange(headers, id);
        TeamBody input = Params.body(body, "name, description");
        return TeamView.of(teams.update(id, input.name(), input.description(), actor.user().id()));
    }

    @DELETE
    @Path("/{id: " + Params.UUID + "}")
    public Response delete(@PathParam("id") UUID id, @Context HttpHeaders headers) {
        Caller actor = requireMayChange(headers, id);
        teams.delete(id, actor.user().id());
        return Response.noContent().build();
    }

    @PUT
    @Path("/{id: " + Params.UUID + "}/members/{userId: " + Params.UUID + "}")
    public TeamView addMember(@PathParam("id") UUID id, @PathParam("userId") UUID userId, @Context HttpHeaders headers) {
        Caller actor = requireMayChange(headers, id);
        return TeamView.of(teams.addMember(id, userId, actor.user().id()));
    }

    @DELETE
    @Path("/{id: " + Params.UUID + "}/members/{userId: " + Params.UUID + "}")
    public TeamView removeMember(@PathParam("id") UUID id, @PathParam("userId") UUID userId, @Context HttpHeaders headers) {
        Caller actor = requireMayChange(headers, id);
        return TeamView.of(teams.removeMember(id, userId, actor.user().id()));
    }

    /** Adds an external group: {@code {"id": "octopusTesters", "displayName": "Octopus testers"}}. */
    @POST
    @Path("/{id: " + Params.UUID + "}/external-groups")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addExternalGroup(@PathParam("id") UUID id, ExternalGroupBody body, @Context HttpHeaders headers) {
        Caller actor = requireMayChange(headers, id);
        ExternalGroupBody input = Params.body(body, "id (the group or role id the IdP sends), displayName");
        Team team = teams.addExternalGroup(id, input.id(), input.displayName(), actor.user().id());
        String added = team.externalGroups().stream().filter(g -> g.id().equalsIgnoreCase(input.id().strip()))
                .findFirst().map(Team.ExternalGroup::id).orElse(input.id());
        return Response.created(URI.create("/api/teams/" + id + "/external-groups/"
                        + URLEncoder.encode(added, StandardCharsets.UTF_8).replace("+", "%20")))
                .entity(TeamView.of(team)).build();
    }

    @DELETE
    @Path("/{id: " + Params.UUID + "}/external-groups/{groupId: .+}")
    public TeamView removeExternalGroup(@PathParam("id") UUID id, @PathParam("groupId") String groupId,
            @Context HttpHeaders headers) {
        Caller actor = requireMayChange(headers, id);
        return TeamView.of(teams.removeExternalGroup(id, groupId, actor.user().id()));
    }

    @PUT
    @Path("/{id: " + Params.UUID + "}/roles/{roleId}")
    public TeamView addRole(@PathParam("id") UUID id, @PathParam("roleId") String roleId, @Context HttpHeaders headers) {
        Caller actor = requireMayChange(headers, id);
        requireHolds(actor, roles.find(roleId).map(Role::permissions).orElse(List.of()));
        return TeamView.of(teams.addRole(id, roleId, actor.user().id()));
    }

    @DELETE
    @Path("/{id: " + Params.UUID + "}/roles/{roleId}")
    public TeamView removeRole(@PathParam("id") UUID id, @PathParam("roleId") String roleId, @Context HttpHeaders headers) {
        Caller actor = requireMayChange(headers, id);
        return TeamView.of(teams.removeRole(id, roleId, actor.user().id()));
    }

    /** {@code edit-teams}, and every permission the team grants: nobody hands out, or joins, more than they hold. */
    private Caller requireMayChange(HttpHeaders headers, UUID teamId) {
        Caller actor = authenticator.require(headers, Permission.EDIT_TEAMS);
        requireHolds(actor, teams.permissionsGranted(teamId));
        return actor;
    }

    private void requireHolds(Caller actor, Collection<String> permissions) {
        Set<String> held = actor.membership().permissions();
        if (held.contains(Permission.ADMINISTER_SYSTEM.code())) {
            return;
        }
        permissions.stream().sorted().filter(p -> !held.contains(p)).findFirst().ifPresent(missing -> {
            throw ApiException.forbidden(missing);
        });
    }

    /** The body of create and update. */
    public record TeamBody(String name, String description) {
    }

    /** The body that adds an external group. */
    public record ExternalGroupBody(String id, String displayName) {
    }

    /**
     * A team as the API shows it.
     *
     * @param builtin whether it is a built-in team ({@code Administrators}, {@code Everyone}), which cannot be deleted
     */
    public record TeamView(UUID id, String name, String description, boolean builtin, List<Team.Member> members,
            List<Team.ExternalGroup> externalGroups, List<Team.RoleRef> roles) {
        static TeamView of(Team team) {
            return new TeamView(team.id(), team.name(), team.description(), team.builtin() != null, team.members(),
                    team.externalGroups(), team.roles());
        }
    }
}
