package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.idbroker.core.crypto.Tokens;
import org.idbroker.it.support.TestingAdmin;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.it.support.TestingIdp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The support bundle: what support needs, and no secret, token or key anywhere in it. */
class SupportBundleTest {

    private TestingIdp idp;
    private TestingBroker broker;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        idp = TestingIdp.start();
        broker = TestingBroker.start();
        broker.configureOidc("GenericOidc", idp, "--scopes", "openid profile email groups");
    }

    @AfterEach
    void stop() {
        broker.close();
        idp.close();
    }

    private static Map<String, String> entries(Path zip) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    @Test
    void holdsWhatSupportNeedsAndNoSecretTokenOrKey() throws Exception {
        TestingAdmin admin = TestingAdmin.signIn(broker, idp, "GenericOidc");
        String sessionToken = admin.browser().cookie("idb_session").orElseThrow();
        String apiKey = "idb_" + Tokens.random();
        broker.jdbi().useHandle(h -> h.createUpdate("insert into api_keys (user_id, name, key_hash, prefix) "
                + "select id, 'ci', :hash, 'idb_' from users where username = 'boss'").bind("hash", Tokens.hash(apiKey)).execute());
        new TestingBrowser().navigate(broker.uri("/api/users/authenticatedToken/GenericOidc?state=forged&code=x"));
        Path zip = dir.resolve("bundle.zip");

        TestingBroker.CliResult result = broker.cli("support-bundle", "--output", zip.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Wrote").contains("bundle.zip");
        Map<String, String> entries = entries(zip);
        assertThat(entries).containsKeys("README.txt", "versions.json", "users.json", "failure-events.json",
                "providers/GenericOidc/settings.json", "providers/GenericOidc/doctor.txt", "providers/GenericOidc/metadata-1.json");
        assertThat(entries.get("providers/GenericOidc/metadata-1.json")).contains("\"issuer\"").contains(idp.issuer());
        assertThat(entries.get("providers/GenericOidc/settings.json")).contains("\"hasValue\" : true").contains(idp.clientId());
        assertThat(entries.get("providers/GenericOidc/doctor.txt")).contains("OK    redirect uri");
        assertThat(entries.get("users.json")).contains("\"boss\"").contains("boss@example.com").contains("sub-boss");
        assertThat(entries.get("failure-events.json")).contains("state_unknown");
        assertThat(entries.get("versions.json")).contains(System.getProperty("java.version"));

        byte[] masterKey = Base64.getDecoder().decode(broker.masterKey());
        Map<String, String> forbidden = Map.of(
                "client secret", idp.clientSecret(),
                "master key", broker.masterKey(),
                "master key (hex)", HexFormat.of().formatHex(masterKey),
                "master key (base64url)", Base64.getUrlEncoder().withoutPadding().encodeToString(masterKey),
                "session token", sessionToken,
                "API key", apiKey);
        entries.forEach((name, content) -> {
            forbidden.forEach((what, value) -> assertThat(content).as(what + " in " + name).doesNotContain(value));
            // no JWT (ID, access or logout token) either
            assertThat(content).as("a token in " + name).doesNotContainPattern("eyJ[A-Za-z0-9_-]{8,}\\.eyJ");
        });
        assertThat(Files.getPosixFilePermissions(zip)).extracting(Enum::name).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    }

    @Test
    void refusesAnOutputInAFolderThatDoesNotExist() {
        TestingBroker.CliResult result = broker.cli("support-bundle", "--output", dir.resolve("missing/bundle.zip").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("does not exist");
    }
}
