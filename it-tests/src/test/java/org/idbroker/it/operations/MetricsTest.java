package org.idbroker.it.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.it.support.TestingIdp;
import org.idbroker.server.operations.Operations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} on the management port, scraped before and after real sign-ins, refusals, a
 * sign-out and a back-channel logout against a real IdP: every counter moves by what happened.
 */
class MetricsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private TestingIdp idp;
    private TestingBroker broker;

    @BeforeEach
    void start() {
        idp = TestingIdp.start();
        broker = TestingBroker.start(Operations.DEFAULT.withManagementPort(0));
        broker.configureAsTheGuideSays(idp);
        // a second instance on the same IdP that creates nobody: its sign-ins are refused
        broker.configureOidc("Strict", idp, "--allow-auto-user-creation", "false");
    }

    @AfterEach
    void stop() {
        broker.close();
        idp.close();
    }

    @Test
    void countsSignInsRefusalsIdpCallsAndSessions() throws Exception {
        Scrape before = scrape();

        TestingBrowser alice = new TestingBrowser();
        signIn(alice, "GenericOidc", "sub-alice", "alice");
        signIn(new TestingBrowser(), "GenericOidc", "sub-alice", "alice");
        signIn(new TestingBrowser(), "Strict", "sub-carol", "carol");
        new TestingBrowser().navigate(broker.uri("/api/users/authenticatedToken/NoSuchProvider?code=abc&state=forged"));
        new TestingBrowser().navigate(broker.uri("/api/users/authenticatedToken/AnotherMadeUpOne?code=abc&state=forged"));
        new TestingBrowser().navigate(broker.uri("/api/users/authenticatedToken/GenericOidc?code=abc&state=forged"));
        assertThat(alice.postJson(broker.uri("/api/users/sign-out"), "").statusCode()).isEqualTo(200);
        HttpResponse<String> logout = HTTP.send(HttpRequest.newBuilder(broker.uri("/api/users/backchannel-logout/GenericOidc"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("logout_token=not.a.jwt")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(logout.statusCode()).isEqualTo(400);

        Scrape after = scrape();
        String strictReason = broker.strings("select reason from events where type = 'sign-in' and provider_id = 'Strict'").get(0);
        String stateReason = broker.strings("select reason from events where type = 'sign-in' and outcome = 'failure'"
                + " and provider_id = 'GenericOidc'").get(0);
        assertThat(broker.strings("select reason from events where provider_id = 'NoSuchProvider'")).containsExactly(stateReason);
        String logoutReason = broker.strings("select reason from events where type = 'backchannel-logout'").get(0);

        assertThat(delta(before, after, "idbroker_sign_ins_total", "provider", "GenericOidc", "outcome", "success", "reason", "none"))
                .isEqualTo(2);
        assertThat(delta(before, after, "idbroker_sign_ins_total", "provider", "Strict", "outcome", "failure", "reason", strictReason))
                .isEqualTo(1);
        assertThat(delta(before, after, "idbroker_sign_ins_total", "provider", "GenericOidc", "outcome", "failure", "reason", stateReason))
                .isEqualTo(1);
        // made-up provider ids all count under one tag value, so a caller cannot grow the metrics without bound
        assertThat(delta(before, after, "idbroker_sign_ins_total", "provider", "unknown", "outcome", "failure", "reason",
                stateReason)).isEqualTo(2);
        assertThat(after.toString()).doesNotContain("NoSuchProvider");
        assertThat(delta(before, after, "idbroker_sign_in_duration_seconds_count", "provider", "GenericOidc", "outcome", "success"))
                .isEqualTo(2);
        assertThat(after.value("idbroker_sign_in_duration_seconds_sum", "provider", "GenericOidc", "outcome", "success"))
                .isPositive();
        // three code exchanges reached the token endpoint: the two accepted sign-ins and the refused one
        assertThat(delta(before, after, "idbroker_idp_requests_seconds_count", "provider", "GenericOidc", "endpoint", "token",
                "outcome", "ok")).isEqualTo(2);
        assertThat(delta(before, after, "idbroker_idp_requests_seconds_count", "provider", "Strict", "endpoint", "token",
                "outcome", "ok")).isEqualTo(1);
        assertThat(after.value("idbroker_idp_requests_seconds_count", "provider", "GenericOidc", "endpoint", "discovery",
                "outcome", "ok")).isGreaterThanOrEqualTo(1);
        assertThat(after.value("idbroker_idp_requests_seconds_count", "provider", "GenericOidc", "endpoint", "jwks",
                "outcome", "ok")).isGreaterThanOrEqualTo(1);
        assertThat(delta(before, after, "idbroker_sessions_started_total", "provider", "GenericOidc")).isEqualTo(2);
        assertThat(delta(before, after, "idbroker_sessions_ended_total", "reason", "sign_out")).isEqualTo(1);
        assertThat(delta(before, after, "idbroker_backchannel_logouts_total", "provider", "GenericOidc", "outcome", "failure",
                "reason", logoutReason)).isEqualTo(1);

        for (String name : List.of("hikaricp_connections_active", "hikaricp_connections_idle", "hikaricp_connections_pending",
                "hikaricp_connections_timeout_total", "jetty_threads_busy", "jetty_threads_jobs", "jvm_memory_used_bytes",
                "jvm_threads_live_threads", "process_cpu_usage", "process_uptime_seconds")) {
            assertThat(after.has(name)).as(name).isTrue();
        }
    }

    @Test
    void metricsAreOnlyOnTheManagementPortWithTheHealthChecks() throws Exception {
        assertThat(get(broker.uri("/metrics"), null).statusCode()).isEqualTo(404);
        assertThat(get(broker.managementUri("/health/ready"), null).body()).contains("UP");
        assertThat(get(broker.managementUri("/health/live"), null).statusCode()).isEqualTo(200);
        assertThat(get(broker.managementUri("/api/users/me"), null).statusCode()).isEqualTo(404);

        HttpResponse<String> openMetrics = get(broker.managementUri("/metrics"), "application/openmetrics-text; version=1.0.0");
        assertThat(openMetrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
        assertThat(openMetrics.body()).contains("# EOF");
        HttpResponse<String> text = get(broker.managementUri("/metrics"), null);
        assertThat(text.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
    }

    private void signIn(TestingBrowser browser, String provider, String subject, String username) {
        idp.nextSignIn(subject, Map.of("preferred_username", username, "email", username + "@example.com", "email_verified", true));
        browser.signIn(broker, provider);
    }

    private static double delta(Scrape before, Scrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private Scrape scrape() throws Exception {
        HttpResponse<String> response = get(broker.managementUri("/metrics"), null);
        assertThat(response.statusCode()).isEqualTo(200);
        return new Scrape(response.body());
    }

    private static HttpResponse<String> get(URI uri, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
