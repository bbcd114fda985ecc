package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.idbroker.core.clients.Clients;
import org.idbroker.it.support.TestingPostgres;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code start --apply FILE}, as an operator runs it: nodes in processes of their own on one new
 * database. Two started at the same moment both become ready; one made the changes, the other found
 * none left; a node given a bad file does not start and says why.
 */
class StartApplyTest {

    private static final String FILE = """
            version: 1
            users:
              alice: {email: alice@example.com, displayName: Alice Admin}
            teams:
              Administrators:
                description: Members administer the broker.
                members: [alice]
                roles: [system-administrator]
              Testers:
                description: People who test
                externalGroups: [{id: octopusTesters, displayName: Octopus testers}]
                roles: [user-viewer]
            sessions: {idleMinutes: 60, absoluteMinutes: 600}
            clients:
              app:
                name: App
                redirectUris: [https://app.example.com/callback]
                secret: {env: IDBROKER_SECRET_CLIENT_APP}
            """;
    /** The client's secret, in each node's environment only. */
    private static final String APP_SECRET = "app-secret-from-the-environment-0123456789";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> started = new ArrayList<>();
    private final String jdbcUrl = TestingPostgres.newDatabase();

    @TempDir
    Path work;

    @AfterEach
    void stop() throws InterruptedException {
        for (Process process : started) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        TestingPostgres.dropDatabase(jdbcUrl);
    }

    @Test
    void twoNodesStartedAtOnceWithTheSameFileBothStartAndOneOfThemAppliedIt() throws Exception {
        Path key = masterKey();
        Path file = Files.writeString(work.resolve("broker.yaml"), FILE);
        int firstPort = freePort();
        int secondPort = freePort();

        Process first = start(key, firstPort, "--apply", file.toString());
        Process second = start(key, secondPort, "--apply", file.toString());
        awaitReady(firstPort, first);
        awaitReady(secondPort, second);

        String firstLog = Files.readString(log(firstPort));
        String secondLog = Files.readString(log(secondPort));
        List<String> logs = List.of(firstLog, secondLog);
        assertThat(logs).filteredOn(l -> l.contains("--apply " + file + ": create team Testers")
                && l.contains("change team Administrators: add member alice")).hasSize(1);
        assertThat(logs).filteredOn(l -> l.contains("--apply " + file + ": no changes")).hasSize(1);
        assertThat(count("select count(*) from events where type = 'team-created' and user_agent = 'idbroker apply'"))
                .isEqualTo(1);
        assertThat(count("select count(*) from team_members m join teams t on t.id = m.team_id "
                + "join users u on u.id = m.user_id where t.builtin = 'administrators' and u.username = 'alice'")).isEqualTo(1);
        assertThat(new Clients(Jdbi.create(jdbcUrl, TestingPostgres.user(), "")).authenticate("app", APP_SECRET))
                .as("the secret came from the nodes' environment").isTrue();
        assertThat(firstLog + secondLog).doesNotContain(APP_SECRET);
    }

    @Test
    void aNodeGivenAFileThatCannotBeAppliedDoesNotStartAndListsEveryProblem() throws Exception {
        Path key = masterKey();
        Path file = Files.writeString(work.resolve("bad.yaml"), FILE.replace("roles: [user-viewer]", "roles: [no-such-role]")
                .replace("idleMinutes: 60", "idleMinutes: 0"));
        int port = freePort();

        Process node = startWithEnvironment(key, port, file);

        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(log(port));
        assertThat(node.exitValue()).as(log).isEqualTo(2);
        assertThat(log).contains("--apply " + file + " was not applied, nothing changed and the broker did not start: 2 problem(s)",
                "teams.Testers.roles[0] (line 12): no role has the id 'no-such-role'",
                "sessions (line 13): idleMinutes must be between 1 and");
        assertThat(count("select count(*) from teams")).isEqualTo(2);
    }

    /** The same start, the file named by IDBROKER_APPLY (the option's environment variable). */
    private Process startWithEnvironment(Path key, int port, Path file) throws IOException {
        return launch(key, port, List.of(), file);
    }

    private Process start(Path key, int port, String... extra) throws IOException {
        return launch(key, port, List.of(extra), null);
    }

    private Process launch(Path key, int port, List<String> extra, Path applyFromEnvironment) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "org.idbroker.server.cli.Main", "start", "--db-url", jdbcUrl, "--master-key-file", key.toString(),
                "--bind", "127.0.0.1", "--http-port", Integer.toString(port), "--public-url", "http://127.0.0.1:" + port));
        if (TestingPostgres.user() != null) {
            command.addAll(List.of("--db-username", TestingPostgres.user()));
        }
        command.addAll(extra);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(port).toFile());
        builder.environment().put("IDBROKER_SECRET_CLIENT_APP", APP_SECRET);
        if (applyFromEnvironment != null) {
            builder.environment().put("IDBROKER_APPLY", applyFromEnvironment.toString());
        }
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private void awaitReady(int port, Process node) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < until && node.isAlive()) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/health/ready")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the node on port " + port + " did not become ready: " + Files.readString(log(port)));
    }

    private long count(String sql) {
        Jdbi jdbi = Jdbi.create(jdbcUrl, TestingPostgres.user(), "");
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private Path log(int port) {
        return work.resolve("node-" + port + ".log");
    }

    private Path masterKey() throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Files.writeString(work.resolve("master.key"), Base64.getEncoder().encodeToString(key));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
