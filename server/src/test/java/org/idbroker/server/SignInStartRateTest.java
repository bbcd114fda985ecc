package org.idbroker.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SignInStartRateTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SignInStartRate rate = new SignInStartRate(null, 60, now::get);

    @Test
    void allowsABurstOfThePerMinuteCountThenSaysHowLongToWait() {
        for (int i = 0; i < 60; i++) {
            assertThat(rate.take("192.0.2.1")).isZero();
        }
        // one start per second refills: the next is a second away
        assertThat(rate.take("192.0.2.1")).isEqualTo(1_000_000_000L);
    }

    @Test
    void refillsContinuously() {
        for (int i = 0; i < 60; i++) {
            rate.take("192.0.2.1");
        }
        now.addAndGet(2_500_000_000L);
        assertThat(rate.take("192.0.2.1")).isZero();
        assertThat(rate.take("192.0.2.1")).isZero();
        assertThat(rate.take("192.0.2.1")).isEqualTo(500_000_000L);
    }

    @Test
    void countsEachAddressApart() {
        for (int i = 0; i < 60; i++) {
            rate.take("192.0.2.1");
        }
        assertThat(rate.take("192.0.2.1")).isPositive();
        assertThat(rate.take("192.0.2.2")).isZero();
    }
}
