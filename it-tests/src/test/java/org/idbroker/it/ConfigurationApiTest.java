package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.idbroker.it.support.TestingAdmin.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.it.support.BrokerScene;
import org.idbroker.it.support.TestingAdmin;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The settings API: provider types, instances with write-only encrypted secrets, validation, events, other nodes. */
class ConfigurationApiTest {

    private static final String SECRET = "corp-client-secret-5a1f8e2b9c7d4e6f";

    @RegisterExtension
    final BrokerScene scene = BrokerScene.configured();

    private TestingAdmin admin;

    @BeforeEach
    void start() {
        admin = TestingAdmin.signIn(scene.broker(), scene.idp(), "GenericOidc");
    }

    private Map<String, Object> corp(Map<String, String> secrets) {
        return Map.of("type", "oidc", "settings", Map.of("enabled", "true", "displayName", "Corp", "issuer", scene.idp().issuer(),
                "clientId", "corp-client", "scopes", "openid profile email"), "secrets", secrets);
    }

    @Test
    void listsProviderTypesWithTheBrokerSettingsFirst() {
        JsonNode types = json(admin.get("/api/configuration/provider-types"));

        JsonNode oidc = null;
        for (JsonNode type : types) {
            if (type.get("type").asText().equals("oidc")) {
                oidc = type;
            }
        }
        assertThat(oidc).isNotNull();
        assertThat(oidc.get("displayName").asText()).isEqualTo("OpenID Connect");
        assertThat(oidc.get("defaultForNewInstances").asBoolean()).isTrue();
        assertThat(types).filteredOn(t -> t.get("defaultForNewInstances").asBoolean()).hasSize(1);
        assertThat(oidc.get("settings").get(0).get("name").asText()).isEqualTo("enabled");
        assertThat(oidc.get("settings")).anySatisfy(s -> {
            assertThat(s.get("name").asText()).isEqualTo("clientSecret");
            assertThat(s.get("secret").asBoolean()).isTrue();
        });
    }

    @Test
    void refusesCallersWithoutThePermission() {
        TestingBrowser stranger = new TestingBrowser();
        assertThat(stranger.getJson(scene.broker().uri("/api/configuration/providers")).statusCode()).isEqualTo(401);

        scene.idp().nextSignIn("sub-dave", Map.of("preferred_username", "dave", "email", "dave@example.com", "email_verified", true));
        stranger.signIn(scene.broker(), "GenericOidc");
        HttpResponse<String> forbidden = stranger.getJson(scene.broker().uri("/api/configuration/providers"));

        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(json(forbidden).get("message").asText()).contains("configure-authentication");
    }

    @Test
    void createsAProviderAndNeverShowsItsSecret() {
        HttpResponse<String> created = admin.put("/api/configuration/providers/Corp", corp(Map.of("clientSecret", SECRET)));

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(SECRET);
        JsonNode view = json(created);
        assertThat(view.get("secrets").get("clientSecret").get("hasValue").asBoolean()).isTrue();
        assertThat(view.get("redirectUri").asText()).isEqualTo(scene.broker().baseUri() + "/api/users/authenticatedToken/Corp");
        assertThat(view.get("backchannelLogoutUri").asText()).isEqualTo(scene.broker().baseUri() + "/api/users/backchannel-logout/Corp");
        HttpResponse<String> read = admin.get("/api/configuration/providers/Corp");
        assertThat(read.body()).doesNotContain(SECRET).contains("\"hasValue\":true");
        assertThat(admin.get("/api/configuration/providers").body()).doesNotContain(SECRET).contains("\"Corp\"");
        assertThat(scene.broker().strings("select details::text from events where type = 'provider-saved' and provider_id = 'Corp'"))
                .singleElement().asString().contains("clientSecret").doesNotContain(SECRET);
    }

    @Test
    void keepsTheStoredSecretWhenAChangeLeavesItOut() {
        admin.put("/api/configuration/providers/Corp", corp(Map.of("clientSecret", SECRET)));

        HttpResponse<String> changed = admin.put("/api/configuration/providers/Corp", corp(Map.of()));

        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(json(changed).get("secrets").get("clientSecret").get("hasValue").asBoolean()).isTrue();
        assertThat(json(changed).get("version").asLong()).isEqualTo(2);
        ProviderStore store = scene.broker().server().injector().getInstance(ProviderStore.class);
        assertThat(store.find("Corp").orElseThrow().secrets()).containsEntry("clientSecret", SECRET);

        admin.put("/api/configuration/providers/Corp", corp(Map.of("clientSecret", "")));
        assertThat(json(admin.get("/api/configuration/providers/Corp")).get("secrets").get("clientSecret").get("hasValue").asBoolean())
                .isFalse();
    }

    @Test
    void storesSecretsEncryptedSoNoTableShowsThemInClear() {
        admin.put("/api/configuration/providers/Corp", corp(Map.of("clientSecret", SECRET)));

        List<String> tables = scene.broker().strings("select table_name from information_schema.tables where table_schema = 'public'");
        assertThat(tables).contains("providers", "events");
        for (String table : tables) {
            List<String> rows = scene.broker().strings("select t::text from \"" + table + "\" t");
            assertThat(String.join("\n", rows)).as(table).doesNotContain(SECRET).doesNotContain("corp-client-secret");
        }
        assertThat(scene.broker().strings("select secrets->>'clientSecret' from providers where id = 'Corp'"))
                .singleElement().asString().isNotBlank().isNotEqualTo(SECRET);
    }

    @Test
    void refusesInvalidSettingsNamingEachField() {
        Map<String, Object> bad = Map.of("type", "oidc", "settings", Map.of("enabled", "true", "issuer", "http://idp.example.com/",
                "clientId", "x", "roleClaimType", "", "clockSkewSeconds", "soon"));

        HttpResponse<String> refused = admin.put("/api/configuration/providers/Corp", bad);

        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode body = json(refused);
        assertThat(body.get("error").asText()).isEqualTo("invalid_settings");
        assertThat(body.get("fields").get("issuer").asText()).contains("https");
        assertThat(body.get("fields").get("roleClaimType").asText()).contains("must not be empty");
        assertThat(body.get("fields").get("clockSkewSeconds").asText()).contains("whole number");
        assertThat(scene.broker().count("select count(*) from providers where id = 'Corp'")).isZero();
    }

    @Test
    void refusesScopesWithoutOpenidEvenForADisabledProvider() {
        Map<String, Object> bad = Map.of("type", "oidc", "settings", Map.of("enabled", "false", "scopes", "profile email"));

        HttpResponse<String> refused = admin.put("/api/configuration/providers/Corp", bad);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).get("fields").get("scopes").asText()).contains("openid");
    }

    @Test
    void refusesAnIdThatIsNotSafeInAUrlPath() {
        HttpResponse<String> refused = admin.put("/api/configuration/providers/bad%20id", corp(Map.of()));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).get("fields").get("id").asText()).contains("letters, digits");
    }

    @Test
    void refusesAnUnknownType() {
        HttpResponse<String> refused = admin.put("/api/configuration/providers/Corp", Map.of("type", "saml", "settings", Map.of()));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).get("fields").get("type").asText()).contains("unknown provider type 'saml'");
    }

    @Test
    void deletesAProviderAndRecordsIt() {
        admin.put("/api/configuration/providers/Corp", corp(Map.of("clientSecret", SECRET)));

        assertThat(admin.delete("/api/configuration/providers/Corp").statusCode()).isEqualTo(204);

        assertThat(admin.get("/api/configuration/providers/Corp").statusCode()).isEqualTo(404);
        assertThat(admin.delete("/api/configuration/providers/Corp").statusCode()).isEqualTo(404);
        assertThat(scene.broker().strings("select type from events where provider_id = 'Corp' order by id"))
                .containsExactly("provider-saved", "provider-deleted");
    }

    @Test
    void aChangeSavedOnOneNodeReachesAnotherWithinSeconds() throws Exception {
        try (TestingBroker other = TestingBroker.anotherNode(scene.broker())) {
            TestingBrowser visitor = new TestingBrowser();
            assertThat(visitor.getJson(other.uri("/api/authentication/providers")).body()).contains("Test IdP");

            Map<String, Object> renamed = Map.of("type", "oidc", "settings", Map.of("enabled", "true",
                    "displayName", "Renamed IdP", "issuer", scene.idp().issuer(), "clientId", scene.idp().clientId()));
            assertThat(admin.put("/api/configuration/providers/GenericOidc", renamed).statusCode()).isEqualTo(200);
            long saved = System.nanoTime();
            String seen = "";
            while (System.nanoTime() - saved < 5_000_000_000L && !seen.contains("Renamed IdP")) {
                seen = visitor.getJson(other.uri("/api/authentication/providers")).body();
                Thread.sleep(50);
            }
            long millis = (System.nanoTime() - saved) / 1_000_000;
            System.out.println("The second node showed the change after " + millis + " ms");
            assertThat(seen).contains("Renamed IdP");
            assertThat(millis).isLessThan(3_000);
        }
    }
}
