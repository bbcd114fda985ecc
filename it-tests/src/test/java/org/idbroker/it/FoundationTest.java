package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBroker.CliResult;
import org.idbroker.it.support.TestingBrowser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The broker starts, answers health checks and JSON errors, and its command line seeds and refuses as it should. */
class FoundationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestingBroker broker;
    private final TestingBrowser browser = new TestingBrowser();

    @BeforeAll
    static void start() {
        broker = TestingBroker.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void answersLivenessAndReadiness() throws Exception {
        HttpResponse<String> live = browser.getJson(broker.uri("/health/live"));
        HttpResponse<String> ready = browser.getJson(broker.uri("/health/ready"));
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).get("status").asText()).isEqualTo("UP");
    }

    @Test
    void answersUnknownAddressesWithJsonErrors() throws Exception {
        HttpResponse<String> response = browser.getJson(broker.uri("/api/no-such-thing"));
        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo("not_found");
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at org.");
    }

    @Test
    void refusesUnauthenticatedCallsToMe() throws Exception {
        HttpResponse<String> response = browser.getJson(broker.uri("/api/users/me"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("unauthenticated");
    }

    @Test
    void freshInstallHasTheDisabledGenericOidcProviderAndBuiltInTeams() {
        assertThat(broker.strings("select id || ':' || type from providers"))
                .containsExactly("GenericOidc:oidc");
        assertThat(browser.getJson(broker.uri("/api/authentication/providers")).body()).isEqualTo("[]");
        assertThat(broker.strings("select name from teams where builtin is not null order by name")).containsExactly("Administrators", "Everyone");
    }

    @Test
    void adminTwiceUpdatesTheSameUserAndKeepsItAnAdministrator() {
        CliResult first = broker.cli("admin", "--username", "root-admin", "--email", "admin@example.com");
        CliResult second = broker.cli("admin", "--username", "root-admin", "--email", "Admin.New@example.com");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("Created user 'root-admin'").contains("added it to the Administrators team");
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("Updated user 'root-admin'");
        List<Map<String, Object>> rows = broker.jdbi().withHandle(h -> h.createQuery("""
                select u.username, u.email, (select count(*) from team_members m join teams t on t.id = m.team_id
                    where m.user_id = u.id and t.builtin = 'administrators') as admin_memberships
                from users u where lower(u.username) = 'root-admin'""").mapToMap().list());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("email", "Admin.New@example.com").containsEntry("admin_memberships", 1L);
    }

    @Test
    void adminRefusesAnEmptyOrMalformedEmail() {
        CliResult result = broker.cli("admin", "--username", "someone", "--email", "not-an-email");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err().lines().count()).isEqualTo(1);
        assertThat(result.err()).contains("email must look like name@example.com");
        assertThat(broker.count("select count(*) from users where username = 'someone'")).isZero();
    }

    @Test
    void unknownOptionIsOneClearLineAndExitCodeTwo() {
        CliResult result = TestingBroker.run("start-dev", "--no-such-option");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip().lines().count()).isEqualTo(1);
        assertThat(result.err()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void tooFewRequestThreadsAreRefusedWithAReason() {
        CliResult result = TestingBroker.run("start-dev", "--http-threads", "2");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip().lines().count()).isEqualTo(1);
        assertThat(result.err()).contains("--http-threads must be between 8 and 10000, got 2");
    }

    @Test
    void aMalformedPasswordThrottleIsRefusedWithTheFormItNeeds() {
        CliResult result = TestingBroker.run("start-dev", "--password-failures-per-user", "20 per minute");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip().lines().count()).isEqualTo(1);
        assertThat(result.err()).contains("--password-failures-per-user: expected COUNT/DURATION such as 5/15m");
    }

    @Test
    void malformedJdbcUrlIsRefusedWithAReason() {
        CliResult result = TestingBroker.run("admin", "--username", "a", "--email", "a@example.com", "--db-url", "postgres://nope");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("jdbc:postgresql://HOST[:PORT]/DATABASE");
    }

    @Test
    void databaseThatDoesNotAnswerIsRefusedWithAReason() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CliResult result = TestingBroker.run("admin", "--username", "a", "--email", "a@example.com",
                "--db-url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/nothing");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip().lines().count()).isEqualTo(1);
        assertThat(result.err()).contains("cannot connect to the database").contains("Check that PostgreSQL is running");
    }

    @Test
    void startRefusesToRunWithoutAPublicUrl() {
        CliResult result = TestingBroker.run("start", "--db-url", broker.jdbcUrl());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("start needs --public-url").contains("redirect URIs");
    }

    @Test
    void portAlreadyTakenIsRefusedWithAReason() {
        CliResult result = broker.cli("start", "--http-port", Integer.toString(broker.server().port()), "--bind", "127.0.0.1");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("port " + broker.server().port() + " is already in use");
    }
}
