package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.idbroker.it.support.TestingApi;
import org.idbroker.it.support.TestingApi.Reply;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingIdp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every administration call, refused without its permission and allowed with it. For each
 * permission two users sign in through the IdP: one whose group grants a role with that permission,
 * one whose group grants every delegation role that lacks it. The refused call changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionMatrixTest {

    private static final List<String> DELEGATION_ROLES = List.of("user-viewer", "user-manager", "team-viewer", "team-manager",
            "authentication-manager", "event-viewer");
    private static final Map<String, String> ROLE_WITH = Map.of("view-users", "user-viewer", "edit-users", "user-manager",
            "view-teams", "team-viewer", "edit-teams", "team-manager", "view-events", "event-viewer");

    private final AtomicInteger fixtures = new AtomicInteger();
    private final Map<String, TestingApi> with = new HashMap<>();
    private final Map<String, TestingApi> without = new HashMap<>();
    private TestingIdp idp;
    private TestingBroker broker;
    private TestingApi admin;
    private TestingApi anonymous;

    @BeforeAll
    void start() {
        idp = TestingIdp.start();
        broker = TestingBroker.start();
        broker.configureAsTheGuideSays(idp);
        admin = TestingApi.signInAdministrator(broker, idp);
        anonymous = TestingApi.anonymous(broker);
        Map<String, List<String>> rolePermissions = new HashMap<>();
        for (JsonNode role : admin.get("/api/roles").json()) {
            List<String> permissions = new ArrayList<>();
            role.get("permissions").forEach(p -> permissions.add(p.asText()));
            rolePermissions.put(role.get("id").asText(), permissions);
        }
        for (String permission : List.of("view-users", "edit-users", "view-teams", "edit-teams", "view-events", "administer-system")) {
            if (permission.equals("administer-system")) {
                with.put(permission, admin);
            } else {
                with.put(permission, userWithRoles("with-" + permission, List.of(ROLE_WITH.get(permission))));
            }
            List<String> lacking = DELEGATION_ROLES.stream().filter(r -> !rolePermissions.get(r).contains(permission)).toList();
            without.put(permission, userWithRoles("without-" + permission, lacking));
        }
    }

    @AfterAll
    void stop() {
        broker.close();
        idp.close();
    }

    Stream<Call> calls() {
        return Stream.of(
                new Call("view-users", "GET", f -> "/api/users?search=fixture", f -> null, 200),
                new Call("view-users", "GET", f -> "/api/users/" + f.userId(), f -> null, 200),
                new Call("view-users", "GET", f -> "/api/users/" + f.userId() + "/external-identities", f -> null, 200),
                new Call("edit-users", "POST", f -> "/api/users",
                        f -> "{\"username\": \"new-" + f.n() + "\", \"emailAddress\": \"new-" + f.n() + "@example.com\"}", 201),
                new Call("edit-users", "PUT", f -> "/api/users/" + f.userId(), f -> "{\"displayName\": \"Renamed\"}", 200),
                new Call("edit-users", "PUT", f -> "/api/users/" + f.userId(), f -> "{\"active\": false}", 200),
                new Call("edit-users", "DELETE", f -> "/api/users/" + f.userId(), f -> null, 204),
                // no identity with this id: 404 shows the permission check passed
                new Call("edit-users", "DELETE", f -> "/api/users/" + f.userId() + "/external-identities/"
                        + "00000000-0000-4000-8000-000000000000", f -> null, 404),
                new Call("view-teams", "GET", f -> "/api/teams", f -> null, 200),
                new Call("view-teams", "GET", f -> "/api/teams/" + f.teamId(), f -> null, 200),
                new Call("view-teams", "GET", f -> "/api/roles", f -> null, 200),
                new Call("view-teams", "GET", f -> "/api/permissions", f -> null, 200),
                new Call("edit-teams", "POST", f -> "/api/teams", f -> "{\"name\": \"New " + f.n() + "\"}", 201),
                new Call("edit-teams", "PUT", f -> "/api/teams/" + f.teamId(), f -> "{\"description\": \"changed\"}", 200),
                new Call("edit-teams", "DELETE", f -> "/api/teams/" + f.teamId(), f -> null, 204),
                new Call("edit-teams", "PUT", f -> "/api/teams/" + f.teamId() + "/members/" + f.otherUserId(), f -> null, 200),
                new Call("edit-teams", "DELETE", f -> "/api/teams/" + f.teamId() + "/members/" + f.memberId(), f -> null, 200),
                new Call("edit-teams", "POST", f -> "/api/teams/" + f.teamId() + "/external-groups",
                        f -> "{\"id\": \"another-group\", \"displayName\": \"Another\"}", 201),
                new Call("edit-teams", "DELETE", f -> "/api/teams/" + f.teamId() + "/external-groups/fixture-group", f -> null, 200),
                new Call("edit-teams", "PUT", f -> "/api/teams/" + f.teamId() + "/roles/team-manager", f -> null, 200),
                new Call("edit-teams", "DELETE", f -> "/api/teams/" + f.teamId() + "/roles/team-viewer", f -> null, 200),
                new Call("view-events", "GET", f -> "/api/events?type=team-created", f -> null, 200),
                new Call("administer-system", "PUT", f -> "/api/teams/" + f.administratorsId() + "/members/" + f.userId(),
                        f -> null, 200),
                new Call("administer-system", "PUT", f -> "/api/teams/" + f.teamId() + "/roles/system-administrator",
                        f -> null, 200),
                new Call("administer-system", "PUT", f -> "/api/users/" + f.adminUserId(),
                        f -> "{\"emailAddress\": \"taken-over-" + f.n() + "@example.com\"}", 200),
                new Call("administer-system", "DELETE", f -> "/api/users/" + f.adminUserId(), f -> null, 204));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void eachCallNeedsItsPermission(Call call) {
        Fixture fixture = newFixture();
        String path = call.path().apply(fixture);
        String body = call.body().apply(fixture);

        Reply nobody = anonymous.send(call.method(), path, body, "application/json");
        assertThat(nobody.status()).as("anonymous: " + nobody).isEqualTo(401);
        assertThat(nobody.error()).isEqualTo("unauthenticated");

        String before = snapshot();
        Reply refused = without.get(call.permission()).send(call.method(), path, body, "application/json");
        assertThat(refused.status()).as("without " + call.permission() + ": " + refused).isEqualTo(403);
        assertThat(refused.error()).isEqualTo("forbidden");
        assertThat(refused.json().get("message").asText()).contains(call.permission());
        assertThat(snapshot()).as("a refused call changes nothing").isEqualTo(before);

        Reply allowed = with.get(call.permission()).send(call.method(), path, body, "application/json");
        assertThat(allowed.status()).as("with " + call.permission() + ": " + allowed).isEqualTo(call.allowedStatus());
    }

    private TestingApi userWithRoles(String group, List<String> roles) {
        Reply team = admin.post("/api/teams", "{\"name\": \"" + group + "\"}");
        assertThat(team.status()).as(team.body()).isEqualTo(201);
        String teamId = team.json().get("id").asText();
        assertThat(admin.post("/api/teams/" + teamId + "/external-groups", "{\"id\": \"" + group + "\"}").status()).isEqualTo(201);
        for (String role : roles) {
            assertThat(admin.put("/api/teams/" + teamId + "/roles/" + role, null).status()).isEqualTo(200);
        }
        return TestingApi.signIn(broker, idp, "sub-" + group, Map.of("preferred_username", group,
                "email", group + "@example.com", "email_verified", true, "groups", List.of(group)));
    }

    private Fixture newFixture() {
        int n = fixtures.incrementAndGet();
        String userId = createUser("fixture-" + n);
        String otherUserId = createUser("fixture-other-" + n);
        String adminUserId = createUser("fixture-admin-" + n);
        String memberId = createUser("fixture-member-" + n);
        Reply team = admin.post("/api/teams", "{\"name\": \"Fixture " + n + "\"}");
        String teamId = team.json().get("id").asText();
        admin.post("/api/teams/" + teamId + "/external-groups", "{\"id\": \"fixture-group\"}");
        admin.put("/api/teams/" + teamId + "/roles/team-viewer", null);
        admin.put("/api/teams/" + teamId + "/members/" + memberId, null);
        String administratorsId = null;
        for (JsonNode t : admin.get("/api/teams").json()) {
            if (t.get("name").asText().equals("Administrators")) {
                administratorsId = t.get("id").asText();
            }
        }
        assertThat(admin.put("/api/teams/" + administratorsId + "/members/" + adminUserId, null).status()).isEqualTo(200);
        return new Fixture(n, teamId, userId, otherUserId, memberId, administratorsId, adminUserId);
    }

    private String createUser(String username) {
        Reply created = admin.post("/api/users", "{\"username\": \"" + username + "\", \"emailAddress\": \"" + username
                + "@example.com\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    /** Everything an administration call could change. */
    private String snapshot() {
        return admin.get("/api/teams").body() + admin.get("/api/users?limit=500").body()
                + broker.count("select count(*) from events where type <> 'sign-in'");
    }

    /** One administration call and the permission it needs. */
    record Call(String permission, String method, Function<Fixture, String> path, Function<Fixture, String> body,
            int allowedStatus) {
        @Override
        public String toString() {
            return method + " " + path.apply(new Fixture(0, "{team}", "{user}", "{otherUser}", "{member}", "{administrators}", "{adminUser}"))
                    .replace("00000000-0000-4000-8000-000000000000", "{identity}") + " needs " + permission;
        }
    }

    /** What one call acts on, made fresh by the administrator. */
    record Fixture(int n, String teamId, String userId, String otherUserId, String memberId, String administratorsId,
            String adminUserId) {
    }
}
