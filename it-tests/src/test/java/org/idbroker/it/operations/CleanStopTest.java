package org.idbroker.it.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.idbroker.it.support.LogCapture;
import org.idbroker.it.support.TestingBroker;
import org.junit.jupiter.api.Test;

/**
 * A node stopped right after it started, as a deployment that is rolled back at once or a failing health check does:
 * the background work it began at start (the signing keys' first check, the housekeeping) finishes or is cancelled
 * before the database pool closes, so the stop logs nothing an operator would have to look into.
 */
class CleanStopTest {

    @Test
    void aNodeStoppedAsSoonAsItStartedLogsNoWarningOrError() {
        try (LogCapture logs = LogCapture.start()) {
            for (int i = 0; i < 3; i++) {
                TestingBroker.start().close();
            }

            assertThat(logs.lines()).filteredOn(line -> line.startsWith("WARN") || line.startsWith("ERROR")).isEmpty();
            assertThat(logs.lines()).anyMatch(line -> line.contains("IdBroker listening on"));
        }
    }
}
