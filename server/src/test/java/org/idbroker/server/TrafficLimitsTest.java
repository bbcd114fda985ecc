package org.idbroker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.idbroker.core.sessions.SessionLifetimes;
import org.junit.jupiter.api.Test;

class TrafficLimitsTest {

    @Test
    void defaultsLeaveHalfOfWhatIsHandledAtOnceToEverythingButOneProvider() {
        assertThat(TrafficLimits.defaults(BrokerServer.DEFAULT_HTTP_THREADS)).isEqualTo(new TrafficLimits(14, 600));
        assertThat(TrafficLimits.defaults(BrokerServer.MIN_HTTP_THREADS)).isEqualTo(new TrafficLimits(2, 600));
        assertThat(RequestPriorities.maxRequests(BrokerServer.DEFAULT_HTTP_THREADS)).isEqualTo(28);
    }

    @Test
    void oneProviderMayNotTakeEverythingHandledAtOnce() {
        assertThatThrownBy(() -> new BrokerServer.Options(0, "127.0.0.1", null, false, SessionLifetimes.DEFAULT, 8,
                new TrafficLimits(4, 600))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer than");
        assertThatThrownBy(() -> new TrafficLimits(0, 600)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrafficLimits(2, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
