package org.idbroker.server.cli;

import java.util.Map;
import java.util.Optional;
import org.idbroker.core.sessions.SessionLifetimes;
import org.idbroker.core.signin.PasswordThrottle;
import org.idbroker.server.BrokerServer;
import org.idbroker.server.TrafficLimits;
import org.idbroker.server.operations.Operations;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The environment variable and the default of every option that has them, the one place they are written: picocli
 * asks here for every option's default ({@link Main#commandLine} sets it on every command). An option of the shared
 * option sets (database, server, providers) is found by its name; any other by its command and name, such as
 * {@code client create --type}. A set variable wins over the default, an empty one counts as unset.
 */
final class OptionDefaults implements IDefaultValueProvider {

    /** Where an option's value comes from when it is not given: a variable, else a value; either may be absent. */
    record Source(String env, String value) {
        Optional<String> resolve() {
            String set = env == null ? null : System.getenv(env);
            return Optional.ofNullable(set == null || set.isEmpty() ? value : set);
        }
    }

    static final String HTTP_PORT = "8080";
    static final String LOCAL_PUBLIC_URL = "http://localhost:" + HTTP_PORT;

    private static final Map<String, Source> SHARED = Map.ofEntries(
            Map.entry("--db-url", env("IDBROKER_DB_URL")),
            Map.entry("--db-username", env("IDBROKER_DB_USERNAME")),
            Map.entry("--db-password-file", env("IDBROKER_DB_PASSWORD_FILE")),
            Map.entry("--db-pool-size", env("IDBROKER_DB_POOL_SIZE", "16")),
            Map.entry("--data-dir", env("IDBROKER_DATA_DIR", "data")),
            Map.entry("--pg-binaries-dir", env("IDBROKER_PG_BINARIES_DIR")),
            Map.entry("--master-key-file", env("IDBROKER_MASTER_KEY_FILE")),
            Map.entry("--previous-master-key-file", env("IDBROKER_PREVIOUS_MASTER_KEY_FILE")),
            Map.entry("--providers-dir", env(ProvidersOptions.ENV)),
            Map.entry("--http-port", env("IDBROKER_HTTP_PORT", HTTP_PORT)),
            Map.entry("--bind", env("IDBROKER_BIND", "0.0.0.0")),
            Map.entry("--session-idle-minutes", env("IDBROKER_SESSION_IDLE_MINUTES",
                    Long.toString(SessionLifetimes.DEFAULT.idle().toMinutes()))),
            Map.entry("--session-max-minutes", env("IDBROKER_SESSION_MAX_MINUTES",
                    Long.toString(SessionLifetimes.DEFAULT.absolute().toMinutes()))),
            Map.entry("--http-threads", env("IDBROKER_HTTP_THREADS", Integer.toString(BrokerServer.DEFAULT_HTTP_THREADS))),
            Map.entry("--idp-calls-per-provider", env("IDBROKER_IDP_CALLS_PER_PROVIDER", "0")),
            Map.entry("--sign-in-starts-per-minute", env("IDBROKER_SIGN_IN_STARTS_PER_MINUTE",
                    Integer.toString(TrafficLimits.DEFAULT_SIGN_IN_STARTS_PER_MINUTE))),
            Map.entry("--password-failures-per-user-and-address", env("IDBROKER_PASSWORD_FAILURES_PER_USER_AND_ADDRESS",
                    PasswordThrottle.Limits.DEFAULT_PER_USER_AND_ADDRESS)),
            Map.entry("--password-failures-per-user", env("IDBROKER_PASSWORD_FAILURES_PER_USER",
                    PasswordThrottle.Limits.DEFAULT_PER_USER)),
            Map.entry("--password-failures-per-address", env("IDBROKER_PASSWORD_FAILURES_PER_ADDRESS",
                    PasswordThrottle.Limits.DEFAULT_PER_ADDRESS)),
            Map.entry("--log-format", env("IDBROKER_LOG_FORMAT", "text")),
            Map.entry("--management-port", env("IDBROKER_MANAGEMENT_PORT", "off")),
            Map.entry("--management-bind", env("IDBROKER_MANAGEMENT_BIND", Operations.DEFAULT.managementBind())),
            Map.entry("--trusted-proxies", env("IDBROKER_TRUSTED_PROXIES", "")),
            Map.entry("--access-log", env("IDBROKER_ACCESS_LOG", Boolean.toString(Operations.DEFAULT.accessLog()))),
            Map.entry("--shutdown-delay", env("IDBROKER_SHUTDOWN_DELAY",
                    Long.toString(Operations.DEFAULT_SHUTDOWN_DELAY.toSeconds()))),
            Map.entry("--shutdown-timeout", env("IDBROKER_SHUTDOWN_TIMEOUT",
                    Long.toString(Operations.DEFAULT_SHUTDOWN_TIMEOUT.toSeconds()))),
            Map.entry("--event-retention-days", env("IDBROKER_EVENT_RETENTION_DAYS",
                    Long.toString(Operations.DEFAULT_EVENT_RETENTION.toDays()))));

    private static final Source PUBLIC_URL = env("IDBROKER_PUBLIC_URL", LOCAL_PUBLIC_URL);
    private static final Source CLIENT_ID = env("IDBROKER_CLIENT_ID");
    private static final Source CLIENT_SECRET_FILE = env("IDBROKER_CLIENT_SECRET_FILE");

    private static final Map<String, Source> BY_COMMAND = Map.ofEntries(
            Map.entry("start --public-url", env("IDBROKER_PUBLIC_URL")),
            Map.entry("start-dev --public-url", env("IDBROKER_PUBLIC_URL")),
            Map.entry("start --apply", env("IDBROKER_APPLY")),
            Map.entry("configure --public-url", PUBLIC_URL),
            Map.entry("doctor --public-url", PUBLIC_URL),
            Map.entry("support-bundle --public-url", PUBLIC_URL),
            Map.entry("apply --public-url", PUBLIC_URL),
            Map.entry("client create --public-url", PUBLIC_URL),
            Map.entry("client update --public-url", PUBLIC_URL),
            Map.entry("client delete --public-url", PUBLIC_URL),
            Map.entry("client list --public-url", PUBLIC_URL),
            Map.entry("client rotate-secret --public-url", PUBLIC_URL),
            Map.entry("client create --client-id", CLIENT_ID),
            Map.entry("client update --client-id", CLIENT_ID),
            Map.entry("client delete --client-id", CLIENT_ID),
            Map.entry("client rotate-secret --client-id", CLIENT_ID),
            Map.entry("client create --secret-file", CLIENT_SECRET_FILE),
            Map.entry("client rotate-secret --secret-file", CLIENT_SECRET_FILE),
            Map.entry("client create --type", value("confidential")),
            Map.entry("client rotate-secret --overlap-minutes", value("60")));

    /** Where the option {@code name} of the command {@code command} (such as {@code client create}) gets its value. */
    static Optional<Source> of(String command, String name) {
        return Optional.ofNullable(BY_COMMAND.get(command + " " + name)).or(() -> Optional.ofNullable(SHARED.get(name)));
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        return of(command(option), option.longestName()).flatMap(Source::resolve).orElse(null);
    }

    /** {@code client create} for {@code idbroker client create}. */
    static String command(OptionSpec option) {
        String qualified = option.command().qualifiedName(" ");
        int space = qualified.indexOf(' ');
        return space < 0 ? "" : qualified.substring(space + 1);
    }

    private static Source env(String name) {
        return new Source(name, null);
    }

    private static Source env(String name, String value) {
        return new Source(name, value);
    }

    private static Source value(String value) {
        return new Source(null, value);
    }
}
