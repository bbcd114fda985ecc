package org.idbroker.server.cli;

import java.time.Duration;
import org.idbroker.core.sessions.SessionLifetimes;
import org.idbroker.server.BrokerServer;
import org.idbroker.server.logging.LogFormat;
import picocli.CommandLine.Option;

/** HTTP and session options shared by {@code start} and {@code start-dev}. */
final class ServerOptions {

    @Option(names = "--http-port", paramLabel = "N", defaultValue = "${env:IDBROKER_HTTP_PORT:-8080}",
            description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one). Env: IDBROKER_HTTP_PORT.")
    int httpPort;

    @Option(names = "--bind", paramLabel = "HOST", defaultValue = "${env:IDBROKER_BIND:-0.0.0.0}",
            description = "Interface to listen on (default: ${DEFAULT-VALUE}). Env: IDBROKER_BIND.")
    String bind;

    @Option(names = "--session-idle-minutes", paramLabel = "N", defaultValue = "${env:IDBROKER_SESSION_IDLE_MINUTES:-480}",
            description = "A session unused this long ends (default: ${DEFAULT-VALUE}). Env: IDBROKER_SESSION_IDLE_MINUTES.")
    long sessionIdleMinutes;

    @Option(names = "--session-max-minutes", paramLabel = "N", defaultValue = "${env:IDBROKER_SESSION_MAX_MINUTES:-1440}",
            description = "A session ends this long after sign-in (default: ${DEFAULT-VALUE}). Env: IDBROKER_SESSION_MAX_MINUTES.")
    long sessionMaxMinutes;

    @Option(names = "--http-threads", paramLabel = "N", defaultValue = "${env:IDBROKER_HTTP_THREADS:-32}",
            description = "Requests served at once; more wait in a queue. Each sign-in holds one while it waits on the IdP,"
                    + " so raise it when the IdP is slow; each costs memory (default: ${DEFAULT-VALUE}). Env: IDBROKER_HTTP_THREADS.")
    int httpThreads;

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "${env:IDBROKER_LOG_FORMAT:-text}",
            description = "text for people, or json for one JSON object per line (default: ${DEFAULT-VALUE}). Env: IDBROKER_LOG_FORMAT.")
    String logFormat;

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

    void check() {
        if (httpPort < 0 || httpPort > 65535) {
            throw new CliException("--http-port must be between 0 and 65535, got " + httpPort, 2);
        }
        if (httpThreads < BrokerServer.MIN_HTTP_THREADS || httpThreads > 10_000) {
            throw new CliException("--http-threads must be between " + BrokerServer.MIN_HTTP_THREADS + " and 10000, got "
                    + httpThreads, 2);
        }
    }
}
