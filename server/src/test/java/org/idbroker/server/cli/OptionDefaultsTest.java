package org.idbroker.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option of every command, read from picocli's model: its environment variable and its default as the README
 * gives them. An option added with a variable or a default and not listed here fails the test, as does one that
 * carries its own default instead of taking it from {@link OptionDefaults}.
 */
class OptionDefaultsTest {

    private static final String DATA = "--db-url --db-username --db-password-file --db-pool-size --data-dir --pg-binaries-dir"
            + " --master-key-file --previous-master-key-file";
    private static final String SERVER = "--http-port --bind --session-idle-minutes --session-max-minutes --http-threads"
            + " --idp-calls-per-provider --sign-in-starts-per-minute --password-failures-per-user-and-address"
            + " --password-failures-per-user --password-failures-per-address --log-format --management-port --management-bind"
            + " --trusted-proxies --access-log --shutdown-delay --shutdown-timeout --event-retention-days";

    private static final Map<String, OptionDefaults.Source> EXPECTED = Map.ofEntries(
            Map.entry("--db-url", env("IDBROKER_DB_URL", null)),
            Map.entry("--db-username", env("IDBROKER_DB_USERNAME", null)),
            Map.entry("--db-password-file", env("IDBROKER_DB_PASSWORD_FILE", null)),
            Map.entry("--db-pool-size", env("IDBROKER_DB_POOL_SIZE", "16")),
            Map.entry("--data-dir", env("IDBROKER_DATA_DIR", "data")),
            Map.entry("--pg-binaries-dir", env("IDBROKER_PG_BINARIES_DIR", null)),
            Map.entry("--master-key-file", env("IDBROKER_MASTER_KEY_FILE", null)),
            Map.entry("--previous-master-key-file", env("IDBROKER_PREVIOUS_MASTER_KEY_FILE", null)),
            Map.entry("--providers-dir", env("IDBROKER_PROVIDERS_DIR", null)),
            Map.entry("--http-port", env("IDBROKER_HTTP_PORT", "8080")),
            Map.entry("--bind", env("IDBROKER_BIND", "0.0.0.0")),
            Map.entry("--session-idle-minutes", env("IDBROKER_SESSION_IDLE_MINUTES", "480")),
            Map.entry("--session-max-minutes", env("IDBROKER_SESSION_MAX_MINUTES", "1440")),
            Map.entry("--http-threads", env("IDBROKER_HTTP_THREADS", "32")),
            Map.entry("--idp-calls-per-provider", env("IDBROKER_IDP_CALLS_PER_PROVIDER", "0")),
            Map.entry("--sign-in-starts-per-minute", env("IDBROKER_SIGN_IN_STARTS_PER_MINUTE", "600")),
            Map.entry("--password-failures-per-user-and-address", env("IDBROKER_PASSWORD_FAILURES_PER_USER_AND_ADDRESS", "5/15m")),
            Map.entry("--password-failures-per-user", env("IDBROKER_PASSWORD_FAILURES_PER_USER", "20/5m")),
            Map.entry("--password-failures-per-address", env("IDBROKER_PASSWORD_FAILURES_PER_ADDRESS", "100/15m")),
            Map.entry("--log-format", env("IDBROKER_LOG_FORMAT", "text")),
            Map.entry("--management-port", env("IDBROKER_MANAGEMENT_PORT", "off")),
            Map.entry("--management-bind", env("IDBROKER_MANAGEMENT_BIND", "0.0.0.0")),
            Map.entry("--trusted-proxies", env("IDBROKER_TRUSTED_PROXIES", "")),
            Map.entry("--access-log", env("IDBROKER_ACCESS_LOG", "false")),
            Map.entry("--shutdown-delay", env("IDBROKER_SHUTDOWN_DELAY", "0")),
            Map.entry("--shutdown-timeout", env("IDBROKER_SHUTDOWN_TIMEOUT", "30")),
            Map.entry("--event-retention-days", env("IDBROKER_EVENT_RETENTION_DAYS", "90")),
            Map.entry("--public-url", env("IDBROKER_PUBLIC_URL", "http://localhost:8080")),
            Map.entry("start --public-url", env("IDBROKER_PUBLIC_URL", null)),
            Map.entry("start-dev --public-url", env("IDBROKER_PUBLIC_URL", null)),
            Map.entry("start --apply", env("IDBROKER_APPLY", null)),
            Map.entry("client --client-id", env("IDBROKER_CLIENT_ID", null)),
            Map.entry("client --secret-file", env("IDBROKER_CLIENT_SECRET_FILE", null)),
            Map.entry("client create --type", new OptionDefaults.Source(null, "confidential")),
            Map.entry("client rotate-secret --overlap-minutes", new OptionDefaults.Source(null, "60")));

    /** Which commands have which options with a source; the rest have none. */
    private static final Map<String, String> COMMANDS = Map.ofEntries(
            Map.entry("start-dev", DATA + " " + SERVER + " --providers-dir --public-url"),
            Map.entry("start", DATA + " " + SERVER + " --providers-dir --public-url --apply"),
            Map.entry("admin", DATA),
            Map.entry("configure", DATA + " --providers-dir --public-url"),
            Map.entry("doctor", DATA + " --providers-dir --public-url"),
            Map.entry("support-bundle", DATA + " --providers-dir --public-url"),
            Map.entry("migrate", DATA),
            Map.entry("rotate-master-key", DATA),
            Map.entry("export", DATA + " --providers-dir"),
            Map.entry("apply", DATA + " --providers-dir --public-url"),
            Map.entry("client create", DATA + " --public-url --client-id --secret-file --type"),
            Map.entry("client update", DATA + " --public-url --client-id"),
            Map.entry("client delete", DATA + " --public-url --client-id"),
            Map.entry("client list", DATA + " --public-url"),
            Map.entry("client rotate-secret", DATA + " --public-url --client-id --secret-file --overlap-minutes"));

    @Test
    void everyOptionOfEveryCommandHasTheVariableAndDefaultTheReadmeGives() {
        List<String> checked = new ArrayList<>();
        Map<String, List<String>> sourced = new HashMap<>();
        for (OptionSpec option : options(Main.commandLine())) {
            String command = OptionDefaults.command(option);
            String name = option.longestName();
            assertThat(option.defaultValue()).as("%s %s takes its default from OptionDefaults", command, name).isNull();
            Optional<OptionDefaults.Source> source = OptionDefaults.of(command, name);
            source.ifPresent(s -> sourced.computeIfAbsent(command, c -> new ArrayList<>()).add(name));
            assertThat(source).as("%s %s", command, name).isEqualTo(Optional.ofNullable(expected(command, name)));
            source.ifPresent(s -> {
                String description = String.join(" ", option.description());
                if (s.env() != null) {
                    assertThat(description).as("the help of %s %s names its variable", command, name).contains("Env: " + s.env());
                }
                if (s.value() != null && !s.value().isEmpty() && System.getenv(String.valueOf(s.env())) == null
                        && option.descriptionKey().isEmpty() && description.contains("default: ")) {
                    assertThat(description).as("the help of %s %s shows its default", command, name)
                            .contains("default: " + s.value());
                }
                if (System.getenv(String.valueOf(s.env())) == null) {
                    assertThat(new OptionDefaults().defaultValue(option)).as("%s %s", command, name).isEqualTo(s.value());
                }
            });
            checked.add(command + " " + name);
        }
        Map<String, List<String>> expectedSourced = new HashMap<>();
        COMMANDS.forEach((command, names) -> expectedSourced.put(command, List.of(names.split(" "))));
        assertThat(sourced.keySet()).containsExactlyInAnyOrderElementsOf(expectedSourced.keySet());
        sourced.forEach((command, names) -> assertThat(names).as(command)
                .containsExactlyInAnyOrderElementsOf(expectedSourced.get(command)));
        assertThat(checked).hasSizeGreaterThan(100);
    }

    @Test
    void aVariableThatIsSetWinsAndAnEmptyOneCountsAsUnset() {
        OptionDefaults.Source path = new OptionDefaults.Source("PATH", "fallback");
        OptionDefaults.Source unset = new OptionDefaults.Source("IDBROKER_TEST_SURELY_UNSET_VARIABLE", "fallback");

        assertThat(path.resolve()).contains(System.getenv("PATH"));
        assertThat(unset.resolve()).contains("fallback");
        assertThat(new OptionDefaults.Source(null, null).resolve()).isEmpty();
    }

    private static OptionDefaults.Source expected(String command, String name) {
        if (!List.of(COMMANDS.getOrDefault(command, "").split(" ")).contains(name)) {
            return null;
        }
        OptionDefaults.Source own = EXPECTED.get(command + " " + name);
        if (own != null) {
            return own;
        }
        String parent = command.contains(" ") ? command.substring(0, command.indexOf(' ')) : command;
        return EXPECTED.getOrDefault(parent + " " + name, EXPECTED.get(name));
    }

    private static List<OptionSpec> options(CommandLine command) {
        List<OptionSpec> all = new ArrayList<>();
        for (OptionSpec option : command.getCommandSpec().options()) {
            if (!option.usageHelp() && !option.versionHelp()) {
                all.add(option);
            }
        }
        command.getSubcommands().values().forEach(sub -> all.addAll(options(sub)));
        return all;
    }

    private static OptionDefaults.Source env(String env, String value) {
        return new OptionDefaults.Source(env, value);
    }
}
