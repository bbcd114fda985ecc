package org.idbroker.server.metrics;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.idbroker.core.events.Events;
import org.idbroker.core.events.RequestScope;
import org.idbroker.core.sessions.IdpLogouts;
import org.idbroker.spi.IdpCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's meters. With a management port they are kept in a Prometheus registry and scraped at
 * {@code /metrics}; without one the registry is an empty composite, whose meters do nothing.
 *
 * <p>Sign-ins, sessions and back-channel logouts are counted from the events the request records
 * ({@link #eventListener}), so every outcome the event log knows is counted the same way, with the
 * same reason code. Tag values come from bounded sets only: configured provider ids (anything else is
 * {@code unknown}), reason codes, endpoint names.
 */
public final class BrokerMetrics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerMetrics.class);
    /** The tag value of a provider id that is not configured (an id made up by a caller). */
    public static final String UNKNOWN_PROVIDER = "unknown";
    private static final String SESSIONS_ENDED_EVENT = "sessions-ended";

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final JvmGcMetrics gc;

    private BrokerMetrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
        this.registry = registry;
        this.prometheus = prometheus;
        if (prometheus != null) {
            new ClassLoaderMetrics().bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
            gc = new JvmGcMetrics();
            gc.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new JvmInfoMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        } else {
            gc = null;
        }
    }

    /** Meters kept for scraping. */
    public static BrokerMetrics prometheus() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return new BrokerMetrics(prometheus, prometheus);
    }

    /** Meters that do nothing (no management port). */
    public static BrokerMetrics off() {
        return new BrokerMetrics(new CompositeMeterRegistry(), null);
    }

    public boolean enabled() {
        return prometheus != null;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus registry, when metrics are kept. */
    public Optional<PrometheusMeterRegistry> scrapeable() {
        return Optional.ofNullable(prometheus);
    }

    /** Adds the database pool's meters (HikariCP's own: {@code hikaricp_connections_*}). */
    public void bindPool(DataSource dataSource) {
        if (prometheus != null && dataSource instanceof HikariDataSource hikari) {
            try {
                hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
            } catch (IllegalStateException e) {
                // a pool shared with another node in the same process already reports to that node's registry
                LOG.debug("the database pool already has metrics: {}", e.getMessage());
            }
        }
    }

    /** Adds the HTTP thread pool's meters ({@code jetty_threads_*}, with the queue as {@code jetty_threads_jobs}). */
    public void bindThreads(ThreadPool threads) {
        if (prometheus != null) {
            new JettyServerThreadPoolMetrics(threads, Tags.empty()).bindTo(registry);
        }
    }

    /** What one provider instance's calls to its IdP are counted and timed with. */
    public IdpCalls idpCalls(String providerId) {
        if (prometheus == null) {
            return IdpCalls.NONE;
        }
        requireNonNull(providerId, "providerId is null");
        return (endpoint, outcome, nanos) -> Timer.builder("idbroker.idp.requests")
                .description("Calls to the IdP, by provider, endpoint and outcome (ok, http_error, unreachable)")
                .tags("provider", providerId, "endpoint", endpoint, "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts sessions that ended because they expired. */
    public void sessionsExpired(int count) {
        if (count > 0) {
            sessionsEnded("expired", count);
        }
    }

    /**
     * Counts what one request records in the event log.
     *
     * @param startNanos when the request began ({@link System#nanoTime()}), for the sign-in latency
     * @param configured whether a provider id is configured on this node
     */
    public RequestScope.Listener eventListener(long startNanos, Predicate<String> configured) {
        if (prometheus == null) {
            return RequestScope.Listener.NONE;
        }
        return (type, outcome, reason, providerId, details) -> {
            String provider = providerId != null && configured.test(providerId) ? providerId : UNKNOWN_PROVIDER;
            switch (type) {
                case Events.SIGN_IN -> signIn(provider, outcome, reason, System.nanoTime() - startNanos);
                case Events.SIGN_OUT -> sessionsEnded("sign_out", 1);
                case SESSIONS_ENDED_EVENT -> sessionsEnded("self".equals(details.get("by")) ? "ended_by_user" : "ended_by_admin",
                        number(details, "sessions"));
                case IdpLogouts.EVENT -> {
                    Counter.builder("idbroker.backchannel.logouts")
                            .description("Back-channel logout requests from IdPs, by provider, outcome and refusal reason")
                            .tags("provider", provider, "outcome", outcome, "reason", reason == null ? "none" : reason)
                            .register(registry).increment();
                    sessionsEnded("backchannel_logout", number(details, "sessionsEnded"));
                }
                default -> {
                    // other events are not counted
                }
            }
        };
    }

    private void signIn(String provider, String outcome, String reason, long nanos) {
        Counter.builder("idbroker.sign.ins")
                .description("Finished sign-ins, by provider, outcome (success, failure) and reason code (none for a success)")
                .tags("provider", provider, "outcome", outcome, "reason", reason == null ? "none" : reason)
                .register(registry).increment();
        Timer.builder("idbroker.sign.in.duration")
                .description("Time the broker took to answer the request that finished a sign-in, IdP calls included")
                .tags("provider", provider, "outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
        if (Events.SUCCESS.equals(outcome)) {
            Counter.builder("idbroker.sessions.started").description("Sessions started by a sign-in")
                    .tags("provider", provider).register(registry).increment();
        }
    }

    private void sessionsEnded(String reason, int count) {
        if (count > 0) {
            Counter.builder("idbroker.sessions.ended")
                    .description("Sessions ended, by reason (sign_out, ended_by_user, ended_by_admin, backchannel_logout, expired)")
                    .tags("reason", reason).register(registry).increment(count);
        }
    }

    private static int number(Map<String, ?> details, String name) {
        return details.get(name) instanceof Number n ? n.intValue() : 0;
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
