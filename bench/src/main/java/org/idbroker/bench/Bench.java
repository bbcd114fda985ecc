package org.idbroker.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

/**
 * The broker's figures on this machine: brokered sign-ins per second (closed and open loop),
 * authenticated requests per second, broker CPU per sign-in, start time, memory, and how cost grows
 * with users and groups, against the in-process fake IdP ({@code -Dbench.idp=fake}); without it the realistic bench
 * runs ({@link RealisticBench}), against the broker or, with {@code -Dbench.target=keycloak}, against Keycloak
 * ({@link KeycloakTarget}). Figures, never pass or fail. Run through {@code ./bench/run}.
 */
public final class Bench {

    private static final String PROVIDER = "GenericOidc";
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    /** Long enough for the broker's JIT (C2) to finish compiling the sign-in path before anything is counted. */
    private static final int WARM_UP_SECONDS = Integer.getInteger("bench.warmup", 60);
    private static final int THREADS = Integer.getInteger("bench.threads", 16);
    /** The JVM options of the short command-line runs (configure, client create): quick to start. */
    private static final Map<String, String> CLI_ENV = Map.of("JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");

    private final BrokerProcess broker;
    private final FakeIdp idp;
    private final Database database;
    private final AtomicLong newUsers = new AtomicLong();
    private volatile long peakRssUnderLoad;
    private volatile boolean loaded;

    private Bench(BrokerProcess broker, FakeIdp idp, Database database) {
        this.broker = broker;
        this.idp = idp;
        this.database = database;
    }

    /** One measured phase. */
    record Result(String name, long signIns, long errors, double seconds, Latencies.Summary latency, long brokerCpuMs,
            long postgresCpuMs, long benchCpuMs, String firstError) {
        double perSecond() {
            return signIns / seconds;
        }

        double brokerCpuPer() {
            return signIns == 0 ? 0 : (double) brokerCpuMs / signIns;
        }

        double postgresCpuPer() {
            return signIns == 0 ? 0 : (double) postgresCpuMs / signIns;
        }

        /** This JVM's CPU per operation: the load generator and the fake IdP (which signs each ID token). */
        double benchCpuPer() {
            return signIns == 0 ? 0 : (double) benchCpuMs / signIns;
        }

        String line() {
            return String.format("%-44s %8.0f/s  %s  broker %.2f CPU-ms/op, PostgreSQL %.2f, bench (load + IdP) %.2f  (%d ok, %d errors%s)",
                    name, perSecond(), latency.text(), brokerCpuPer(), postgresCpuPer(), benchCpuPer(), signIns, errors,
                    firstError == null ? "" : ", first: " + firstError);
        }
    }

    public static void main(String[] args) throws Exception {
        Path distribution = Path.of(args.length > 0 ? args[0] : "distribution/target/idbroker");
        if (!"fake".equals(System.getProperty("bench.idp", "oidc"))) {
            BenchTarget.Launcher target = "keycloak".equals(System.getProperty("bench.target", "idbroker"))
                    ? KeycloakTarget.launcher(Path.of(System.getProperty("bench.keycloakHome")),
                            Path.of(System.getProperty("bench.keycloakJavaHome")))
                    : BrokerTarget.launcher(distribution);
            RealisticBench.main(target, Path.of(System.getProperty("bench.idpDir", "bench/idp")));
            return;
        }
        Path work = Files.createTempDirectory("idbroker-bench");
        byte[] keyBytes = new byte[32];
        new SecureRandom().nextBytes(keyBytes);
        String masterKey = Base64.getEncoder().encodeToString(keyBytes);
        System.out.printf("# IdBroker bench, %s: %d cores, %d MiB memory, Java %s (bench JVM), %d s per phase, %d closed-loop threads%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), Procfs.totalMemoryMiB(),
                System.getProperty("java.version"), SECONDS, THREADS);
        System.out.println("# load average at start: " + Procfs.loadAverage() + " (other work on the machine skews every figure)");
        System.out.println("# broker JAVA_OPTS: " + System.getenv().getOrDefault("JAVA_OPTS", "(the launcher's default)"));
        try (Database database = Database.create(); FakeIdp idp = FakeIdp.start()) {
            System.out.println("# database: " + database.description());
            Path log = work.resolve("broker.log");
            BrokerProcess broker = BrokerProcess.start(distribution, database, masterKey, log);
            try {
                new Bench(broker, idp, database).run(distribution, masterKey, work);
            } finally {
                broker.close();
                System.out.println("# broker log: " + log);
            }
        }
    }

    private void run(Path distribution, String masterKey, Path work) throws Exception {
        long pid = broker.pid();
        System.out.printf("start to /health/ready: %d ms (process launch to the first 200, fresh database: includes the migrations)%n",
                broker.readyAfter().toMillis());
        Path secret = work.resolve("client-secret");
        Files.writeString(secret, FakeIdp.CLIENT_SECRET);
        BrokerProcess.cli(distribution, database, masterKey, CLI_ENV, "configure", "--provider", PROVIDER, "--enabled", "true", "--issuer", idp.issuer(),
                "--client-id", FakeIdp.CLIENT_ID, "--client-secret-file", secret.toString(), "--display-name", "Bench IdP",
                "--role-claim-type", "groups", "--username-claim-type", "preferred_username",
                "--allow-auto-user-creation", "true", "--public-url", "http://127.0.0.1:" + broker.port());
        broker.awaitProvider(PROVIDER);
        System.out.printf("resident memory at rest: %d MiB%n", Procfs.rssMiB(pid));
        Thread sampler = new Thread(() -> {
            while (true) {
                if (loaded) {
                    peakRssUnderLoad = Math.max(peakRssUnderLoad, Procfs.rssMiB(pid));
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();

        insertBulkUsers(1, 1_000);
        loaded = true;
        if ("me".equals(System.getProperty("bench.phases"))) {
            // -Dbench.phases=me (BENCH_PHASES=me): only the authenticated-request phases, warmed on themselves
            List<String> meSessions = sessions(64);
            List<String> meKeys = apiKeys(meSessions.subList(0, 16));
            meLoop("warm-up GET /api/users/me (not counted)", THREADS, WARM_UP_SECONDS, meSessions, false);
            meLoop("warm-up GET /api/users/me, API key (not counted)", THREADS, Math.max(3, WARM_UP_SECONDS / 3), meKeys, true);
            meLoop("GET /api/users/me, session cookie", THREADS, SECONDS, meSessions, false);
            meLoop("GET /api/users/me, API key", THREADS, SECONDS, meKeys, true);
            return;
        }
        if ("oidc".equals(System.getProperty("bench.phases"))) {
            // -Dbench.phases=oidc (BENCH_PHASES=oidc): only the OpenID Provider phases, warmed on themselves
            openIdProvider(distribution, masterKey, work);
            return;
        }
        closedLoop("warm-up (returning and new users, not counted)", THREADS, WARM_UP_SECONDS, i -> i % 4 == 0 ? "warm-" + newUsers.incrementAndGet() : bulk(1_000), 1);
        Result returning = closedLoop("closed-loop, returning users (1k in db)", THREADS, SECONDS, i -> bulk(1_000), 1);
        Result fresh = closedLoop("closed-loop, new users", THREADS, SECONDS, i -> "new-" + newUsers.incrementAndGet(), 1);
        List<Result> open = new ArrayList<>();
        for (int rate : new int[] {500, 1_000}) {
            open.add(openLoop("open-loop " + rate + "/s, returning users", rate, SECONDS, i -> bulk(1_000), 1));
        }
        List<String> sessions = sessions(64);
        Result me = meLoop("GET /api/users/me, session cookie", THREADS, SECONDS, sessions, false);
        Result meKey = meLoop("GET /api/users/me, API key", THREADS, SECONDS, apiKeys(sessions.subList(0, 16)), true);
        List<Result> groups = new ArrayList<>();
        for (int n : new int[] {1, 100, 1_000}) {
            groups.add(closedLoop("closed-loop, returning users, " + n + " groups", THREADS, SECONDS, i -> bulk(1_000), n));
        }
        loaded = false;
        long rssAfterLoad = Procfs.rssMiB(pid);

        Result million = null;
        Result thousand = null;
        if (Boolean.parseBoolean(System.getProperty("bench.million", "true"))) {
            // the same phase right before the insert, so both sides of the comparison run with the same warm JIT
            loaded = true;
            thousand = closedLoop("closed-loop, returning users (1k in db), again", THREADS, SECONDS, i -> bulk(1_000), 1);
            loaded = false;
            long inserting = System.nanoTime();
            insertBulkUsers(1_001, 1_000_000);
            System.out.printf("# inserted 999,000 more users with identities in %.0f s%n", (System.nanoTime() - inserting) / 1e9);
            loaded = true;
            closedLoop("warm-up (1M users, not counted)", THREADS, Math.max(3, SECONDS / 2), i -> bulk(1_000_000), 1);
            million = closedLoop("closed-loop, returning users (1M in db)", THREADS, SECONDS, i -> bulk(1_000_000), 1);
            loaded = false;
        } else {
            System.out.println("# BENCH_MILLION=false: the 1M-users phase is skipped");
        }
        LoginStateCost.Figures state = LoginStateCost.measure(database, 2_000);

        System.out.println();
        System.out.println("| figure | value |");
        System.out.println("|---|---|");
        row("load average at the end", Procfs.loadAverage());
        row("cores / memory", Runtime.getRuntime().availableProcessors() + " / " + Procfs.totalMemoryMiB() + " MiB");
        row("sign-ins/s, closed loop, returning users", fmt(returning.perSecond()) + " (" + returning.latency().text() + ")");
        row("sign-ins/s, closed loop, new users", fmt(fresh.perSecond()) + " (" + fresh.latency().text() + ")");
        for (Result r : open) {
            row(r.name(), fmt(r.perSecond()) + "/s achieved, " + r.latency().text() + ", " + r.errors() + " errors");
        }
        row("GET /api/users/me with session cookie", fmt(me.perSecond()) + " req/s, " + me.latency().text());
        row("GET /api/users/me with API key", fmt(meKey.perSecond()) + " req/s, " + meKey.latency().text());
        row("broker CPU-ms per sign-in, returning", String.format("%.2f (PostgreSQL %.2f, bench %.2f)", returning.brokerCpuPer(),
                returning.postgresCpuPer(), returning.benchCpuPer()));
        row("broker CPU-ms per sign-in, new", String.format("%.2f (PostgreSQL %.2f, bench %.2f)", fresh.brokerCpuPer(),
                fresh.postgresCpuPer(), fresh.benchCpuPer()));
        row("broker CPU-ms per GET /api/users/me, cookie / API key", String.format("%.3f / %.3f (PostgreSQL %.3f / %.3f)",
                me.brokerCpuPer(), meKey.brokerCpuPer(), me.postgresCpuPer(), meKey.postgresCpuPer()));
        row("start to /health/ready", broker.readyAfter().toMillis() + " ms");
        row("RSS at rest / peak under load / after load", "see above / " + peakRssUnderLoad + " MiB / " + rssAfterLoad + " MiB (VmHWM "
                + Procfs.peakRssMiB(pid) + " MiB)");
        if (million != null) {
            row("sign-ins/s, 1k vs 1M users (back to back)", fmt(thousand.perSecond()) + " vs " + fmt(million.perSecond())
                    + String.format(" (%+.0f%%); broker CPU-ms %.2f vs %.2f, PostgreSQL %.2f vs %.2f",
                            (million.perSecond() / thousand.perSecond() - 1) * 100, thousand.brokerCpuPer(), million.brokerCpuPer(),
                            thousand.postgresCpuPer(), million.postgresCpuPer()));
        }
        row("sign-ins/s, 1 / 100 / 1,000 groups", fmt(groups.get(0).perSecond()) + " / " + fmt(groups.get(1).perSecond()) + " / "
                + fmt(groups.get(2).perSecond()));
        row("login state as a DB row, previous release (insert + delete)", String.format("%.3f ms wall, %.3f PostgreSQL CPU-ms",
                state.rowWallMs(), state.rowPostgresCpuMs()));
        row("one-use guard of a sealed login state (look-up + spend)", String.format("%.3f ms wall, %.3f PostgreSQL CPU-ms",
                state.guardWallMs(), state.guardPostgresCpuMs()));
        row("login state sealed in the OAuth state (seal + open)", String.format("%.4f CPU-ms, %d characters", state.sealCpuMs(),
                state.stateChars()));
    }

    /** What one operation of an OpenID Provider phase is. */
    private enum RpStep { AUTHORIZE, AUTHORIZE_AND_EXCHANGE, REFRESH, USERINFO, ALL }

    /**
     * The broker as an OpenID Provider for a confidential client: authorize with a broker session (the
     * code at once), authorize and code exchange, refresh with rotation, userinfo, for an RS256 client and
     * (the last three) an ES256 one; the code exchange alone is the difference of authorize and the pair.
     */
    private void openIdProvider(Path distribution, String masterKey, Path work) throws Exception {
        Path secret = work.resolve("app-secret");
        Files.writeString(secret, RelyingPartyCalls.CLIENT_SECRET);
        for (String clientId : List.of(RelyingPartyCalls.CLIENT_ID, RelyingPartyCalls.ES256_CLIENT_ID)) {
            BrokerProcess.cli(distribution, database, masterKey, CLI_ENV, "client", "create", "--client-id", clientId,
                    "--name", "Bench app", "--redirect-uri", RelyingPartyCalls.REDIRECT_URI, "--secret-file", secret.toString(),
                    "--signing-alg", clientId.equals(RelyingPartyCalls.CLIENT_ID) ? "RS256" : "ES256");
        }
        List<String> sessions = sessions(64);
        String rs = RelyingPartyCalls.CLIENT_ID;
        String es = RelyingPartyCalls.ES256_CLIENT_ID;
        rpLoop("warm-up, every call, RS256 (not counted)", WARM_UP_SECONDS, sessions, RpStep.ALL, rs);
        rpLoop("warm-up, every call, ES256 (not counted)", Math.max(3, WARM_UP_SECONDS / 2), sessions, RpStep.ALL, es);
        Result authorize = rpLoop("authorize (broker session to code)", SECONDS, sessions, RpStep.AUTHORIZE, rs);
        Result pair = rpLoop("authorize + code exchange", SECONDS, sessions, RpStep.AUTHORIZE_AND_EXCHANGE, rs);
        Result refresh = rpLoop("refresh_token (rotated)", SECONDS, sessions, RpStep.REFRESH, rs);
        Result userinfo = rpLoop("userinfo (GET, bearer JWT)", SECONDS, sessions, RpStep.USERINFO, rs);
        Result pairEs = rpLoop("authorize + code exchange, ES256 client", SECONDS, sessions, RpStep.AUTHORIZE_AND_EXCHANGE, es);
        Result refreshEs = rpLoop("refresh_token (rotated), ES256 client", SECONDS, sessions, RpStep.REFRESH, es);
        Result userinfoEs = rpLoop("userinfo (GET, bearer JWT), ES256 client", SECONDS, sessions, RpStep.USERINFO, es);
        System.out.println();
        System.out.println("| call | calls/s | p50 / p99 | broker CPU-ms per call | PostgreSQL CPU-ms per call |");
        System.out.println("|---|---|---|---|---|");
        for (Result r : List.of(authorize, pair, refresh, userinfo, pairEs, refreshEs, userinfoEs)) {
            System.out.printf("| %s | %s | %s | %.2f | %.2f |%n", r.name(), fmt(r.perSecond()), r.latency().text(), r.brokerCpuPer(),
                    r.postgresCpuPer());
        }
        System.out.printf("| code exchange alone (the difference), RS256 / ES256 | | | %.2f / %.2f | %.2f / %.2f |%n",
                pair.brokerCpuPer() - authorize.brokerCpuPer(), pairEs.brokerCpuPer() - authorize.brokerCpuPer(),
                pair.postgresCpuPer() - authorize.postgresCpuPer(), pairEs.postgresCpuPer() - authorize.postgresCpuPer());
        row("load average at the end", Procfs.loadAverage());
    }

    /**
     * One OpenID Provider phase: each worker takes a broker session and repeats {@code step}; a refresh
     * or userinfo worker first gets its tokens once (one authorize and exchange each, inside the phase).
     */
    private Result rpLoop(String name, int seconds, List<String> sessions, RpStep step, String clientId) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        return measure(name, THREADS, (browser, latencies, errors, firstError) -> {
            RelyingPartyCalls rp = new RelyingPartyCalls(browser.broker(), clientId);
            String session = sessions.get(ThreadLocalRandom.current().nextInt(sessions.size()));
            RelyingPartyCalls.Tokens tokens = step == RpStep.REFRESH || step == RpStep.USERINFO || step == RpStep.ALL
                    ? rp.redeem(rp.authorize(session)) : null;
            while (System.nanoTime() < end) {
                long started = System.nanoTime();
                try {
                    switch (step) {
                        case AUTHORIZE -> rp.authorize(session);
                        case AUTHORIZE_AND_EXCHANGE -> rp.redeem(rp.authorize(session));
                        case REFRESH -> tokens = rp.refresh(tokens.refreshToken());
                        case USERINFO -> {
                            if (rp.userinfo(tokens.accessToken()) != 200) {
                                throw new java.io.IOException("userinfo did not answer 200");
                            }
                        }
                        case ALL -> {
                            tokens = rp.refresh(rp.redeem(rp.authorize(session)).refreshToken());
                            rp.userinfo(tokens.accessToken());
                        }
                    }
                    latencies.add((System.nanoTime() - started) / 1_000);
                } catch (Exception e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, e.getMessage());
                    browser.close();
                    if (step == RpStep.REFRESH) {
                        tokens = rp.redeem(rp.authorize(session));
                    }
                }
            }
        });
    }

    private static void row(String name, String value) {
        System.out.println("| " + name + " | " + value + " |");
    }

    private static String fmt(double value) {
        return String.format("%,.0f", value);
    }

    private static String bulk(int users) {
        return "bulk" + ThreadLocalRandom.current().nextInt(1, users + 1);
    }

    /** Users bulk{from}..bulk{to}, each with an external identity at the bench IdP, straight in SQL. */
    private void insertBulkUsers(int from, int to) throws SQLException {
        database.execute("with made as (insert into users (username, email) select 'bulk' || g, 'bulk' || g || '@bench.example'"
                + " from generate_series(" + from + ", " + to + ") g returning id, username)"
                + " insert into external_identities (user_id, provider_id, issuer, subject)"
                + " select id, '" + PROVIDER + "', '" + idp.issuer() + "', username from made");
        database.execute("analyze");
    }

    private List<String> sessions(int count) throws Exception {
        List<String> tokens = new ArrayList<>();
        try (Browser browser = new Browser(broker.port(), idp.port(), PROVIDER)) {
            for (int i = 1; i <= count; i++) {
                tokens.add(browser.signIn("bulk" + i, 1));
            }
        }
        return tokens;
    }

    private Result closedLoop(String name, int threads, int seconds, LongFunction<String> subjects, int groups) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        return measure(name, threads, (browser, latencies, errors, firstError) -> {
            for (long i = 0; System.nanoTime() < end; i++) {
                long started = System.nanoTime();
                try {
                    browser.signIn(subjects.apply(i), groups);
                    latencies.add((System.nanoTime() - started) / 1_000);
                } catch (Exception e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, e.getMessage());
                    browser.close();
                }
            }
        });
    }

    /** Sign-ins sent on a fixed schedule; latency counts from the scheduled time, so a backlog shows. */
    private Result openLoop(String name, int rate, int seconds, LongFunction<String> subjects, int groups) throws Exception {
        int total = rate * seconds;
        BlockingQueue<Long> schedule = new ArrayBlockingQueue<>(total + 256);
        long start = System.nanoTime() + 50_000_000L;
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds + 30L);
        Thread dispatcher = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                long due = start + i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                schedule.add(due);
            }
            for (int i = 0; i < 256; i++) {
                schedule.add(Long.MIN_VALUE);
            }
        });
        dispatcher.start();
        Result result = measure(name, 256, (browser, latencies, errors, firstError) -> {
            for (long i = 0; ; i++) {
                long due = schedule.take();
                if (due == Long.MIN_VALUE) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    errors.incrementAndGet(); // dropped: the broker fell more than 30 s behind
                    continue;
                }
                try {
                    browser.signIn(subjects.apply(i), groups);
                    latencies.add((System.nanoTime() - due) / 1_000);
                } catch (Exception e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, e.getMessage());
                    browser.close();
                }
            }
        });
        dispatcher.join();
        return result;
    }

    private List<String> apiKeys(List<String> sessions) throws Exception {
        List<String> keys = new ArrayList<>();
        try (Browser browser = new Browser(broker.port(), idp.port(), PROVIDER)) {
            for (String session : sessions) {
                keys.add(browser.createApiKey(session));
            }
        }
        return keys;
    }

    private Result meLoop(String name, int threads, int seconds, List<String> credentials, boolean apiKeys) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        return measure(name, threads, (browser, latencies, errors, firstError) -> {
            for (int i = ThreadLocalRandom.current().nextInt(credentials.size()); System.nanoTime() < end; i++) {
                long started = System.nanoTime();
                try {
                    String credential = credentials.get(i % credentials.size());
                    int status = apiKeys ? browser.meWithKey(credential) : browser.me(credential);
                    if (status != 200) {
                        throw new java.io.IOException("/api/users/me answered " + status);
                    }
                    latencies.add((System.nanoTime() - started) / 1_000);
                } catch (Exception e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, e.getMessage());
                    browser.close();
                }
            }
        });
    }

    private interface Work {
        void run(Browser browser, Latencies latencies, AtomicLong errors, AtomicReference<String> firstError) throws Exception;
    }

    private Result measure(String name, int threads, Work work) throws Exception {
        List<Latencies> all = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        Map<Long, Long> postgresBefore = new HashMap<>();
        for (long backend : database.backendPids()) {
            postgresBefore.put(backend, Procfs.cpuMillis(backend));
        }
        long cpuBefore = Procfs.cpuMillis(broker.pid());
        long benchCpuBefore = Procfs.cpuMillis(ProcessHandle.current().pid());
        long started = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Latencies latencies = new Latencies();
            all.add(latencies);
            Thread worker = new Thread(() -> {
                try (Browser browser = new Browser(broker.port(), idp.port(), PROVIDER)) {
                    work.run(browser, latencies, errors, firstError);
                } catch (Exception e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, String.valueOf(e));
                }
            }, "bench-" + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long brokerCpu = Procfs.cpuMillis(broker.pid()) - cpuBefore;
        long benchCpu = Procfs.cpuMillis(ProcessHandle.current().pid()) - benchCpuBefore;
        long postgresCpu = 0;
        for (long backend : database.backendPids()) {
            postgresCpu += Procfs.cpuMillis(backend) - postgresBefore.getOrDefault(backend, 0L);
        }
        Latencies.Summary summary = Latencies.summarize(all);
        Result result = new Result(name, summary.count(), errors.get(), seconds, summary, brokerCpu, postgresCpu, benchCpu, firstError.get());
        System.out.println(result.line());
        return result;
    }
}
