package org.idbroker.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * IdBroker as the realistic bench measures it: {@code bin/idbroker start} with the launcher's defaults, the Generic
 * OIDC provider configured with {@code idbroker configure}, returning users inserted in its tables; a sign-in starts at
 * {@code /api/users/authenticate/GenericOidc} and ends at the broker's final redirect ({@link FormBrowser}).
 */
final class BrokerTarget implements BenchTarget {

    private static final String PROVIDER = "GenericOidc";
    /** The JDK HTTP client's selector and workers: the broker's side of the token and userinfo exchanges (in part). */
    private static final String[] IDP_CLIENT_THREADS = {"HttpClient-"};

    private final Path distribution;
    private final Database database;
    private final String masterKey;
    private final BrokerProcess broker;
    private final Path log;

    private BrokerTarget(Path distribution, Database database, String masterKey, BrokerProcess broker, Path log) {
        this.distribution = distribution;
        this.database = database;
        this.masterKey = masterKey;
        this.broker = broker;
        this.log = log;
    }

    static Launcher launcher(Path distribution) {
        return new Launcher() {
            @Override
            public String product() {
                return "IdBroker";
            }

            @Override
            public List<String> settings() {
                return List.of("# broker JAVA_OPTS: " + System.getenv().getOrDefault("JAVA_OPTS", "(the launcher's default)")
                        + (System.getenv("BENCH_BROKER_JDK_JAVA_OPTIONS") != null ? ", plus JDK_JAVA_OPTIONS "
                                + System.getenv("BENCH_BROKER_JDK_JAVA_OPTIONS") : ""));
            }

            @Override
            public BenchTarget start(Database database, Path work) throws Exception {
                byte[] keyBytes = new byte[32];
                new SecureRandom().nextBytes(keyBytes);
                String masterKey = Base64.getEncoder().encodeToString(keyBytes);
                Path log = work.resolve("broker.log");
                return new BrokerTarget(distribution, database, masterKey, BrokerProcess.start(distribution, database, masterKey, log), log);
            }
        };
    }

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public long pid() {
        return broker.pid();
    }

    @Override
    public Duration readyAfter() {
        return broker.readyAfter();
    }

    @Override
    public String readyNote() {
        return "launch to the first 200, fresh database, migrations included";
    }

    @Override
    public String idpClientId() {
        return OidcProviderProcess.CLIENT_ID;
    }

    @Override
    public String idpRedirectUri() {
        return "http://127.0.0.1:" + broker.port() + "/api/users/authenticatedToken/" + PROVIDER;
    }

    @Override
    public String[] idpClientThreads() {
        return IDP_CLIENT_THREADS;
    }

    @Override
    public void configure(OidcProviderProcess idp, Path work) throws Exception {
        Path secret = work.resolve("client-secret");
        Files.writeString(secret, OidcProviderProcess.CLIENT_SECRET);
        BrokerProcess.cli(distribution, database, masterKey, Map.of("JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"),
                "configure", "--provider", PROVIDER, "--enabled", "true", "--issuer", idp.issuer(),
                "--client-id", OidcProviderProcess.CLIENT_ID, "--client-secret-file", secret.toString(),
                "--scopes", "openid profile email groups", "--display-name", "Bench IdP",
                "--role-claim-type", "groups", "--username-claim-type", "preferred_username",
                "--allow-auto-user-creation", "true", "--public-url", "http://127.0.0.1:" + broker.port());
        broker.awaitProvider(PROVIDER);
    }

    /** One statement: the users and their identities, as earlier sign-ins would have left them (no memberships). */
    @Override
    public void addReturningUsers(OidcProviderProcess idp, String prefix, int count) throws Exception {
        database.execute("with made as (insert into users (username, email) select '" + prefix + "' || g, '" + prefix
                + "' || g || '@bench.example' from generate_series(1, " + count + ") g returning id, username)"
                + " insert into external_identities (user_id, provider_id, issuer, subject)"
                + " select id, '" + PROVIDER + "', '" + idp.issuer() + "', username from made");
    }

    @Override
    public Worker worker(OidcProviderProcess idp) {
        return new FormBrowser(broker.port(), idp.port(), PROVIDER);
    }

    @Override
    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        broker.close();
    }
}
