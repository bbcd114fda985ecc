package org.idbroker.it.support;

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
import org.idbroker.core.db.Database;
import org.idbroker.core.db.DatabaseSettings;
import org.idbroker.core.sessions.SessionLifetimes;
import org.idbroker.server.BrokerServer;
import org.idbroker.server.cli.Main;
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
    private final Database database;
    private final BrokerServer server;

    private TestingBroker(String jdbcUrl, boolean ownsDatabase, Path masterKeyFile, ProviderTypes types) {
        this.jdbcUrl = jdbcUrl;
        this.ownsDatabase = ownsDatabase;
        this.masterKeyFile = masterKeyFile;
        this.database = Database.open(new DatabaseSettings(jdbcUrl, TestingPostgres.user(), null, 8)).migrate();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(Files.readString(masterKeyFile).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.server = BrokerServer.start(new BrokerServer.Options(0, "127.0.0.1", null, false, SessionLifetimes.DEFAULT),
                database, key, types);
    }

    /** A broker on a fresh database. */
    public static TestingBroker start() {
        return new TestingBroker(TestingPostgres.newDatabase(), true, newMasterKeyFile(), ProviderTypesLoader.load(null));
    }

    /** A broker on a fresh database, loading provider jars from {@code providersDir}. */
    public static TestingBroker startWithProviders(Path providersDir) {
        return new TestingBroker(TestingPostgres.newDatabase(), true, newMasterKeyFile(), ProviderTypesLoader.load(providersDir));
    }

    /** A second node on the same database and master key as {@code other}. */
    public static TestingBroker anotherNode(TestingBroker other) {
        return new TestingBroker(other.jdbcUrl, false, other.masterKeyFile, ProviderTypesLoader.load(null));
    }

    public URI baseUri() {
        return server.config().publicUrl();
    }

    public URI uri(String path) {
        return URI.create(baseUri() + path);
    }

    /** The master key (base64), to prove it appears nowhere it should not. */
    public String masterKey() {
        try {
            return Files.readString(masterKeyFile).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Jdbi jdbi() {
        return database.jdbi();
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

    /** Runs {@code bin/idbroker} with these arguments against this broker's database. */
    public CliResult cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--db-url", jdbcUrl, "--master-key-file", masterKeyFile.toString()));
        if (!args[0].equals("admin")) {
            all.addAll(List.of("--public-url", baseUri().toString()));
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
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliResult(code, out.toString(), err.toString());
    }

    /** Enables provider {@code id} pointing at {@code idp}, through the command line as an operator would. */
    public void configureOidc(String id, TestingIdp idp, String... extra) {
        Path secret = writeTemp(idp.clientSecret());
        List<String> args = new ArrayList<>(List.of("configure", "--provider", id, "--enabled", "true",
                "--issuer", idp.issuer(), "--client-id", idp.clientId(), "--client-secret-file", secret.toString(),
                "--display-name", "Test IdP"));
        args.addAll(List.of(extra));
        CliResult result = cli(args.toArray(String[]::new));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("configure failed: " + result.err());
        }
        server.injector().getInstance(org.idbroker.server.providers.ProviderRegistry.class).invalidate();
    }

    /** Runs {@code configure} with these arguments, as an operator would, and expects it to succeed. */
    public void configure(String... args) {
        List<String> all = new ArrayList<>(List.of("configure"));
        all.addAll(List.of(args));
        CliResult result = cli(all.toArray(String[]::new));
        if (result.exitCode() != 0) {
            throw new IllegalStateException("configure failed: " + result.err());
        }
        server.injector().getInstance(org.idbroker.server.providers.ProviderRegistry.class).invalidate();
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

    static Path writeTemp(String content) {
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
