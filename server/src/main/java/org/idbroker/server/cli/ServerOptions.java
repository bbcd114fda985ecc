package org.idbroker.server.cli;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.idbroker.core.sessions.SessionLifetimes;
import org.idbroker.core.signin.PasswordThrottle;
import org.idbroker.server.BrokerServer;
import org.idbroker.server.TrafficLimits;
import org.idbroker.server.logging.LogFormat;
import org.idbroker.server.operations.Operations;
import org.idbroker.server.operations.TrustedProxies;
import picocli.CommandLine.Option;

/** HTTP and session options shared by {@code start} and {@code start-dev}. */
final class ServerOptions {

    @Option(names = "--http-port", paramLabel = "N", description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one). Env: IDBROKER_HTTP_PORT.")
    int httpPort;

    @Option(names = "--bind", paramLabel = "HOST", description = "Interface to listen on (default: ${DEFAULT-VALUE}). Env: IDBROKER_BIND.")
    String bind;

    @Option(names = "--session-idle-minutes", paramLabel = "N", description = "A session unused this long ends (default: ${DEFAULT-VALUE}). Env: IDBROKER_SESSION_IDLE_MINUTES.")
    long sessionIdleMinutes;

    @Option(names = "--session-max-minutes", paramLabel = "N", description = "A session ends this long after sign-in (default: ${DEFAULT-VALUE}). Env: IDBROKER_SESSION_MAX_MINUTES.")
    long sessionMaxMinutes;

    @Option(names = "--http-threads", paramLabel = "N", description = "Requests served at once; more wait in a queue. Each sign-in holds one while it waits on the IdP,"
                    + " so raise it when the IdP is slow; each costs memory (default: ${DEFAULT-VALUE}). Env: IDBROKER_HTTP_THREADS.")
    int httpThreads;

    @Option(names = "--idp-calls-per-provider", paramLabel = "N", description = "Requests that may wait on one provider's IdP at once (sign-in starts, callbacks, back-channel"
                    + " logouts); one more waits half a second while the IdP answers, else is refused (503), so a slow IdP"
                    + " cannot take every request thread. 0: half of --http-threads minus 4, at least 1"
                    + " (default: ${DEFAULT-VALUE}). Env: IDBROKER_IDP_CALLS_PER_PROVIDER.")
    int idpCallsPerProvider;

    @Option(names = "--sign-in-starts-per-minute", paramLabel = "N",
            description = "Sign-ins one client address may start per minute (as many at once); more answer 429 with"
                    + " Retry-After. Behind a proxy every client has the proxy's address. 0 turns it off"
                    + " (default: ${DEFAULT-VALUE}). Env: IDBROKER_SIGN_IN_STARTS_PER_MINUTE.")
    int signInStartsPerMinute;

    @Option(names = "--password-failures-per-user-and-address", paramLabel = "N/TIME",
            description = "Wrong passwords one username may give from one client address within TIME (s, m or h) before"
                    + " its password sign-ins from there are refused until TIME has passed; 0 turns it off"
                    + " (default: ${DEFAULT-VALUE}). Env: IDBROKER_PASSWORD_FAILURES_PER_USER_AND_ADDRESS.")
    String passwordFailuresPerUserAndAddress;

    @Option(names = "--password-failures-per-user", paramLabel = "N/TIME",
            description = "Wrong passwords one username may give from anywhere within TIME; keep TIME short, since a burst"
                    + " from others locks the person out everywhere until it ends; 0 turns it off (default: ${DEFAULT-VALUE})."
                    + " Env: IDBROKER_PASSWORD_FAILURES_PER_USER.")
    String passwordFailuresPerUser;

    @Option(names = "--password-failures-per-address", paramLabel = "N/TIME",
            description = "Wrong passwords one client address may give for any usernames of a provider within TIME; behind"
                    + " a proxy every client has the proxy's address; 0 turns it off (default: ${DEFAULT-VALUE})."
                    + " Env: IDBROKER_PASSWORD_FAILURES_PER_ADDRESS.")
    String passwordFailuresPerAddress;

    @Option(names = "--log-format", paramLabel = "text|json", description = "text for people, or json for one JSON object per line (default: ${DEFAULT-VALUE}). Env: IDBROKER_LOG_FORMAT.")
    String logFormat;

    @Option(names = "--management-port", paramLabel = "N|off", description = "Port of /metrics (Prometheus) and the health checks, never the public port; off keeps no metrics"
                    + " (default: ${DEFAULT-VALUE}). Env: IDBROKER_MANAGEMENT_PORT.")
    String managementPort;

    @Option(names = "--management-bind", paramLabel = "HOST", description = "Interface of the management port (default: ${DEFAULT-VALUE}). Env: IDBROKER_MANAGEMENT_BIND.")
    String managementBind;

    @Option(names = "--trusted-proxies", paramLabel = "ADDRESSES", description = "Comma-separated IP addresses or CIDR ranges of the reverse proxies whose Forwarded, X-Forwarded-*"
                    + " and X-Request-Id headers are believed; from anyone else they are ignored (default: none)."
                    + " Env: IDBROKER_TRUSTED_PROXIES.")
    String trustedProxies;

    @Option(names = "--access-log", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
            description = "One log line per request (logger org.idbroker.access), JSON with --log-format json"
                    + " (default: ${DEFAULT-VALUE}). Env: IDBROKER_ACCESS_LOG.")
    boolean accessLog;

    @Option(names = "--shutdown-delay", paramLabel = "SECONDS", description = "On SIGTERM, how long /health/ready answers 503 while everything is still served, so the load"
                    + " balancer stops sending before the port closes (default: ${DEFAULT-VALUE}). Env: IDBROKER_SHUTDOWN_DELAY.")
    double shutdownDelay;

    @Option(names = "--shutdown-timeout", paramLabel = "SECONDS", description = "Then, how long requests in flight (sign-ins waiting on the IdP too) may take to finish"
                    + " (default: ${DEFAULT-VALUE}). Env: IDBROKER_SHUTDOWN_TIMEOUT.")
    double shutdownTimeout;

    @Option(names = "--event-retention-days", paramLabel = "DAYS", description = "Events older than this are deleted, continuously; 0 keeps them all (default: ${DEFAULT-VALUE})."
                    + " Env: IDBROKER_EVENT_RETENTION_DAYS.")
    int eventRetentionDays;

    Operations operations() {
        if (eventRetentionDays < 0 || eventRetentionDays > 36_500) {
            throw new CliException("--event-retention-days must be between 0 (keep every event) and 36500, got "
                    + eventRetentionDays, 2);
        }
        int port;
        if (managementPort == null || managementPort.isBlank() || managementPort.trim().equalsIgnoreCase("off")) {
            port = Operations.OFF;
        } else {
            try {
                port = Integer.parseInt(managementPort.trim());
            } catch (NumberFormatException e) {
                throw new CliException("--management-port must be a port number or off, got '" + managementPort + "'", 2);
            }
            if (port < 0 || port > 65535) {
                throw new CliException("--management-port must be between 0 and 65535, got " + port, 2);
            }
            if (port != 0 && port == httpPort) {
                throw new CliException("--management-port must differ from --http-port: metrics are never on the public port", 2);
            }
        }
        if (!(shutdownDelay >= 0 && shutdownDelay <= 3600) || !(shutdownTimeout >= 0 && shutdownTimeout <= 3600)) {
            throw new CliException("--shutdown-delay and --shutdown-timeout must be between 0 and 3600 seconds", 2);
        }
        List<String> proxies = trustedProxies == null || trustedProxies.isBlank() ? List.of()
                : Arrays.stream(trustedProxies.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
        try {
            new TrustedProxies(proxies);
        } catch (IllegalArgumentException e) {
            throw new CliException("--trusted-proxies: " + e.getMessage(), 2);
        }
        return new Operations(port, managementBind, proxies, accessLog,
                Duration.ofMillis(Math.round(shutdownDelay * 1000)), Duration.ofMillis(Math.round(shutdownTimeout * 1000)),
                Duration.ofDays(eventRetentionDays));
    }

    LogFormat logFormat() {
        try {
            return LogFormat.parse(logFormat);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), 2);
        }
    }

    SessionLifetimes lifetimes() {
        if (sessionIdleMinutes < 1 || sessionMaxMinutes < 1) {
            throw new CliException("session lifetimes must be at least one minute", 2);
        }
        return new SessionLifetimes(Duration.ofMinutes(sessionIdleMinutes), Duration.ofMinutes(sessionMaxMinutes));
    }

    TrafficLimits trafficLimits() {
        int perProvider = idpCallsPerProvider == 0 ? TrafficLimits.defaultIdpCallsPerProvider(httpThreads) : idpCallsPerProvider;
        return new TrafficLimits(perProvider, signInStartsPerMinute, new PasswordThrottle.Limits(
                limit("--password-failures-per-user-and-address", passwordFailuresPerUserAndAddress),
                limit("--password-failures-per-user", passwordFailuresPerUser),
                limit("--password-failures-per-address", passwordFailuresPerAddress)));
    }

    private static PasswordThrottle.Limit limit(String option, String value) {
        try {
            return PasswordThrottle.Limit.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CliException(option + ": " + e.getMessage(), 2);
        }
    }

    void check() {
        if (httpPort < 0 || httpPort > 65535) {
            throw new CliException("--http-port must be between 0 and 65535, got " + httpPort, 2);
        }
        if (httpThreads < BrokerServer.MIN_HTTP_THREADS || httpThreads > 10_000) {
            throw new CliException("--http-threads must be between " + BrokerServer.MIN_HTTP_THREADS + " and 10000, got "
                    + httpThreads, 2);
        }
        if (idpCallsPerProvider < 0 || idpCallsPerProvider >= httpThreads - 4) {
            throw new CliException("--idp-calls-per-provider must be between 1 and --http-threads minus five (" + (httpThreads - 5)
                    + "), or 0 for half of that; got " + idpCallsPerProvider, 2);
        }
        if (signInStartsPerMinute < 0) {
            throw new CliException("--sign-in-starts-per-minute must be 0 (off) or more, got " + signInStartsPerMinute, 2);
        }
        trafficLimits();
    }
}
