package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.idbroker.it.support.TestingAdmin.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.idbroker.it.support.TestingAdmin;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingIdp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The doctor through the API and the command line, on the broker's part and the provider's. */
class DoctorTest {

    private TestingIdp idp;
    private TestingBroker broker;

    @BeforeEach
    void start() {
        idp = TestingIdp.start();
        broker = TestingBroker.start();
        broker.configureOidc("GenericOidc", idp);
    }

    @AfterEach
    void stop() {
        broker.close();
        idp.close();
    }

    @Test
    void cliFindsNoFailureInAHealthyProviderAndPrintsTheRedirectUri() {
        TestingBroker.CliResult result = broker.cli("doctor", "--provider", "GenericOidc");

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("OK    discovery").contains("OK    issuer").contains("OK    signing keys")
                .contains("OK    redirect uri").contains(broker.baseUri() + "/api/users/authenticatedToken/GenericOidc")
                .doesNotContain("FAIL");
        assertThat(result.out()).doesNotContain(idp.clientSecret());
    }

    @Test
    void cliExitsWithOneAndSaysWhatToChangeWhenTheIssuerLacksItsTrailingSlash() {
        broker.configure("--provider", "Broken", "--issuer", idp.issuer() + "/", "--client-id", "x", "--enabled", "false");

        TestingBroker.CliResult result = broker.cli("doctor", "--provider", "Broken");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("FAIL  issuer").contains("trailing slash").contains("enter '" + idp.issuer() + "'")
                .contains("WARN  enabled");
    }

    @Test
    void cliChecksEveryEnabledProviderAndSkipsDisabledOnes() {
        broker.configure("--provider", "Broken", "--issuer", "http://127.0.0.1:9/nothing", "--client-id", "x", "--enabled", "false");

        TestingBroker.CliResult result = broker.cli("doctor");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Provider GenericOidc (type oidc)").contains("Provider Broken (type oidc)")
                .contains("was not checked");
    }

    @Test
    void cliRefusesAnUnknownProvider() {
        TestingBroker.CliResult result = broker.cli("doctor", "--provider", "Nope");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("there is no provider 'Nope'").contains("GenericOidc");
    }

    @Test
    void cliFailsAProviderWhoseIdpCannotBeReached() {
        broker.configure("--provider", "Gone", "--issuer", "http://127.0.0.1:9/realms/gone", "--client-id", "x");

        TestingBroker.CliResult result = broker.cli("doctor", "--provider", "Gone");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("FAIL  discovery").contains("connection");
    }

    @Test
    void apiAnswersTheFindingsAsJson() {
        TestingAdmin admin = TestingAdmin.signIn(broker, idp, "GenericOidc");
        broker.configure("--provider", "Broken", "--issuer", idp.issuer() + "/", "--client-id", "x");

        HttpResponse<String> healthy = admin.post("/api/configuration/providers/GenericOidc/test", null);
        HttpResponse<String> broken = admin.post("/api/configuration/providers/Broken/test", null);

        assertThat(healthy.statusCode()).isEqualTo(200);
        assertThat(json(healthy).get("ok").asBoolean()).isTrue();
        assertThat(json(healthy).get("findings")).anySatisfy(f -> {
            assertThat(f.get("check").asText()).isEqualTo("redirect uri");
            assertThat(f.get("message").asText()).contains(broker.baseUri() + "/api/users/authenticatedToken/GenericOidc");
        });
        JsonNode report = json(broken);
        assertThat(report.get("ok").asBoolean()).isFalse();
        assertThat(report.get("findings")).anySatisfy(f -> {
            assertThat(f.get("check").asText()).isEqualTo("issuer");
            assertThat(f.get("severity").asText()).isEqualTo("FAIL");
            assertThat(f.get("message").asText()).contains("trailing slash");
        });
        assertThat(healthy.body() + broken.body()).doesNotContain(idp.clientSecret());
        assertThat(admin.post("/api/configuration/providers/Nope/test", null).statusCode()).isEqualTo(404);
    }
}
