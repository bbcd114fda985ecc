package org.idbroker.it.operations;

import static org.assertj.core.api.Assertions.assertThat;

import org.idbroker.it.support.TestingBroker;
import org.idbroker.server.operations.Operations;
import org.junit.jupiter.api.Test;

/** {@code idbroker health}, a container's health check: exit 0 while the node answers 200, 1 once it does not. */
class HealthCommandTest {

    @Test
    void exitsZeroWhileTheNodeIsReadyAndOneOnceItIsGone() {
        String port;
        try (TestingBroker broker = TestingBroker.start(Operations.DEFAULT.withManagementPort(0))) {
            port = Integer.toString(broker.managementUri("/").getPort());
            TestingBroker.CliResult ready = TestingBroker.run("health", "--port", port);
            TestingBroker.CliResult live = TestingBroker.run("health", "--port", Integer.toString(broker.baseUri().getPort()), "--live");

            assertThat(ready.exitCode()).as(ready.err()).isZero();
            assertThat(ready.out()).contains("/health/ready answered 200");
            assertThat(live.exitCode()).as(live.err()).isZero();
            assertThat(live.out()).contains("/health/live answered 200");
        }
        TestingBroker.CliResult gone = TestingBroker.run("health", "--port", port);

        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("does not answer").doesNotContain("Exception");
    }
}
