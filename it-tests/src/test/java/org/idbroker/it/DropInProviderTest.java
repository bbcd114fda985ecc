package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.idbroker.it.support.ProviderJar;
import org.idbroker.it.support.TestingAdmin;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.it.support.TestingIdp;
import org.idbroker.it.support.TicketService;
import org.idbroker.providers.oidc.flavour.OidcFlavour;
import org.idbroker.server.providers.ProviderTypesLoader;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.IdentityProviderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A provider module jar dropped into the providers folder: loaded in isolation, configured and used like a built-in one. */
class DropInProviderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TICKET_SOURCE = "org/example/ticket/TicketProviderFactory.java";
    private static final String TICKET_FACTORY = "org.example.ticket.TicketProviderFactory";

    @TempDir
    Path providers;

    private Path ticketJar() {
        return ProviderJar.build(providers.resolve("ticket-provider.jar"),
                Map.of(TICKET_SOURCE, ProviderJar.resource("dropin/TicketProviderFactory.java")), List.of(TICKET_FACTORY));
    }

    @Test
    void signsInThroughAProviderJarDroppedIntoTheProvidersFolder() throws Exception {
        ticketJar();
        try (TicketService tickets = TicketService.start(); TestingBroker broker = TestingBroker.startWithProviders(providers)) {
            IdentityProviderFactory type = broker.providerTypes().find("ticket").orElseThrow();
            assertThat(type.displayName()).isEqualTo("Ticket sign-in service");
            assertThat(broker.providerTypes().all()).extracting(IdentityProviderFactory::type).contains("authentik", "oidc", "ticket");

            broker.configure("--provider", "Tickets", "--type", "ticket", "--enabled", "true", "--display-name", "Company tickets",
                    "--set", "serverUrl=" + tickets.url());
            tickets.nextSignIn("user=carol\nname=Carol King\nemail=carol@example.com\nemailVerified=true\ngroups=ops,developers");
            TestingBrowser browser = new TestingBrowser();
            List<HttpResponse<String>> hops = browser.signIn(broker, "Tickets");

            assertThat(hops.get(hops.size() - 1).statusCode()).isEqualTo(200);
            HttpResponse<String> response = browser.getJson(broker.uri("/api/users/me"));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode me = JSON.readTree(response.body());
            assertThat(me.get("username").asText()).isEqualTo("carol");
            assertThat(me.get("displayName").asText()).isEqualTo("Carol King");
            assertThat(me.get("externalGroups")).extracting(JsonNode::asText).containsExactly("ops", "developers");
            assertThat(me.get("externalIdentities").get(0).get("providerId").asText()).isEqualTo("Tickets");
            assertThat(me.get("externalIdentities").get(0).get("issuer").asText()).isEqualTo(tickets.url());
            assertThat(JSON.readTree(browser.getJson(broker.uri("/api/authentication/providers")).body()).get(0)
                    .get("displayName").asText()).isEqualTo("Company tickets");
        }
    }

    @Test
    void doctorAndSupportBundleLoadTheProvidersFolderAndRunADroppedInTypesChecks() throws Exception {
        ticketJar();
        try (TicketService tickets = TicketService.start(); TestingBroker broker = TestingBroker.startWithProviders(providers)) {
            broker.configure("--provider", "Tickets", "--type", "ticket", "--enabled", "true", "--set", "serverUrl=" + tickets.url());

            // the test kit's command line gives every command but admin the broker's --providers-dir
            TestingBroker.CliResult doctor = broker.cli("doctor", "--provider", "Tickets");
            assertThat(doctor.exitCode()).as(doctor.out() + doctor.err()).isZero();
            assertThat(doctor.out()).contains("Provider Tickets (type ticket)", "OK    settings",
                    "OK    ticket service  " + tickets.url()).doesNotContain("not installed");

            Path zip = providers.resolve("bundle.zip");
            TestingBroker.CliResult bundle = broker.cli("support-bundle", "--output", zip.toString());
            assertThat(bundle.exitCode()).as(bundle.err()).isZero();
            try (ZipFile written = new ZipFile(zip.toFile())) {
                String findings = written.stream().filter(e -> e.getName().contains("doctor"))
                        .map(e -> read(written, e)).reduce("", String::concat);
                assertThat(findings).contains("ticket service").doesNotContain("not installed");
            }
        }
    }

    @Test
    void aFactoryThatThrowsIllegalArgumentExceptionOnAValueRefusesTheSettingsWithItsMessage() throws Exception {
        // the ticket type with its Server URL as plain text, so the broker does not check it and URI.create throws
        String unchecked = ProviderJar.resource("dropin/TicketProviderFactory.java").replace(
                "SettingDescriptor.url(\"serverUrl\", \"Server URL\",\n                \"The address of the ticket service, such as https://tickets.example.com/.\", true)",
                "SettingDescriptor.text(\"serverUrl\", \"Server URL\",\n                \"The address of the ticket service, such as https://tickets.example.com/.\", true, null)");
        assertThat(unchecked).contains("SettingDescriptor.text(\"serverUrl\"");
        ProviderJar.build(providers.resolve("ticket-provider.jar"), Map.of(TICKET_SOURCE, unchecked), List.of(TICKET_FACTORY));
        String bad = "https://tickets example.com/";
        try (TestingIdp idp = TestingIdp.start(); TestingBroker broker = TestingBroker.startWithProviders(providers)) {
            broker.configureOidc("GenericOidc", idp);
            TestingAdmin admin = TestingAdmin.signIn(broker, idp, "GenericOidc");

            HttpResponse<String> refused = admin.put("/api/configuration/providers/Tickets", Map.of("type", "ticket",
                    "settings", Map.of("enabled", "true", "serverUrl", bad)));

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            JsonNode answer = TestingAdmin.json(refused);
            assertThat(answer.get("error").asText()).isEqualTo("invalid_settings");
            assertThat(answer.get("fields").get("serverUrl").asText())
                    .isEqualTo("the provider type 'ticket' refused the settings: Illegal character in authority at index 8: " + bad);
            assertThat(admin.get("/api/configuration/providers/Tickets").statusCode()).isEqualTo(404);

            TestingBroker.CliResult configure = broker.cli("configure", "--provider", "Tickets", "--type", "ticket",
                    "--enabled", "true", "--set", "serverUrl=" + bad);
            assertThat(configure.exitCode()).isEqualTo(2);
            assertThat(configure.err()).isEqualTo("idbroker: the settings were not saved: serverUrl: the provider type 'ticket'"
                    + " refused the settings: Illegal character in authority at index 8: " + bad + System.lineSeparator());

            Path file = Files.writeString(providers.resolve("broker.yaml"), "version: 1\nproviders:\n  Tickets:\n    type: ticket\n"
                    + "    settings:\n      enabled: true\n      serverUrl: '" + bad + "'\n");
            TestingBroker.CliResult apply = broker.cli("apply", file.toString());
            assertThat(apply.exitCode()).isEqualTo(2);
            assertThat(apply.err()).contains("providers.Tickets.settings.serverUrl", "the provider type 'ticket' refused the settings");
        }
    }

    private static String read(ZipFile zip, ZipEntry entry) {
        try (var in = zip.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aProviderJarSeesTheHostsSpiAndNothingElseOfIt() throws Exception {
        ticketJar();
        IdentityProviderFactory factory = ProviderTypesLoader.load(providers).find("ticket").orElseThrow();
        ClassLoader loader = factory.getClass().getClassLoader();

        assertThat(loader).isNotSameAs(DropInProviderTest.class.getClassLoader());
        assertThat(loader.loadClass(IdentityProvider.class.getName())).isSameAs(IdentityProvider.class);
        // the generic OpenID Connect module's flavour API is exported to drop-in jars, and nothing else of it
        assertThat(loader.loadClass(OidcFlavour.class.getName())).isSameAs(OidcFlavour.class);
        for (String hostClass : List.of("org.idbroker.core.users.Users", "org.idbroker.server.BrokerServer",
                "org.idbroker.providers.oidc.OidcProviderFactory", "org.slf4j.Logger", "com.nimbusds.jwt.JWT")) {
            assertThatThrownBy(() -> loader.loadClass(hostClass)).as(hostClass).isInstanceOf(ClassNotFoundException.class);
        }
        assertThat(loader.loadClass("java.net.http.HttpClient")).isNotNull();
    }

    @Test
    void aJarWithoutAFactoryStopsTheStartNamingTheJar() {
        ProviderJar.build(providers.resolve("no-factory.jar"),
                Map.of(TICKET_SOURCE, ProviderJar.resource("dropin/TicketProviderFactory.java")), List.of());

        assertThatThrownBy(() -> TestingBroker.startWithProviders(providers))
                .hasMessageContaining("the provider jar no-factory.jar holds no provider factory")
                .hasMessageContaining("META-INF/services/org.idbroker.spi.IdentityProviderFactory");
        TestingBroker.CliResult start = TestingBroker.run("start", "--db-url", "jdbc:postgresql://127.0.0.1:1/unused",
                "--public-url", "https://broker.example.com", "--http-port", "0", "--providers-dir", providers.toString());
        assertThat(start.exitCode()).isEqualTo(1);
        assertThat(start.err()).contains("idbroker: the provider jar no-factory.jar holds no provider factory");
    }

    @Test
    void twoFactoriesWithTheSameTypeIdStopTheStartNamingTheJar() {
        String twin = ProviderJar.resource("dropin/TicketProviderFactory.java")
                .replace("class TicketProviderFactory", "class TwinTicketProviderFactory");
        ProviderJar.build(providers.resolve("twins.jar"), Map.of(TICKET_SOURCE, ProviderJar.resource("dropin/TicketProviderFactory.java"),
                "org/example/ticket/TwinTicketProviderFactory.java", twin), List.of(TICKET_FACTORY, "org.example.ticket.TwinTicketProviderFactory"));

        assertThatThrownBy(() -> TestingBroker.startWithProviders(providers))
                .hasMessageContaining("the provider jar twins.jar declares the provider type id 'ticket'")
                .hasMessageContaining("another factory in the same jar");
    }

    @Test
    void aJarRedeclaringABuiltInTypeStopsTheStartNamingTheJar() {
        String oidc = ProviderJar.resource("dropin/TicketProviderFactory.java").replace("return \"ticket\";", "return \"oidc\";");
        ProviderJar.build(providers.resolve("fake-oidc.jar"), Map.of(TICKET_SOURCE, oidc), List.of(TICKET_FACTORY));

        assertThatThrownBy(() -> TestingBroker.startWithProviders(providers))
                .hasMessageContaining("the provider jar fake-oidc.jar declares the provider type id 'oidc'")
                .hasMessageContaining("the built-in org.idbroker.providers.oidc.OidcProviderFactory");
    }

    @Test
    void anEmptyOrMissingProvidersFolderLoadsTheBuiltInTypes() throws Exception {
        assertThat(ProviderTypesLoader.load(providers).all()).extracting(IdentityProviderFactory::type).containsExactly("authentik", "ldap", "oidc");
        assertThat(ProviderTypesLoader.load(providers.resolve("absent")).all()).hasSize(3);
        Files.writeString(providers.resolve("README.txt"), "not a jar");
        assertThat(ProviderTypesLoader.load(providers).all()).hasSize(3);
    }
}
