package org.idbroker.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

/**
 * What an operator comparing brokers sees: the broker as launched by {@code bin/idbroker start} with its defaults,
 * on PostgreSQL, behind a real OpenID provider in its own process (node oidc-provider, Authentik-shaped), driven by
 * this JVM as a separate load driver whose workers sign people in through the IdP's login form, each sign-in in a new
 * browser. CPU per sign-in of the broker, PostgreSQL, the IdP and the driver, apart; returning and new users;
 * throughput, p50/p99; resident memory under load and idle; time to ready. Figures, never pass or fail. The broker is
 * a {@link BenchTarget}: IdBroker by default, or Keycloak through the same IdP, driver and accounting.
 */
final class RealisticBench {

    private static final int SECONDS = Integer.getInteger("bench.seconds", 15);
    private static final int WARM_UP_SECONDS = Integer.getInteger("bench.warmup", 45);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int WORKERS = Integer.getInteger("bench.threads", 8);
    private static final int BULK_USERS = 1_000;
    /**
     * The JIT's compiler threads and the collector's (Serial GC collects on the VM thread; G1, Keycloak's, has
     * "GC Thread#N" workers and its "G1 ..." concurrent threads), by their kernel names.
     */
    private static final String[] JIT_THREADS = {"C1 CompilerThre", "C2 CompilerThre"};
    private static final String[] GC_THREADS = {"VM Thread", "GC Thread", "G1 "};

    private final BenchTarget broker;
    private final OidcProviderProcess idp;
    private final Database database;
    private final AtomicLong newUsers = new AtomicLong();
    private volatile long peakRss;
    private volatile boolean loaded;

    private RealisticBench(BenchTarget broker, OidcProviderProcess idp, Database database) {
        this.broker = broker;
        this.idp = idp;
        this.database = database;
    }

    /** One measured phase; CPU in milliseconds over the phase; "broker" is the target measured, IdBroker or Keycloak. */
    record Phase(String name, long signIns, long errors, double seconds, Latencies.Summary latency, long brokerCpu,
            long brokerJitCpu, long brokerGcCpu, long brokerIdpClientCpu, PostgresCpu.Spent postgres, long idpCpu, long driverCpu, long peakRssMiB, long[] counters, String load, String firstError) {
        double rate() {
            return signIns / seconds;
        }

        double per(long cpu) {
            return signIns == 0 ? 0 : (double) cpu / signIns;
        }

        /** The phase's line; {@code target} names the broker measured, {@code idpClientThreads} whether it has such threads. */
        String line(String target, boolean idpClientThreads) {
            String threads = idpClientThreads ? String.format(", IdP client threads %.2f", per(brokerIdpClientCpu)) : "";
            return String.format("%-34s %5.0f/s  %s | CPU-ms per sign-in: %s %.2f (JIT compiler threads %.2f, GC %.2f%s), PostgreSQL %.2f (bench db %.2f +"
                    + " server %.2f; other dbs %.2f), IdP %.2f, driver %.2f | per sign-in: %.2f commits, %.2f rollbacks,"
                    + " rows %.2f inserted, %.2f updated, %.2f deleted; server-wide WAL %.1f records, %.2f full pages, %.0f bytes,"
                    + " %.2f syncs | RSS peak %d MiB | load %s (%d ok, %d errors%s)",
                    name, rate(), latency.text(), target, per(brokerCpu), per(brokerJitCpu), per(brokerGcCpu), threads, per(postgres.broker()), per(postgres.benchDatabase()),
                    per(postgres.server()), per(postgres.otherDatabases()), per(idpCpu), per(driverCpu), per(counters[0]),
                    per(counters[1]), per(counters[2]), per(counters[3]), per(counters[4]), per(counters[5]), per(counters[6]),
                    per(counters[7]), per(counters[8]), peakRssMiB, load,
                    signIns, errors, firstError == null ? "" : ", first: " + firstError);
        }
    }

    static void main(BenchTarget.Launcher launcher, Path idpDirectory) throws Exception {
        Path work = Files.createTempDirectory("idbroker-bench");
        System.out.printf("# %s bench (realistic: node oidc-provider with a login form), %s: %d cores, %d MiB, driver Java %s;"
                + " %d s warm-up, %d rounds of %d s phases, %d workers%n", launcher.product(), LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), Procfs.totalMemoryMiB(), System.getProperty("java.version"),
                WARM_UP_SECONDS, ROUNDS, SECONDS, WORKERS);
        System.out.println("# load average at start: " + Procfs.loadAverage() + " (other work on the machine skews every figure)");
        launcher.settings().forEach(System.out::println);
        try (Database database = Database.create()) {
            System.out.println("# database: " + database.description());
            BenchTarget broker = launcher.start(database, work);
            try (OidcProviderProcess idp = OidcProviderProcess.start(idpDirectory, broker.idpClientId(), broker.idpRedirectUri(),
                    work.resolve("idp.log"))) {
                System.out.println("# IdP: " + idp.issuer() + " (pid " + idp.pid() + "), log " + work.resolve("idp.log"));
                new RealisticBench(broker, idp, database).run(work);
            } finally {
                broker.close();
                System.out.println("# " + broker.name() + " log: " + broker.log());
            }
        }
    }

    private void run(Path work) throws Exception {
        long pid = broker.pid();
        String name = broker.name();
        System.out.printf("start to /health/ready: %d ms (%s)%n", broker.readyAfter().toMillis(), broker.readyNote());
        broker.configure(idp, work);
        System.out.printf("resident memory at rest (before any sign-in): %d MiB%n", Procfs.rssMiB(pid));
        broker.addReturningUsers(idp, "bulk", BULK_USERS);
        database.execute("analyze");
        Thread sampler = new Thread(() -> {
            while (true) {
                if (loaded) {
                    peakRss = Math.max(peakRss, Procfs.rssMiB(pid));
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();

        phase("warm-up (1 in 4 new, not counted)", WARM_UP_SECONDS, i -> i % 4 == 0 ? "warm" + newUsers.incrementAndGet() : bulk());
        List<Phase> returning = new ArrayList<>();
        List<Phase> fresh = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            returning.add(phase("returning users, round " + round, SECONDS, i -> bulk()));
            fresh.add(phase("new users, round " + round, SECONDS, i -> "new" + newUsers.incrementAndGet()));
        }
        broker.afterLoad().forEach(System.out::println);
        Thread.sleep(TimeUnit.SECONDS.toMillis(Integer.getInteger("bench.idleSeconds", 15)));
        long idleRss = Procfs.rssMiB(pid);
        System.out.println(name + " RSS idle: " + idleRss + " MiB (" + Procfs.rssKindsMiB(pid) + ")");

        System.out.println();
        System.out.println("| figure (ranges over " + ROUNDS + " rounds) | returning users | new users |");
        System.out.println("|---|---|---|");
        row("sign-ins/s", returning, fresh, p -> p.rate(), "%.0f");
        row(name + " CPU-ms per sign-in", returning, fresh, p -> p.per(p.brokerCpu()), "%.2f");
        row("of which JIT compiler threads (falls to ~0 once warm)", returning, fresh, p -> p.per(p.brokerJitCpu()), "%.2f");
        row(name + " CPU-ms per sign-in without the JIT's threads", returning, fresh,
                p -> p.per(p.brokerCpu() - p.brokerJitCpu()), "%.2f");
        row("PostgreSQL CPU-ms per sign-in (bench db + server)", returning, fresh, p -> p.per(p.postgres().broker()), "%.2f");
        row(name + " + PostgreSQL CPU-ms per sign-in", returning, fresh, p -> p.per(p.brokerCpu() + p.postgres().broker()), "%.2f");
        row("IdP CPU-ms per sign-in", returning, fresh, p -> p.per(p.idpCpu()), "%.2f");
        row("driver CPU-ms per sign-in", returning, fresh, p -> p.per(p.driverCpu()), "%.2f");
        row("other databases' PostgreSQL CPU-ms per sign-in (not counted)", returning, fresh,
                p -> p.per(p.postgres().otherDatabases()), "%.2f");
        row("commits per sign-in (bench db)", returning, fresh, p -> p.per(p.counters()[0]), "%.2f");
        row("WAL syncs per sign-in (server-wide)", returning, fresh, p -> p.per(p.counters()[8]), "%.2f");
        row("WAL bytes per sign-in (server-wide)", returning, fresh, p -> p.per(p.counters()[7]), "%.0f");
        row("p50 ms", returning, fresh, p -> p.latency().p50(), "%.1f");
        row("p99 ms", returning, fresh, p -> p.latency().p99(), "%.1f");
        row(name + " RSS peak under load, MiB", returning, fresh, p -> p.peakRssMiB(), "%.0f");
        System.out.println("| start to /health/ready | " + broker.readyAfter().toMillis() + " ms | |");
        System.out.println("| " + name + " RSS idle (" + Integer.getInteger("bench.idleSeconds", 15) + " s after the load) / VmHWM | "
                + idleRss + " MiB / " + Procfs.peakRssMiB(pid) + " MiB | |");
        System.out.println("| load average at the end | " + Procfs.loadAverage() + " | |");
    }

    private interface Figure {
        double of(Phase phase);
    }

    private static void row(String name, List<Phase> a, List<Phase> b, Figure figure, String format) {
        System.out.println("| " + name + " | " + range(a, figure, format) + " | " + range(b, figure, format) + " |");
    }

    private static String range(List<Phase> phases, Figure figure, String format) {
        double min = phases.stream().mapToDouble(figure::of).min().orElse(0);
        double max = phases.stream().mapToDouble(figure::of).max().orElse(0);
        String low = String.format(format, min);
        String high = String.format(format, max);
        return low.equals(high) ? low : low + "-" + high;
    }

    private static String bulk() {
        return "bulk" + ThreadLocalRandom.current().nextInt(1, BULK_USERS + 1);
    }

    private Phase phase(String name, int seconds, LongFunction<String> usernames) throws Exception {
        List<Latencies> all = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        peakRss = 0;
        loaded = true;
        long[] countersBefore = database.counters();
        PostgresCpu.Sample postgresBefore = PostgresCpu.sample(database);
        long brokerBefore = Procfs.cpuMillis(broker.pid());
        long jitBefore = Procfs.threadCpuMillis(broker.pid(), JIT_THREADS);
        long gcBefore = Procfs.threadCpuMillis(broker.pid(), GC_THREADS);
        long idpClientBefore = Procfs.threadCpuMillis(broker.pid(), broker.idpClientThreads());
        long idpBefore = Procfs.cpuMillis(idp.pid());
        long driverBefore = Procfs.cpuMillis(ProcessHandle.current().pid());
        long started = System.nanoTime();
        long end = started + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < WORKERS; t++) {
            Latencies latencies = new Latencies();
            all.add(latencies);
            Thread worker = new Thread(() -> {
                BenchTarget.Worker browser = broker.worker(idp);
                try {
                    for (long i = ThreadLocalRandom.current().nextInt(4); System.nanoTime() < end; i++) {
                        long begun = System.nanoTime();
                        try {
                            browser.signIn(usernames.apply(i));
                            latencies.add((System.nanoTime() - begun) / 1_000);
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, String.valueOf(e.getMessage()));
                            browser.close();
                        }
                    }
                } finally {
                    browser.close();
                }
            }, "driver-" + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        String rssKinds = Procfs.rssKindsMiB(broker.pid());
        long brokerCpu = Procfs.cpuMillis(broker.pid()) - brokerBefore;
        long jitCpu = Procfs.threadCpuMillis(broker.pid(), JIT_THREADS) - jitBefore;
        long gcCpu = Procfs.threadCpuMillis(broker.pid(), GC_THREADS) - gcBefore;
        long idpClientCpu = Procfs.threadCpuMillis(broker.pid(), broker.idpClientThreads()) - idpClientBefore;
        long idpCpu = Procfs.cpuMillis(idp.pid()) - idpBefore;
        long driverCpu = Procfs.cpuMillis(ProcessHandle.current().pid()) - driverBefore;
        PostgresCpu.Spent postgres = PostgresCpu.between(postgresBefore, PostgresCpu.sample(database));
        loaded = false;
        Thread.sleep(1_100); // backends report their counters at most once a second
        long[] counters = database.counters();
        for (int i = 0; i < counters.length; i++) {
            counters[i] -= countersBefore[i];
        }
        Latencies.Summary summary = Latencies.summarize(all);
        Phase phase = new Phase(name, summary.count(), errors.get(), elapsed, summary, brokerCpu, jitCpu, gcCpu, idpClientCpu, postgres, idpCpu, driverCpu,
                peakRss, counters, Procfs.loadAverage(), firstError.get());
        System.out.println(phase.line(broker.name(), broker.idpClientThreads().length > 0) + " | RSS at the end: " + rssKinds);
        return phase;
    }
}
