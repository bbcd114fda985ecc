package org.idbroker.it.support;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.idbroker.server.BrokerServer;
import org.idbroker.server.TrafficLimits;
import org.idbroker.server.operations.Operations;
import org.idbroker.server.providers.ProviderTypes;
import org.jdbi.v3.core.Jdbi;

/**
 * A real broker node on a random port, on a database of its own (or a shared one, for several
 * nodes), configured through the real command line: the provider test kit's
 * {@link org.idbroker.testkit.TestingBroker}, plus the mock-oauth2-server shortcut of these tests.
 */
public final class TestingBroker implements AutoCloseable {

    private final org.idbroker.testkit.TestingBroker broker;

    private TestingBroker(org.idbroker.testkit.TestingBroker broker) {
        this.broker = requireNonNull(broker, "broker is null");
    }

    /** A broker on a fresh database. */
    public static TestingBroker start() {
        return new TestingBroker(org.idbroker.testkit.TestingBroker.start());
    }

    /** A broker on a fresh database with these operations and request threads. */
    public static TestingBroker start(Operations operations, int httpThreads) {
        return new TestingBroker(org.idbroker.testkit.TestingBroker.start(operations, httpThreads));
    }

    /** A broker on a fresh database with these operations, request threads and traffic limits. */
    public static TestingBroker start(Operations operations, int httpThreads, TrafficLimits trafficLimits) {
        return new TestingBroker(org.idbroker.testkit.TestingBroker.start(operations, httpThreads, trafficLimits));
    }

    /** A broker on a fresh database with these operations. */
    public static TestingBroker start(Operations operations) {
        return start(operations, BrokerServer.DEFAULT_HTTP_THREADS);
    }

    /** A broker on a fresh database, loading provider jars from {@code providersDir}. */
    public static TestingBroker startWithProviders(Path providersDir) {
        return new TestingBroker(org.idbroker.testkit.TestingBroker.startWithProviders(providersDir));
    }

    /** A second node on the same database and master key as {@code other}. */
    public static TestingBroker anotherNode(TestingBroker other) {
        return new TestingBroker(org.idbroker.testkit.TestingBroker.anotherNode(other.broker));
    }

    /** The test kit's broker this wraps. */
    public org.idbroker.testkit.TestingBroker kit() {
        return broker;
    }

    public URI baseUri() {
        return broker.baseUri();
    }

    public URI uri(String path) {
        return broker.uri(path);
    }

    /** An address on the management port. */
    public URI managementUri(String path) {
        return broker.managementUri(path);
    }

    /** The master key (base64), to prove it appears nowhere it should not. */
    public String masterKey() {
        try {
            return Files.readString(broker.masterKeyFile()).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String jdbcUrl() {
        return broker.jdbcUrl();
    }

    public Jdbi jdbi() {
        return broker.jdbi();
    }

    public ProviderTypes providerTypes() {
        return broker.providerTypes();
    }

    /** The first column of every row of a query, as text. */
    public List<String> strings(String sql, Object... args) {
        return broker.strings(sql, args);
    }

    /** A single number a query answers, such as a count. */
    public long count(String sql, Object... args) {
        return broker.count(sql, args);
    }

    public BrokerServer server() {
        return broker.server();
    }

    /** Runs {@code bin/idbroker} with these arguments against this broker's database. */
    public CliResult cli(String... args) {
        return CliResult.of(broker.cli(args));
    }

    /** Runs the command line exactly as given. */
    public static CliResult run(String... args) {
        return CliResult.of(org.idbroker.testkit.TestingBroker.run(args));
    }

    /**
     * Registers an application with {@code idbroker client create --client-id ID OPTIONS...}, as an operator would;
     * returns the secret it printed once (the last line; meaningless for a public client).
     */
    public String createClient(String clientId, String... options) {
        List<String> args = new ArrayList<>(List.of("client", "create", "--client-id", clientId));
        args.addAll(List.of(options));
        CliResult created = cli(args.toArray(String[]::new));
        if (created.exitCode() != 0) {
            throw new IllegalStateException("client create failed: " + created.err());
        }
        return created.out().lines().reduce((a, b) -> b).orElseThrow();
    }

    /** Enables provider {@code id} pointing at {@code idp}, through the command line as an operator would. */
    public void configureOidc(String id, TestingIdp idp, String... extra) {
        Path secret = writeTemp(idp.clientSecret());
        List<String> args = new ArrayList<>(List.of("--provider", id, "--enabled", "true",
                "--issuer", idp.issuer(), "--client-id", idp.clientId(), "--client-secret-file", secret.toString(),
                "--display-name", "Test IdP"));
        args.addAll(List.of(extra));
        configure(args.toArray(String[]::new));
    }

    /**
     * Provider {@code GenericOidc} on {@code idp}, set up as the sign-in guide says: scopes
     * {@code openid profile email groups}, role claim {@code groups}, username claim
     * {@code preferred_username}, automatic user creation on.
     */
    public void configureAsTheGuideSays(TestingIdp idp) {
        configureOidc("GenericOidc", idp, "--scopes", "openid profile email groups", "--role-claim-type", "groups",
                "--username-claim-type", "preferred_username", "--allow-auto-user-creation", "true");
    }

    /** Runs {@code configure} with these arguments, as an operator would, and expects it to succeed. */
    public void configure(String... args) {
        broker.configure(args);
    }

    @Override
    public void close() {
        broker.close();
    }

    static Path writeTemp(String content) {
        return org.idbroker.testkit.TestingBroker.writeTemp(content);
    }

    /** What a command printed and its exit code. */
    public record CliResult(int exitCode, String out, String err) {
        static CliResult of(org.idbroker.testkit.TestingBroker.CliResult result) {
            return new CliResult(result.exitCode(), result.out(), result.err());
        }
    }
}
