package org.idbroker.it.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.crypto.SecretDecryptionException;
import org.idbroker.core.db.Database;
import org.idbroker.core.db.DatabaseSettings;
import org.idbroker.core.oauth.SigningKeys;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.it.support.TestingBroker.CliResult;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.it.support.TestingIdp;
import org.idbroker.it.support.TestingLauncher;
import org.idbroker.it.support.TestingPostgres;
import org.idbroker.it.support.TestingProcesses;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/idbroker rotate-master-key} against a real PostgreSQL while a built {@code bin/idbroker start} serves
 * sign-ins: everything sealed moves to the new key in one transaction, and a refused, failed or killed rotation
 * leaves every secret as it was, readable with the old key.
 */
class MasterKeyRotationTest {

    @TempDir
    Path work;
    private String jdbcUrl;
    private Database database;
    private TestingIdp idp;
    private final List<Process> nodes = new ArrayList<>();
    private final byte[] oldKey = newKey();
    private final byte[] newKey = newKey();
    private Path oldKeyFile;
    private Path newKeyFile;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(TestingLauncher.built(), "the distribution is built by 'mvn package': " + TestingLauncher.HOME);
        jdbcUrl = TestingPostgres.newDatabase();
        database = Database.open(new DatabaseSettings(jdbcUrl, TestingPostgres.user(), null, 2));
        idp = TestingIdp.start();
        oldKeyFile = keyFile("old.key", oldKey);
        newKeyFile = keyFile("new.key", newKey);
        Path secret = Files.writeString(work.resolve("client-secret"), idp.clientSecret());
        CliResult configure = cli("configure", "--master-key-file", oldKeyFile.toString(), "--provider", "GenericOidc",
                "--enabled", "true", "--issuer", idp.issuer(), "--client-id", idp.clientId(), "--client-secret-file",
                secret.toString(), "--scopes", "openid profile email", "--username-claim-type", "preferred_username",
                "--allow-auto-user-creation", "true");
        assertThat(configure.exitCode()).as(configure.out()).isZero();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process node : nodes) {
            TestingProcesses.stop(node);
        }
        if (idp != null) {
            idp.close();
        }
        if (database != null) {
            database.close();
            TestingPostgres.dropDatabase(jdbcUrl);
        }
    }

    @Test
    void rotatesUnderARunningNodeAndEverySecretReadsWithTheNewKeyAlone() throws Exception {
        // the procedure's first step: the node is given the new key and, as the previous one, the key in use
        URI node = startNode("--master-key-file", newKeyFile.toString(), "--previous-master-key-file", oldKeyFile.toString());
        TestingBrowser before = signIn(node, "sub-alice");
        // sign-ins under way: their states sealed with the key in use, which the node is still given after the rotation
        TestingBrowser inFlight = new TestingBrowser();
        URI inFlightCallback = upToTheCallback(node, inFlight, "sub-dan");
        TestingBrowser stale = new TestingBrowser();
        URI staleCallback = upToTheCallback(node, stale, "sub-fay");
        long signingKeys = count("select count(*) from signing_keys");
        assertThat(signingKeys).as("the OpenID Provider's signing keys").isPositive();

        CliResult rotate = rotate(newKeyFile, oldKeyFile);

        assertThat(rotate.exitCode()).as(rotate.out()).isZero();
        assertThat(rotate.out()).contains("Rotated: 1 provider secrets, 1 session ID tokens, " + signingKeys + " signing keys")
                .contains("re-encrypted with master key " + new SecretCipher(newKey).keyId())
                .doesNotContain(base64(oldKey)).doesNotContain(base64(newKey)).doesNotContain(idp.clientSecret());
        assertThat(me(node, before)).as("a session from before the rotation").isEqualTo(200);
        assertThat(inFlight.navigate(inFlightCallback).statusCode()).as("a sign-in started before the rotation").isEqualTo(303);
        assertThat(me(node, inFlight)).isEqualTo(200);
        TestingBrowser late = new TestingBrowser();
        URI lateCallback = upToTheCallback(node, late, "sub-eve");
        List<String> rotated = database.jdbi().withHandle(h -> h.createQuery(
                "select details::text from events where type = 'master-key-rotated'").mapTo(String.class).list());
        assertThat(rotated).singleElement().asString().contains("\"provider secrets\": 1");
        signIn(node, "sub-bob");

        Jdbi jdbi = database.jdbi();
        SecretCipher newAlone = new SecretCipher(newKey);
        assertThat(new ProviderStore(jdbi, newAlone).find("GenericOidc").orElseThrow().secrets())
                .containsEntry("clientSecret", idp.clientSecret());
        assertThat(new SigningKeys(jdbi, newAlone, Clock.systemUTC()).published()).isNotEmpty()
                .allSatisfy(key -> assertThat(key.privateJwk()).contains("\"d\""));
        assertThat(count("select count(*) from sessions where id_token is not null")).isEqualTo(3);
        for (byte[] sealed : jdbi.withHandle(h -> h.createQuery("select id_token from sessions").mapTo(byte[].class).list())) {
            assertThat(sealed).as("sealed with the new key, named in the value")
                    .startsWith(concat(new byte[] {2}, java.util.HexFormat.of().parseHex(newAlone.keyId())));
        }
        assertThatThrownBy(() -> new ProviderStore(jdbi, new SecretCipher(oldKey)).find("GenericOidc"))
                .isInstanceOf(SecretDecryptionException.class);
        CliResult withOldKey = cli("export", "--master-key-file", oldKeyFile.toString());
        assertThat(withOldKey.exitCode()).isEqualTo(1);
        assertThat(withOldKey.out()).contains("this master key is not the one this database's secrets were encrypted with");

        // the last step: the node restarted with the new key alone
        TestingProcesses.stop(nodes.remove(0));
        URI restarted = startNode("--master-key-file", newKeyFile.toString());
        signIn(restarted, "sub-carol");
        // a sign-in started under the new key, finished at the restarted node: the key is the same
        HttpResponse<String> lateFinish = late.navigate(restarted.resolve(lateCallback.getRawPath() + "?" + lateCallback.getRawQuery()));
        assertThat(lateFinish.statusCode()).as(lateFinish.body()).isEqualTo(303);
        // one started before the rotation and finished once no node has the previous key: start again
        HttpResponse<String> staleFinish = stale.navigate(restarted.resolve(staleCallback.getRawPath() + "?" + staleCallback.getRawQuery()));
        assertThat(staleFinish.statusCode()).isEqualTo(400);
        assertThat(staleFinish.body()).contains("state_unknown").contains("Start the sign-in again");
    }

    @Test
    void refusesAWrongPreviousKeyOrAMissingKeyAndChangesNothing() throws Exception {
        String before = sealedValues();
        Path wrong = keyFile("wrong.key", newKey());

        CliResult wrongPrevious = rotate(newKeyFile, wrong);
        CliResult noPrevious = cli("rotate-master-key", "--master-key-file", newKeyFile.toString());
        CliResult noNewKey = rotate(work.resolve("no-such.key"), oldKeyFile);
        CliResult sameKey = rotate(oldKeyFile, oldKeyFile);

        assertThat(wrongPrevious.exitCode()).isEqualTo(1);
        assertThat(wrongPrevious.out()).contains("the previous master key is not the key this database's secrets are "
                + "encrypted with").contains("nothing was changed").doesNotContain("Exception");
        assertThat(noPrevious.exitCode()).isEqualTo(2);
        assertThat(noPrevious.out()).contains("--previous-master-key-file");
        assertThat(noNewKey.exitCode()).isEqualTo(2);
        assertThat(noNewKey.out()).contains("no-such.key").contains("does not exist").contains("openssl rand -base64 32");
        assertThat(sameKey.exitCode()).isEqualTo(2);
        assertThat(sameKey.out()).contains("the previous master key is the same key as the master key");
        assertThat(sealedValues()).isEqualTo(before);
        assertThat(new ProviderStore(database.jdbi(), new SecretCipher(oldKey)).find("GenericOidc").orElseThrow().secrets())
                .containsEntry("clientSecret", idp.clientSecret());
    }

    @Test
    void aRotationKilledOrFailingHalfWayLeavesEverySecretReadableWithTheOldKey() throws Exception {
        URI node = startNode("--master-key-file", oldKeyFile.toString());
        signIn(node, "sub-alice");
        String before = sealedValues();

        // a session row locked elsewhere holds the rotation after it re-sealed the provider secrets; then it is killed
        try (Connection lock = DriverManager.getConnection(jdbcUrl, TestingPostgres.user(), null)) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("select 1 from sessions for update");
            Process rotation = TestingProcesses.start(work.resolve("rotation.log"), rotateArgs(newKeyFile, oldKeyFile));
            awaitCount("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'", 1);
            rotation.destroyForcibly();
            assertThat(rotation.waitFor(30, TimeUnit.SECONDS)).isTrue();
            lock.rollback();
        }
        awaitCount("select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()"
                + " and (state like 'idle in transaction%' or wait_event_type = 'Lock')", 0);
        assertThat(sealedValues()).as("the killed rotation changed nothing").isEqualTo(before);
        signIn(node, "sub-bob");

        // a session's ID token sealed by a node with a third key: the rotation stops there, having changed nothing
        SecretCipher stray = new SecretCipher(newKey());
        database.jdbi().useHandle(h -> {
            byte[] tokenHash = h.createQuery("select token_hash from sessions order by created limit 1").mapTo(byte[].class).one();
            h.createUpdate("update sessions set id_token = :v where token_hash = :k").bind("k", tokenHash)
                    .bind("v", stray.encrypt("id-token-of-a-stray-node".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            Sessions.SEALED.context().apply(tokenHash))).execute();
        });
        String beforeFailure = sealedValues();
        CliResult failed = rotate(newKeyFile, oldKeyFile);

        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.out()).contains("a value of sessions.id_token does not decrypt")
                .contains("nothing was changed").doesNotContain("Exception");
        assertThat(sealedValues()).isEqualTo(beforeFailure);
        assertThat(new ProviderStore(database.jdbi(), new SecretCipher(oldKey)).find("GenericOidc").orElseThrow().secrets())
                .containsEntry("clientSecret", idp.clientSecret());
        signIn(node, "sub-carol");
    }

    private URI startNode(String... keyOptions) throws Exception {
        int port = TestingProcesses.freePort();
        URI base = URI.create("http://127.0.0.1:" + port);
        List<String> args = new ArrayList<>(List.of("start", "--bind", "127.0.0.1", "--http-port", Integer.toString(port),
                "--public-url", base.toString()));
        args.addAll(List.of(keyOptions));
        args.addAll(TestingProcesses.database(jdbcUrl));
        Path log = work.resolve("node-" + port + ".log");
        Process process = TestingProcesses.start(log, args);
        nodes.add(process);
        TestingProcesses.awaitReady(base, process, log);
        return base;
    }

    private TestingBrowser signIn(URI node, String subject) {
        idp.nextSignIn(subject, Map.of("preferred_username", subject.substring(4), "email", subject + "@example.com"));
        TestingBrowser browser = new TestingBrowser();
        var hops = browser.follow(node.resolve("/api/users/authenticate/GenericOidc"));
        assertThat(hops.stream().anyMatch(h -> h.statusCode() == 303)).as(hops.get(hops.size() - 1).body()).isTrue();
        assertThat(me(node, browser)).isEqualTo(200);
        return browser;
    }

    /** A sign-in started at {@code node} and through the IdP, stopped before the callback; the callback's address. */
    private URI upToTheCallback(URI node, TestingBrowser browser, String subject) {
        idp.nextSignIn(subject, Map.of("preferred_username", subject.substring(4), "email", subject + "@example.com"));
        HttpResponse<String> start = browser.navigate(node.resolve("/api/users/authenticate/GenericOidc"));
        assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
        HttpResponse<String> atIdp = browser.navigate(URI.create(start.headers().firstValue("Location").orElseThrow()));
        return URI.create(atIdp.headers().firstValue("Location").orElseThrow());
    }

    private static int me(URI node, TestingBrowser browser) {
        return browser.getJson(node.resolve("/api/users/me")).statusCode();
    }

    private CliResult rotate(Path newKeyFile, Path previousKeyFile) {
        return TestingProcesses.run(work, rotateArgs(newKeyFile, previousKeyFile));
    }

    private List<String> rotateArgs(Path newKeyFile, Path previousKeyFile) {
        List<String> args = new ArrayList<>(List.of("rotate-master-key", "--master-key-file", newKeyFile.toString(),
                "--previous-master-key-file", previousKeyFile.toString()));
        args.addAll(TestingProcesses.database(jdbcUrl));
        return args;
    }

    private CliResult cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(TestingProcesses.database(jdbcUrl));
        return TestingProcesses.run(work, all);
    }

    /** Every value sealed with the master key, and the key check, as stored. */
    private String sealedValues() {
        return database.jdbi().withHandle(h -> String.join("\n", h.createQuery("""
                select 'provider ' || id || ' ' || secrets::text from providers
                union all select 'signing key ' || kid || ' ' || encode(private_jwk, 'hex') from signing_keys
                union all select 'session ' || encode(token_hash, 'hex') || ' ' || encode(id_token, 'hex') from sessions
                union all select 'check ' || value from broker_settings where key = 'master-key-check'
                order by 1""").mapTo(String.class).list()));
    }

    private long count(String sql) {
        return database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private void awaitCount(String sql, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count(sql) != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(sql + " did not reach " + expected);
            }
            Thread.sleep(100);
        }
    }

    private Path keyFile(String name, byte[] key) throws Exception {
        return Files.writeString(work.resolve(name), base64(key) + "\n");
    }

    private static byte[] newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static String base64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
