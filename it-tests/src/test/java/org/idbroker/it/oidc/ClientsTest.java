package org.idbroker.it.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.idbroker.it.support.BrokerScene;
import org.idbroker.it.support.TestingApi;
import org.idbroker.it.support.TestingBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Registering applications: the administration API and the command line, on a real broker and PostgreSQL. */
class ClientsTest {

    @RegisterExtension
    final BrokerScene scene = BrokerScene.asTheGuideSays().withAdministrator();

    @Test
    void createsAClientWhoseSecretIsShownOnceAndStoredHashed() {
        TestingApi.Reply created = scene.admin().post("/api/clients", """
                {"clientId": "grafana", "name": "Grafana", "type": "confidential",
                 "redirectUris": ["https://grafana.example.com/login/generic_oauth"], "teams": ["Administrators"]}""");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String secret = created.json().get("clientSecret").asText();
        assertThat(secret).hasSize(43);
        JsonNode client = created.json().get("client");
        assertThat(client.get("teams")).extracting(t -> t.get("name").asText()).containsExactly("Administrators");
        assertThat(client.get("grantTypes")).extracting(JsonNode::asText).containsExactly("authorization_code", "refresh_token");
        assertThat(client.get("discoveryUrl").asText()).isEqualTo(scene.broker().baseUri() + "/.well-known/openid-configuration");

        TestingApi.Reply listed = scene.admin().get("/api/clients");
        assertThat(listed.body()).contains("grafana").doesNotContain(secret);
        assertThat(scene.admin().get("/api/clients/grafana").body()).doesNotContain(secret);
        assertThat(scene.broker().count("select count(*) from client_secrets where client_id = 'grafana'")).isEqualTo(1);
        assertThat(scene.broker().strings("select encode(secret_hash, 'escape') from client_secrets")).noneMatch(h -> h.contains(secret));
        assertThat(scene.broker().strings("select details::text from events where type = 'client-created'"))
                .singleElement().asString().contains("grafana").doesNotContain(secret);
    }

    @Test
    void refusesRedirectUrisThatCouldBeBentWithTheFieldNamed() {
        for (String bad : List.of("http://app.example.com/cb", "javascript:alert(1)", "JAVASCRIPT:alert(1)",
                "data:text/html,hi", "https://user@app.example.com/cb", "https://app.example.com/cb#x",
                "https://app.example.com/a/../cb", "https://app.example.com/a/..;/cb", "https://app.example.com/a%2Fb",
                "/relative", "https://app.example.com/c b")) {
            TestingApi.Reply refused = scene.admin().post("/api/clients", """
                    {"clientId": "app", "name": "App", "redirectUris": [%s]}""".formatted(TestingApi.quote(bad)));
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.error()).as(bad).isEqualTo("invalid_redirectUris");
        }
        assertThat(scene.broker().count("select count(*) from clients")).isZero();
        TestingApi.Reply loopback = scene.admin().post("/api/clients", """
                {"clientId": "app", "name": "App", "type": "public", "redirectUris": ["http://127.0.0.1:5000/cb"]}""");
        assertThat(loopback.status()).as(loopback.body()).isEqualTo(201);
        assertThat(loopback.json().get("clientSecret").isNull()).isTrue();
    }

    @Test
    void refusesUnknownTeamsDuplicateIdsAndPeopleWithoutThePermission() {
        TestingApi.Reply unknownTeam = scene.admin().post("/api/clients", """
                {"clientId": "app", "name": "App", "redirectUris": ["https://app.example.com/cb"], "teams": ["Nobody"]}""");
        assertThat(unknownTeam.error()).isEqualTo("invalid_teams");
        assertThat(scene.admin().post("/api/clients", """
                {"clientId": "app", "name": "App", "redirectUris": ["https://app.example.com/cb"]}""").status()).isEqualTo(201);
        TestingApi.Reply again = scene.admin().post("/api/clients", """
                {"clientId": "app", "name": "Again", "redirectUris": ["https://app.example.com/cb"]}""");
        assertThat(again.status()).isEqualTo(409);

        TestingApi user = TestingApi.signIn(scene.broker(), scene.idp(), "sub-carol", Map.of("preferred_username", "carol",
                "email", "carol@example.com", "email_verified", true));
        TestingApi.Reply forbidden = user.get("/api/clients");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.body()).contains("configure-clients");
    }

    @Test
    void changesAndDeletesAClientWithAnEventEach() {
        scene.admin().post("/api/clients", """
                {"clientId": "app", "name": "App", "redirectUris": ["https://app.example.com/cb"]}""");
        TestingApi.Reply changed = scene.admin().put("/api/clients/app", """
                {"name": "App 2", "redirectUris": ["https://app.example.com/cb", "https://app.example.com/cb2"],
                 "groupsClaim": "permissions", "accessTokenSeconds": 600}""");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("redirectUris")).hasSize(2);
        assertThat(changed.json().get("accessTokenSeconds").asInt()).isEqualTo(600);
        assertThat(scene.admin().put("/api/clients/app", """
                {"name": "App", "type": "public", "redirectUris": ["https://app.example.com/cb"]}""").error()).isEqualTo("invalid_type");
        TestingApi.Reply rotated = scene.admin().post("/api/clients/app/secret", "{\"overlapMinutes\": 5}");
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(scene.broker().count("select count(*) from client_secrets where expires_at is not null")).isEqualTo(1);
        assertThat(scene.admin().delete("/api/clients/app").status()).isEqualTo(204);
        assertThat(scene.admin().get("/api/clients/app").status()).isEqualTo(404);
        assertThat(scene.broker().strings("select type from events where type like 'client-%' order by id"))
                .containsExactly("client-created", "client-changed", "client-secret-rotated", "client-deleted");
    }

    @Test
    void theCommandLineCreatesListsUpdatesRotatesAndDeletes() {
        TestingBroker.CliResult created = scene.broker().cli("client", "create", "--client-id", "proxy", "--name", "Proxy",
                "--type", "confidential", "--redirect-uri", "https://proxy.example.com/oauth2/callback",
                "--redirect-uri", "https://proxy.example.com/other", "--post-logout-redirect-uri", "https://proxy.example.com/",
                "--backchannel-logout-uri", "https://proxy.example.com/backchannel", "--team", "Administrators");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String secret = created.out().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(secret).hasSize(43);
        assertThat(created.out()).contains("members of Administrators").contains("/.well-known/openid-configuration");

        TestingBroker.CliResult listed = scene.broker().cli("client", "list");
        assertThat(listed.out()).contains("proxy").contains("https://proxy.example.com/other").doesNotContain(secret);

        assertThat(scene.broker().cli("client", "update", "--client-id", "proxy", "--all-users").exitCode()).isZero();
        assertThat(scene.broker().cli("client", "list").out()).contains("every active user");

        String mine = "my-own-secret-that-is-long-enough-0123456789";
        TestingBroker.CliResult rotated = scene.broker().cli("client", "rotate-secret", "--client-id", "proxy",
                "--secret-file", TestingBrokerFiles.write(mine), "--overlap-minutes", "0");
        assertThat(rotated.exitCode()).as(rotated.err()).isZero();
        assertThat(rotated.out()).doesNotContain(mine);
        assertThat(scene.broker().count("select count(*) from client_secrets where client_id = 'proxy' and (expires_at is null or expires_at > now())"))
                .isEqualTo(1);

        TestingBroker.CliResult badUri = scene.broker().cli("client", "create", "--client-id", "bad", "--redirect-uri", "http://evil.example.com/");
        assertThat(badUri.exitCode()).isEqualTo(2);
        assertThat(badUri.err()).contains("https");
        TestingBroker.CliResult shortSecret = scene.broker().cli("client", "create", "--client-id", "short",
                "--redirect-uri", "https://x.example.com/cb", "--secret-file", TestingBrokerFiles.write("short"));
        assertThat(shortSecret.exitCode()).isEqualTo(2);
        assertThat(scene.broker().count("select count(*) from clients where id in ('bad', 'short')")).isZero();

        assertThat(scene.broker().cli("client", "delete", "--client-id", "proxy").exitCode()).isZero();
        assertThat(scene.broker().cli("client", "delete", "--client-id", "proxy").exitCode()).isEqualTo(1);
    }

    /** Temporary files for the command line's --secret-file. */
    static final class TestingBrokerFiles {
        static String write(String content) {
            return org.idbroker.testkit.TestingBroker.writeTemp(content).toString();
        }
    }
}
