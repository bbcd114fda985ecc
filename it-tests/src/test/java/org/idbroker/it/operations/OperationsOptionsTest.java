package org.idbroker.it.operations;

import static org.assertj.core.api.Assertions.assertThat;

import org.idbroker.it.support.TestingBroker;
import org.junit.jupiter.api.Test;

/** Bad operations options give one line on stderr and exit 2, before anything starts. */
class OperationsOptionsTest {

    @Test
    void refusesAManagementPortThatIsNotAPort() {
        TestingBroker.CliResult result = TestingBroker.run("start-dev", "--http-port", "0", "--management-port", "metrics");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--management-port must be a port number or off");
    }

    @Test
    void neverPutsTheMetricsOnThePublicPort() {
        TestingBroker.CliResult result = TestingBroker.run("start-dev", "--http-port", "18080", "--management-port", "18080");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("must differ from --http-port");
    }

    @Test
    void refusesATrustedProxyThatIsNotAnAddress() {
        TestingBroker.CliResult result = TestingBroker.run("start-dev", "--http-port", "0", "--trusted-proxies", "10.0.0.0/8, proxy.example.com");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--trusted-proxies").contains("proxy.example.com");
    }

    @Test
    void refusesANegativeShutdownTimeout() {
        TestingBroker.CliResult result = TestingBroker.run("start-dev", "--http-port", "0", "--shutdown-timeout", "-1");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--shutdown-timeout");
    }
}
