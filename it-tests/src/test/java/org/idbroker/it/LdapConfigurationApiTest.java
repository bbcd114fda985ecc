package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.idbroker.it.support.TestingAdmin.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.idbroker.it.support.TestingAdmin;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.it.support.TestingIdp;
import org.idbroker.it.support.TestingLdap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An administrator configures an LDAP provider with the settings API, a CA certificate of several lines included. */
class LdapConfigurationApiTest {

    private TestingIdp idp;
    private TestingLdap directory;
    private TestingBroker broker;
    private TestingAdmin admin;

    @BeforeEach
    void start() {
        idp = TestingIdp.start();
        directory = TestingLdap.start();
        broker = TestingBroker.start();
        broker.configureOidc("GenericOidc", idp);
        admin = TestingAdmin.signIn(broker, idp, "GenericOidc");
    }

    @AfterEach
    void stop() {
        broker.close();
        directory.close();
        idp.close();
    }

    @Test
    void configuresTheDirectoryWithAMultiLineCertificateAndAWriteOnlyBindPasswordAndSignsInThroughIt() throws Exception {
        String pem = someCaPem();
        Map<String, String> settings = new LinkedHashMap<>(settingsOf(directory.settings("unused")));
        settings.put("enabled", "true");
        settings.put("displayName", "Company directory");
        settings.put("allowAutoUserCreation", "true");
        settings.put("caCertificate", pem);

        var saved = admin.put("/api/configuration/providers/Corp", Map.of("type", "ldap", "settings", settings,
                "secrets", Map.of("bindPassword", TestingLdap.SERVICE_PASSWORD)));

        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(201);
        JsonNode view = json(admin.get("/api/configuration/providers/Corp"));
        assertThat(view.get("settings").get("caCertificate").asText()).isEqualTo(pem).contains("\n");
        assertThat(view.get("secrets").get("bindPassword").get("hasValue").asBoolean()).isTrue();
        assertThat(view.toString()).doesNotContain(TestingLdap.SERVICE_PASSWORD);
        JsonNode findings = json(admin.post("/api/configuration/providers/Corp/test", Map.of()));
        assertThat(findings.toString()).contains("service-bind").contains("sample-search");

        var refused = admin.put("/api/configuration/providers/Corp", Map.of("type", "ldap", "settings",
                Map.of("url", "http://ldap.example.com", "caCertificate", "not a certificate")));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).get("error").asText()).isEqualTo("invalid_settings");

        broker.kit().refreshProviders();
        TestingBrowser person = new TestingBrowser();
        person.signInWithPassword(broker.kit(), "Corp", null, "alice", TestingLdap.ALICE_PASSWORD);
        JsonNode me = json(person.getJson(broker.uri("/api/users/me")));
        assertThat(me.get("username").asText()).isEqualTo("alice");
        assertThat(me.get("externalGroups")).extracting(JsonNode::asText).containsExactly("developers");
    }

    /** {@code --set name=value} pairs as settings; the {@code --bind-password-file} is left out. */
    private static Map<String, String> settingsOf(List<String> arguments) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < arguments.size(); i += 2) {
            if (arguments.get(i).equals("--set")) {
                String pair = arguments.get(i + 1);
                settings.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        return settings;
    }

    /** A real CA certificate in PEM, several lines: the first of the JDK's trusted authorities. */
    private static String someCaPem() throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
            store.load(in, null);
        }
        Certificate certificate = store.getCertificate(store.aliases().nextElement());
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----";
    }
}
