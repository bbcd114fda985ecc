package org.idbroker.server.operations;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * How a node is run in production: its management port, the proxies it trusts, its access log and
 * how it drains when told to stop.
 *
 * @param managementPort the port of {@code /metrics} and the health checks, 0 for any free one, or
 *        {@link #OFF} for none (and no metrics kept)
 * @param managementBind the interface of the management port
 * @param trustedProxies addresses or CIDR ranges whose forwarded headers and request ids are believed
 * @param accessLog whether every request is logged (logger {@code org.idbroker.access})
 * @param shutdownDelay how long {@code /health/ready} answers 503 while everything is still served,
 *        so a load balancer stops sending before the port closes
 * @param shutdownTimeout how long requests in flight may take to finish once the port is closed
 * @param eventRetention how long events are kept; older ones are deleted continuously ({@link Duration#ZERO}: kept)
 */
public record Operations(int managementPort, String managementBind, List<String> trustedProxies, boolean accessLog,
        Duration shutdownDelay, Duration shutdownTimeout, Duration eventRetention) {

    public static final int OFF = -1;
    public static final Duration DEFAULT_SHUTDOWN_DELAY = Duration.ZERO;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_EVENT_RETENTION = Duration.ofDays(90);
    /** No management port, no trusted proxy, no access log, the default drain. */
    public static final Operations DEFAULT = new Operations(OFF, "0.0.0.0", List.of(), false, DEFAULT_SHUTDOWN_DELAY,
            DEFAULT_SHUTDOWN_TIMEOUT, DEFAULT_EVENT_RETENTION);

    public Operations {
        requireNonNull(managementBind, "managementBind is null");
        trustedProxies = List.copyOf(requireNonNull(trustedProxies, "trustedProxies is null"));
        requireNonNull(shutdownDelay, "shutdownDelay is null");
        requireNonNull(shutdownTimeout, "shutdownTimeout is null");
        requireNonNull(eventRetention, "eventRetention is null");
        if (managementPort < OFF || managementPort > 65535) {
            throw new IllegalArgumentException("the management port must be between 0 and 65535, got " + managementPort);
        }
        if (shutdownDelay.isNegative() || shutdownTimeout.isNegative() || eventRetention.isNegative()) {
            throw new IllegalArgumentException("the shutdown delay and timeout and the event retention must not be negative");
        }
    }

    public boolean managementEnabled() {
        return managementPort != OFF;
    }

    public Operations withManagementPort(int port) {
        return new Operations(port, managementBind, trustedProxies, accessLog, shutdownDelay, shutdownTimeout, eventRetention);
    }

    public Operations withTrustedProxies(List<String> proxies) {
        return new Operations(managementPort, managementBind, proxies, accessLog, shutdownDelay, shutdownTimeout, eventRetention);
    }

    public Operations withAccessLog(boolean on) {
        return new Operations(managementPort, managementBind, trustedProxies, on, shutdownDelay, shutdownTimeout, eventRetention);
    }

    public Operations withEventRetention(Duration retention) {
        return new Operations(managementPort, managementBind, trustedProxies, accessLog, shutdownDelay, shutdownTimeout, retention);
    }

    public Operations withShutdown(Duration delay, Duration timeout) {
        return new Operations(managementPort, managementBind, trustedProxies, accessLog, delay, timeout, eventRetention);
    }
}
