package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.idbroker.it.support.ProviderJar;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.it.support.TestingIdp;
import org.idbroker.it.support.TestingLauncher;
import org.idbroker.providers.oidc.flavour.OidcFlavour;
import org.idbroker.spi.IdentityProviderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party OpenID Connect flavour as a drop-in jar: built from source at test time against the SPI and the generic
 * module's flavour API (bundling neither), dropped into the providers folder of the built broker, configured with its
 * command line and signed in through, its groups read from the nested claim {@code realm_access.roles}.
 */
class DropInFlavourTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void aFlavourJarSignsInThroughTheBuiltBrokerWithTheRolesOfANestedClaim() throws Exception {
        assumeTrue(TestingLauncher.built(), "the distribution is built by 'mvn package' in the distribution module: " + TestingLauncher.HOME);
        Path providers = Files.createDirectories(work.resolve("providers"));
        Path jar = ProviderJar.build(providers.resolve("realm-roles.jar"),
                Map.of("org/example/realmroles/RealmRolesFlavour.java", ProviderJar.resource("dropin/RealmRolesFlavour.java")),
                List.of("org.example.realmroles.RealmRolesFlavour"), List.of(IdentityProviderFactory.class, OidcFlavour.class));
        try (JarFile built = new JarFile(jar.toFile())) {
            assertThat(built.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")))
                    .containsExactly("org/example/realmroles/RealmRolesFlavour.class");
        }

        try (TestingIdp idp = TestingIdp.start();
                TestingLauncher broker = TestingLauncher.start(work, "--providers-dir", providers.toString())) {
            String configured = broker.configure("--provider", "Realm", "--type", "realm-roles", "--enabled", "true",
                    "--display-name", "Realm IdP", "--issuer", idp.issuer(), "--client-id", idp.clientId(),
                    "--client-secret-file", org.idbroker.testkit.TestingBroker.writeTemp(idp.clientSecret()).toString(), "--allow-auto-user-creation", "true");
            assertThat(configured).contains(broker.baseUri() + "/api/users/authenticatedToken/Realm");
            broker.awaitProvider("Realm");
            idp.nextSignIn("kc-7", Map.of("preferred_username", "kate", "name", "Kate Bell", "email", "kate@example.com",
                    "email_verified", true, "realm_access", Map.of("roles", List.of("ops", "offline_access")),
                    "groups", List.of("not-the-roles")));

            TestingBrowser browser = new TestingBrowser();
            browser.follow(broker.uri("/api/users/authenticate/Realm"));

            JsonNode me = JSON.readTree(browser.getJson(broker.uri("/api/users/me")).body());
            assertThat(me.get("username").asText()).isEqualTo("kate");
            assertThat(me.get("externalGroups")).extracting(JsonNode::asText).containsExactly("ops", "offline_access");
            assertThat(me.get("externalIdentities").get(0).get("issuer").asText()).isEqualTo(idp.issuer());
        }
    }
}
