package org.idbroker.testkit;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.db.Database;
import org.idbroker.core.db.DatabaseSettings;
import org.idbroker.core.sessions.SessionLifetimes;
import org.idbroker.server.BrokerServer;
import org.idbroker.server.TrafficLimits;
import org.idbroker.server.cli.Main;
import org.idbroker.server.operations.Operations;
import org.idbroker.server.providers.ProviderRegistry;
import org.idbroker.server.providers.ProviderTypes;
import org.idbroker.server.providers.ProviderTypesLoader;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine;

/**
 * A real broker node on a random port, on a database of its own (or a shared one, for several
 * nodes), configured through the real command line.
 */
public final class TestingBroker implements AutoCloseable {

    private final String jdbcUrl;
    private final boolean ownsDatabase;
    private final Path masterKeyFile;
    private final Path providersDir;
    private final Database database;
    private final BrokerServer server;

    private TestingBroker(String jdbcUrl, boolean ownsDatabase, Path masterKeyFile, Path providersDir) {
        this(jdbcUrl, ownsDatabase, masterKeyFile, providersDir,
                new BrokerServer.Options(0, "127.0.0.1", null, false, SessionLifetimes.DEFAULT));
    }

    private TestingBroker(String jdbcUrl, boolean ownsDatabase, Path masterKeyFile, Path providersDir,
            BrokerServer.Options options) {
        ProviderTypes types = ProviderTypesLoader.load(providersDir);
        this.jdbcUrl = jdbcUrl;
        this.ownsDatabase = ownsDatabase;
        this.masterKeyFile = masterKeyFile;
        this.providersDir = providersDir;
        this.database = Database.open(new DatabaseSettings(jdbcUrl, TestingPostgres.user(), null, 8)).migrate();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(Files.readString(masterKeyFile).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            this.server = BrokerServer.start(options, database, new SecretCipher(key), types);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** A broker on a fresh database. */
    public static TestingBroker start() {
        return new TestingBroker(TestingPostgres.newDatabase(), true, newMasterKeyFile(), null);
    }

    /**
     * A broker on a fresh database, run as in production: with these operations (management port,
     * trusted proxies, access log, draining) and this many request threads.
     */
    public static TestingBroker start(Operations operations, int httpThreads) {
        return start(operations, httpThreads, TrafficLimits.defaults(httpThreads));
    }

    /** As {@link #start(Operations, int)}, with these traffic limits (IdP calls per provider, sign-in starts per address). */
    public static TestingBroker start(Operations operations, int httpThreads, TrafficLimits trafficLimits) {
        return new TestingBroker(TestingPostgres.newDatabase(), true, newMasterKeyFile(), null,
                new BrokerServer.Options(0, "127.0.0.1", null, false, SessionLifetimes.DEFAULT, httpThreads, operations,
                        trafficLimits));
    }

    /**
     * A broker on a fresh database, loading provider jars from {@code providersDir} as an installation
     * loads its {@code providers/} folder; its command line sees the same jars. A bad jar fails here,
     * before any database is made.
     */
    public static TestingBroker startWithProviders(Path providersDir) {
        ProviderTypesLoader.load(providersDir);
        return new TestingBroker(TestingPostgres.newDatabase(), true, newMasterKeyFile(), providersDir);
    }

    /** A second node on the same database, master key and provider jars as {@code other}. */
    public static TestingBroker anotherNode(TestingBroker other) {
        return new TestingBroker(other.jdbcUrl, false, other.masterKeyFile, other.providersDir);
    }

    public URI baseUri() {
        return server.config().publicUrl();
    }

    public URI uri(String path) {
        return URI.create(baseUri() + path);
    }

    /** An address on the management port (started with one). */
    public URI managementUri(String path) {
        if (server.managementPort() < 0) {
            throw new IllegalStateException("this broker has no management port");
        }
        return URI.create("http://127.0.0.1:" + server.managementPort() + path);
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Path masterKeyFile() {
        return masterKeyFile;
    }

    public Jdbi jdbi() {
        return database.jdbi();
    }

    /** The provider types this node loaded, built-in and dropped in. */
    public ProviderTypes providerTypes() {
        return server.injector().getInstance(ProviderTypes.class);
    }

    /** The first column of every row of a query, as text. */
    public List<String> strings(String sql, Object... args) {
        return jdbi().withHandle(h -> {
            var query = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) {
                query.bind(i, args[i]);
            }
            return query.mapTo(String.class).list();
        });
    }

    /** A single number a query answers, such as a count. */
    public long count(String sql, Object... args) {
        return jdbi().withHandle(h -> {
            var query = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) {
                query.bind(i, args[i]);
            }
            return query.mapTo(Long.class).one();
        });
    }

    public BrokerServer server() {
        return server;
    }

    /** Runs {@code bin/idbroker} with these arguments against this broker's database (and provider jars). */
    public CliResult cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--db-url", jdbcUrl, "--master-key-file", masterKeyFile.toString()));
        if (!args[0].equals("admin") && !args[0].equals("export")) {
            all.addAll(List.of("--public-url", baseUri().toString()));
        }
        if (providersDir != null && !args[0].equals("admin")) {
            all.addAll(List.of("--providers-dir", providersDir.toString()));
        }
        if (TestingPostgres.user() != null) {
            all.addAll(List.of("--db-username", TestingPostgres.user()));
        }
        return run(all.toArray(String[]::new));
    }

    /** Runs the command line exactly as given. */
    public static CliResult run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliResult(code, out.toString(), err.toString());
    }

    /** Runs {@code configure} with these arguments, as an operator would, and expects it to succeed. */
    public void configure(String... args) {
        List<String> all = new ArrayList<>(List.of("configure"));
        all.addAll(List.of(args));
        CliResult result = cli(all.toArray(String[]::new));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("configure failed: " + result.err());
        }
        refreshProviders();
    }

    /** Makes this node read the provider settings now rather than within its refresh interval. */
    public void refreshProviders() {
        server.injector().getInstance(ProviderRegistry.class).invalidate();
    }

    @Override
    public void close() {
        server.close();
        database.close();
        if (ownsDatabase) {
            TestingPostgres.dropDatabase(jdbcUrl);
        }
    }

    private static Path newMasterKeyFile() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return writeTemp(Base64.getEncoder().encodeToString(key));
    }

    /** A temporary file holding {@code content}, such as a client secret for {@code --client-secret-file}. */
    public static Path writeTemp(String content) {
        try {
            Path file = Files.createTempFile("idbroker-test", ".txt");
            file.toFile().deleteOnExit();
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a command printed and its exit code. */
    public record CliResult(int exitCode, String out, String err) {
    }
}
