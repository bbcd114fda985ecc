package org.idbroker.server.operations;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.idbroker.core.db.Database;
import org.idbroker.server.metrics.BrokerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node adds to its HTTP server to be run in production: the trusted-proxy customizer, the
 * request context and access log, the management connector with {@code /metrics}, and the drain
 * (Jetty's {@link GracefulHandler}) that lets requests in flight finish when the node stops.
 */
public final class NodeOperations {

    private static final Logger LOG = LoggerFactory.getLogger(NodeOperations.class);

    private final Operations operations;
    private final BrokerMetrics metrics;
    private final Readiness readiness;
    private final TrustedProxies proxies;
    private final ServerConnector management;

    private NodeOperations(Operations operations, BrokerMetrics metrics, Readiness readiness, TrustedProxies proxies,
            ServerConnector management) {
        this.operations = operations;
        this.metrics = metrics;
        this.readiness = readiness;
        this.proxies = proxies;
        this.management = management;
    }

    /**
     * Sets up a node's server before it starts: the management port is opened here, so a port already
     * taken fails at once.
     *
     * @param publicHttp the public connector's configuration, which gets the trusted-proxy customizer
     * @throws ManagementPortInUseException when the management port is taken
     */
    public static NodeOperations prepare(Server jetty, ThreadPool threads, HttpConfiguration publicHttp, Operations operations,
            Database database) {
        requireNonNull(operations, "operations is null");
        TrustedProxies proxies = new TrustedProxies(operations.trustedProxies());
        publicHttp.addCustomizer(proxies);
        BrokerMetrics metrics = operations.managementEnabled() ? BrokerMetrics.prometheus() : BrokerMetrics.off();
        metrics.bindPool(database.dataSource());
        metrics.bindThreads(threads);
        Readiness readiness = new Readiness(database);
        ServerConnector management = null;
        if (operations.managementEnabled()) {
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            management = new ServerConnector(jetty, 0, 1, new HttpConnectionFactory(http));
            management.setName("management");
            management.setHost(operations.managementBind());
            management.setPort(operations.managementPort());
            try {
                management.open();
            } catch (IOException e) {
                metrics.close();
                throw new ManagementPortInUseException(operations.managementPort(), e);
            }
            jetty.addConnector(management);
        }
        if (operations.accessLog()) {
            jetty.setRequestLog(new AccessLog());
        }
        jetty.setStopTimeout(Math.max(1, operations.shutdownTimeout().toMillis()));
        return new NodeOperations(operations, metrics, readiness, proxies, management);
    }

    /**
     * The server's handler: graceful draining around the management router around the request
     * context around the application.
     *
     * @param configuredProvider whether a provider id is configured (metric tags take only those)
     */
    public Handler wrap(Handler application, Predicate<String> configuredProvider) {
        Handler withContext = new RequestContextHandler(application, proxies, metrics, configuredProvider);
        Handler routed = management == null ? withContext
                : new ManagementRouter(withContext, management, new ManagementHandler(metrics.scrapeable().orElseThrow(), readiness));
        return new GracefulHandler(routed);
    }

    /**
     * Starts stopping: {@code /health/ready} answers 503 from now on, and everything is still served for
     * the shutdown delay, so a load balancer can take the node out before its port closes.
     */
    public void drain() {
        readiness.drain();
        Duration delay = operations.shutdownDelay();
        if (!delay.isZero()) {
            LOG.info("Draining: not ready; serving for {} ms more before closing the port", delay.toMillis());
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public BrokerMetrics metrics() {
        return metrics;
    }

    public Readiness readiness() {
        return readiness;
    }

    public Operations operations() {
        return operations;
    }

    /** The management port (the one chosen when 0 was asked for), or {@link Operations#OFF}. */
    public int managementPort() {
        return management == null ? Operations.OFF : management.getLocalPort();
    }

    /** Releases the meters; the server is stopped. */
    public void close() {
        metrics.close();
    }

    /** The management port is taken. */
    public static final class ManagementPortInUseException extends RuntimeException {
        ManagementPortInUseException(int port, IOException cause) {
            super("management port " + port + " is already in use: stop what uses it or choose another with --management-port", cause);
        }
    }
}
