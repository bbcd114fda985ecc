package org.idbroker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keycloak as a broker to the bench's IdP, configured through its admin REST API as an operator would in the admin
 * console: a realm {@code bench}; an OpenID Connect identity provider {@code bench} from the IdP's discovery document
 * (client secret sent with HTTP Basic, PKCE S256 as the IdP requires, the broker's scopes, sync mode left as it
 * comes, e-mail not trusted), whose first-broker-login flow creates new users without the review-profile page; an
 * attribute importer that keeps the {@code groups} claim as a multivalued user attribute (Keycloak's nearest to the
 * broker's group mapping: no built-in mapper turns claim values into groups); a confidential client {@code app}.
 * The realm's user profile drops the required last and first names: the IdP sends {@code given_name} and
 * {@code name}, never {@code family_name} (as Authentik), and a missing required attribute would stop every new
 * user at a profile page. Returning users are imported with their identity-provider links (one partial import).
 */
final class KeycloakTarget implements BenchTarget {

    static final String REALM = "bench";
    static final String ALIAS = "bench";
    static final String CLIENT = "app";
    /** The client the IdP registers for Keycloak (the broker's is {@link OidcProviderProcess#CLIENT_ID}). */
    static final String IDP_CLIENT_ID = "keycloak-broker";
    private static final String ADMIN = "bench-admin";

    private final KeycloakProcess keycloak;
    private final KeycloakAdmin admin;
    private final Path log;

    private KeycloakTarget(KeycloakProcess keycloak, KeycloakAdmin admin, Path log) {
        this.keycloak = keycloak;
        this.admin = admin;
        this.log = log;
    }

    /** Keycloak unpacked at {@code home} (already built by {@code kc.sh build}), run on the JDK at {@code javaHome}. */
    static Launcher launcher(Path home, Path javaHome) {
        return new Launcher() {
            @Override
            public String product() {
                return "Keycloak " + version(home);
            }

            @Override
            public List<String> settings() {
                return List.of("# Keycloak: " + home + "/bin/kc.sh start --optimized (production mode; built with --db=postgres"
                        + " --health-enabled=true), Java " + javaVersion(javaHome) + " at " + javaHome
                        + ", kc.sh's default JVM options (-Xms64m -Xmx512m, G1), default cache (Infinispan, JGroups on 127.0.0.1)");
            }

            @Override
            public BenchTarget start(Database database, Path work) throws Exception {
                byte[] bytes = new byte[18];
                new SecureRandom().nextBytes(bytes);
                String password = HexFormat.of().formatHex(bytes);
                Path log = work.resolve("keycloak.log");
                KeycloakProcess keycloak = KeycloakProcess.start(home, javaHome, database, ADMIN, password, log);
                return new KeycloakTarget(keycloak, new KeycloakAdmin(keycloak.port(), ADMIN, password), log);
            }
        };
    }

    private static String version(Path home) {
        try {
            return Files.readString(home.resolve("version.txt")).trim().replaceFirst("^Keycloak - Version ", "");
        } catch (IOException e) {
            return "(version unknown)";
        }
    }

    private static String javaVersion(Path javaHome) {
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return line.substring(13).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return "?";
    }

    @Override
    public String name() {
        return "Keycloak";
    }

    @Override
    public long pid() {
        return keycloak.pid();
    }

    @Override
    public Duration readyAfter() {
        return keycloak.readyAfter();
    }

    @Override
    public String readyNote() {
        return "launch of kc.sh start --optimized to the management port's first 200, fresh database, schema created";
    }

    @Override
    public String idpClientId() {
        return IDP_CLIENT_ID;
    }

    @Override
    public String idpRedirectUri() {
        return "http://127.0.0.1:" + keycloak.port() + "/realms/" + REALM + "/broker/" + ALIAS + "/endpoint";
    }

    /** Keycloak calls the IdP with Apache HttpClient on the request's own thread: no threads to show apart. */
    @Override
    public String[] idpClientThreads() {
        return new String[0];
    }

    @Override
    public void configure(OidcProviderProcess idp, Path work) throws Exception {
        admin.post("/admin/realms", Map.of("realm", REALM, "enabled", true));
        String realm = "/admin/realms/" + REALM;

        ObjectNode profile = (ObjectNode) admin.get(realm + "/users/profile");
        ArrayNode attributes = (ArrayNode) profile.get("attributes");
        for (JsonNode attribute : attributes) {
            String name = attribute.path("name").asText();
            if (name.equals("firstName") || name.equals("lastName")) {
                ((ObjectNode) attribute).remove("required");
            }
        }
        attributes.addObject().put("name", "groups").put("displayName", "Groups").put("multivalued", true)
                .set("permissions", profile.objectNode().<ObjectNode>set("view", profile.arrayNode().add("admin"))
                        .set("edit", profile.arrayNode().add("admin")));
        admin.put(realm + "/users/profile", profile);

        JsonNode discovered = admin.post(realm + "/identity-provider/import-config",
                Map.of("providerId", "oidc", "fromUrl", idp.issuer() + ".well-known/openid-configuration"));
        Map<String, Object> config = new LinkedHashMap<>();
        discovered.properties().forEach(field -> config.put(field.getKey(), field.getValue().asText()));
        config.put("clientId", IDP_CLIENT_ID);
        config.put("clientSecret", OidcProviderProcess.CLIENT_SECRET);
        config.put("clientAuthMethod", "client_secret_basic");
        config.put("defaultScope", "openid profile email groups");
        config.put("pkceEnabled", "true");
        config.put("pkceMethod", "S256");
        Map<String, Object> provider = new LinkedHashMap<>();
        provider.put("alias", ALIAS);
        provider.put("displayName", "Bench IdP");
        provider.put("providerId", "oidc");
        provider.put("enabled", true);
        provider.put("trustEmail", false);
        provider.put("firstBrokerLoginFlowAlias", "first broker login");
        provider.put("config", config);
        admin.post(realm + "/identity-provider/instances", provider);
        admin.post(realm + "/identity-provider/instances/" + ALIAS + "/mappers", Map.of("name", "groups",
                "identityProviderAlias", ALIAS, "identityProviderMapper", "oidc-user-attribute-idp-mapper",
                "config", Map.of("claim", "groups", "user.attribute", "groups", "syncMode", "INHERIT")));

        reviewProfileOff(realm);

        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        admin.post(realm + "/clients", Map.of("clientId", CLIENT, "enabled", true, "protocol", "openid-connect",
                "publicClient", false, "secret", HexFormat.of().formatHex(secret), "standardFlowEnabled", true,
                "directAccessGrantsEnabled", false, "redirectUris", List.of(KeycloakBrowser.APP_REDIRECT_URI)));
        System.out.println("# Keycloak: realm " + REALM + ", identity provider " + ALIAS + " (" + idp.issuer()
                + ", discovery, client_secret_basic, PKCE S256, groups attribute importer), first broker login without"
                + " review profile, client " + CLIENT);
    }

    /** The review-profile step of "first broker login": {@code update.profile.on.first.login} off (it is "missing"). */
    private void reviewProfileOff(String realm) throws Exception {
        for (JsonNode execution : admin.get(realm + "/authentication/flows/first%20broker%20login/executions")) {
            if (execution.path("providerId").asText().equals("idp-review-profile")) {
                String id = execution.path("authenticationConfig").asText(null);
                if (id == null) {
                    throw new IllegalStateException("the review-profile step has no configuration: " + execution);
                }
                ObjectNode config = (ObjectNode) admin.get(realm + "/authentication/config/" + id);
                ((ObjectNode) config.get("config")).put("update.profile.on.first.login", "off");
                admin.put(realm + "/authentication/config/" + id, config);
                return;
            }
        }
        throw new IllegalStateException("no review-profile step in Keycloak's first broker login flow");
    }

    /**
     * One partial import: each user with the IdP's e-mail and name, its groups attribute as the importer would have
     * set it, and the link to the IdP's subject, as a first sign-in leaves them.
     */
    @Override
    public void addReturningUsers(OidcProviderProcess idp, String prefix, int count) throws Exception {
        List<Object> users = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String username = prefix + i;
            users.add(Map.of("username", username, "enabled", true, "email", username + "@bench.example",
                    "emailVerified", false, "firstName", "Bench User " + username,
                    "attributes", Map.of("groups", List.of("bench-users", "bench-team-" + username.length() % 7)),
                    "federatedIdentities", List.of(Map.of("identityProvider", ALIAS, "userId", username, "userName", username))));
        }
        JsonNode result = admin.post("/admin/realms/" + REALM + "/partialImport", Map.of("ifResourceExists", "FAIL", "users", users));
        if (result == null || result.path("added").asInt() != count) {
            throw new IllegalStateException("Keycloak's partial import added " + (result == null ? "nothing" : result.path("added"))
                    + " of " + count + " users");
        }
    }

    /** The realm's user count, and what a new user's sign-in made: its profile, groups attribute and link. */
    @Override
    public List<String> afterLoad() throws Exception {
        String realm = "/admin/realms/" + REALM;
        JsonNode count = admin.get(realm + "/users/count");
        // the new-user phases' people are "new" and a number (the warm-up's are "warm...", the returning "bulk...")
        JsonNode found = admin.get(realm + "/users?username=new&max=1&briefRepresentation=false");
        if (found == null || found.isEmpty()) {
            return List.of("# Keycloak: " + count + " users in realm " + REALM + "; no new user");
        }
        JsonNode user = found.get(0);
        JsonNode links = admin.get(realm + "/users/" + user.path("id").asText() + "/federated-identity");
        return List.of("# Keycloak: " + count + " users in realm " + REALM + "; " + user.path("username").asText()
                + " made by its first sign-in: email "
                + user.path("email").asText() + ", first name \"" + user.path("firstName").asText() + "\", groups attribute "
                + user.path("attributes").path("groups") + ", linked to " + links);
    }

    @Override
    public Worker worker(OidcProviderProcess idp) {
        return new KeycloakBrowser(keycloak.port(), idp.port(), REALM, CLIENT, ALIAS);
    }

    @Override
    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        keycloak.close();
    }
}
