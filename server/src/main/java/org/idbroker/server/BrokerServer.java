package org.idbroker.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.jetty.JettyHttpContainer;
import org.glassfish.jersey.server.ContainerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.idbroker.core.crypto.MasterKeyCheck;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.db.Database;
import org.idbroker.core.events.Events;
import org.idbroker.core.sessions.SessionLifetimes;
import org.idbroker.core.signin.LoginStates;
import org.idbroker.core.signin.PasswordThrottle;
import org.idbroker.server.operations.NodeOperations;
import org.idbroker.server.operations.Operations;
import org.idbroker.server.operations.OperationsModule;
import org.idbroker.server.providers.ProviderRegistry;
import org.idbroker.server.providers.DefaultInstances;
import org.idbroker.server.providers.ProviderTypes;
import org.idbroker.server.sessions.SessionMaintenance;
import org.idbroker.server.sessions.SessionsModule;
import org.idbroker.server.web.oidc.BackchannelDelivery;
import org.idbroker.server.web.oidc.OidcMaintenance;
import org.idbroker.server.web.oidc.OidcModule;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** One running broker node: Jetty serving the Jersey API, wired by Guice, on one database. */
public final class BrokerServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerServer.class);
    /** Request threads by default: requests wait on the database or the IdP, not on a processor. */
    public static final int DEFAULT_HTTP_THREADS = 32;
    /** Jetty needs a few threads of the pool for accepting and selecting before it serves anything. */
    public static final int MIN_HTTP_THREADS = 8;

    static {
        // Jersey and HK2 log through java.util.logging: route it to SLF4J like everything else
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    private final Server jetty;
    private final Injector injector;
    private final BrokerConfig config;
    private final Housekeeping housekeeping;
    private final NodeOperations operations;
    private final AtomicBoolean closed = new AtomicBoolean();

    private BrokerServer(Server jetty, Injector injector, BrokerConfig config, NodeOperations operations) {
        this.jetty = jetty;
        this.injector = injector;
        this.config = config;
        this.operations = operations;
        this.housekeeping = new Housekeeping(injector.getInstance(LoginStates.class), injector.getInstance(PasswordThrottle.class),
                injector.getInstance(Events.class), operations.operations().eventRetention(), injector.getInstance(Clock.class),
                injector.getInstance(Jdbi.class), injector.getInstance(SecretCipher.class));
    }

    /**
     * What to start.
     *
     * @param httpPort the port, 0 for any free one
     * @param bindHost the interface to listen on
     * @param publicUrl the public URL, or {@code null} for {@code http://localhost:<port>} (development)
     * @param devMode whether this is {@code start-dev}
     * @param sessionLifetimes session lifetimes
     * @param httpThreads how many requests are served at once; more wait in a queue
     * @param operations management port, trusted proxies, access log, draining
     * @param trafficLimits how much of the node one provider or one client address may take
     */
    public record Options(int httpPort, String bindHost, URI publicUrl, boolean devMode, SessionLifetimes sessionLifetimes,
            int httpThreads, Operations operations, TrafficLimits trafficLimits) {
        public Options {
            requireNonNull(bindHost, "bindHost is null");
            requireNonNull(sessionLifetimes, "sessionLifetimes is null");
            requireNonNull(operations, "operations is null");
            requireNonNull(trafficLimits, "trafficLimits is null");
            if (httpThreads < MIN_HTTP_THREADS) {
                throw new IllegalArgumentException("httpThreads must be at least " + MIN_HTTP_THREADS);
            }
            if (trafficLimits.idpCallsPerProvider() >= RequestPriorities.maxRequests(httpThreads)) {
                throw new IllegalArgumentException("the IdP calls allowed per provider (" + trafficLimits.idpCallsPerProvider()
                        + ") must be fewer than the requests handled at once (" + RequestPriorities.maxRequests(httpThreads) + ")");
            }
        }

        /** With the default operations and traffic limits for this many request threads. */
        public Options(int httpPort, String bindHost, URI publicUrl, boolean devMode, SessionLifetimes sessionLifetimes,
                int httpThreads) {
            this(httpPort, bindHost, publicUrl, devMode, sessionLifetimes, httpThreads, Operations.DEFAULT);
        }

        /** With the default traffic limits for this many request threads. */
        public Options(int httpPort, String bindHost, URI publicUrl, boolean devMode, SessionLifetimes sessionLifetimes,
                int httpThreads, Operations operations) {
            this(httpPort, bindHost, publicUrl, devMode, sessionLifetimes, httpThreads, operations,
                    TrafficLimits.defaults(httpThreads));
        }

        /** With the default operations: no management port, no trusted proxy, no access log. */
        public Options(int httpPort, String bindHost, URI publicUrl, boolean devMode, SessionLifetimes sessionLifetimes,
                int httpThreads, TrafficLimits trafficLimits) {
            this(httpPort, bindHost, publicUrl, devMode, sessionLifetimes, httpThreads, Operations.DEFAULT, trafficLimits);
        }

        /** With the default number of request threads. */
        public Options(int httpPort, String bindHost, URI publicUrl, boolean devMode, SessionLifetimes sessionLifetimes) {
            this(httpPort, bindHost, publicUrl, devMode, sessionLifetimes, DEFAULT_HTTP_THREADS);
        }

        public Options withOperations(Operations newOperations) {
            return new Options(httpPort, bindHost, publicUrl, devMode, sessionLifetimes, httpThreads, newOperations, trafficLimits);
        }
    }

    /** Work on the migrated database that must be done before a node serves. */
    @FunctionalInterface
    public interface DatabaseStep {
        void run(Database database, SecretCipher cipher);
    }

    /**
     * Starts a node: reaches and migrates the database (if not yet done) and checks the master key against
     * it on one thread while the services and the HTTP API are built on this one. The port is opened
     * first, so a port already taken fails fast, but HTTP is served only once both are done: from its
     * first answer the node is ready.
     *
     * @throws PortInUseException when the port is taken
     * @throws org.idbroker.core.db.DatabaseUnavailableException when the database cannot be reached or migrated
     */
    public static BrokerServer start(Options options, Database database, SecretCipher cipher, ProviderTypes types,
            Module... extraModules) {
        return start(options, database, cipher, types, (db, c) -> { }, extraModules);
    }

    /**
     * As {@link #start(Options, Database, SecretCipher, ProviderTypes, Module...)}, running {@code beforeServing}
     * on the migrated database (such as {@code --apply}): the node serves only once it is done, and its
     * failure stops the start.
     */
    public static BrokerServer start(Options options, Database database, SecretCipher cipher, ProviderTypes types,
            DatabaseStep beforeServing, Module... extraModules) {
        FutureTask<Void> databaseReady = new FutureTask<>(() -> {
            database.connect().migrate();
            MasterKeyCheck.verify(database.jdbi(), cipher);
            DefaultInstances.seed(types, database.jdbi());
            beforeServing.run(database, cipher);
            return null;
        });
        Thread databaseThread = new Thread(databaseReady, "database-start");
        databaseThread.setDaemon(true);
        databaseThread.start();

        // requests wait on the database pool or the IdP, not on a processor: more threads than this only cost
        // memory (a stack each, and the JDK HTTP client's threads they keep busy); requests beyond it queue
        QueuedThreadPool threads = new QueuedThreadPool(options.httpThreads(), 4);
        threads.setName("http");
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(16 * 1024);
        // one acceptor and one selector (plenty for a broker's request rates) keep the thread budget the same on any machine
        NodeOperations operations;
        try {
            operations = NodeOperations.prepare(jetty, threads, http, options.operations(), database);
        } catch (RuntimeException e) {
            awaitQuietly(databaseReady);
            throw e;
        }
        ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(options.bindHost());
        connector.setPort(options.httpPort());
        jetty.addConnector(connector);
        try {
            connector.open();
        } catch (BindException e) {
            awaitQuietly(databaseReady);
            closeQuietly(jetty, operations);
            throw new PortInUseException(options.httpPort());
        } catch (IOException e) {
            awaitQuietly(databaseReady);
            closeQuietly(jetty, operations);
            if (e.getCause() instanceof BindException) {
                throw new PortInUseException(options.httpPort());
            }
            throw new IllegalStateException("cannot listen on port " + options.httpPort() + ": " + e.getMessage(), e);
        }
        URI publicUrl = options.publicUrl() != null ? options.publicUrl()
                : URI.create("http://localhost:" + connector.getLocalPort());
        BrokerConfig config = new BrokerConfig(publicUrl, connector.getLocalPort(), options.bindHost(), options.devMode(),
                options.sessionLifetimes());

        Injector injector;
        try {
            List<Module> modules = new ArrayList<>(List.of(
                    new CoreModule(database, cipher, config, options.trafficLimits().passwordFailures()),
                    new ProvidersModule(types, options.trafficLimits().idpCallsPerProvider()),
                    new SessionsModule(),
                    new OidcModule(),
                    new WebModule(),
                    new OperationsModule(operations)));
            modules.addAll(List.of(extraModules));
            injector = Guice.createInjector(modules);
            JettyHttpContainer container = ContainerFactory.createContainer(JettyHttpContainer.class,
                    injector.getInstance(ResourceConfig.class));
            ProviderRegistry registry = injector.getInstance(ProviderRegistry.class);
            jetty.setHandler(operations.wrap(new RequestPriorities(BodyLimits.around(new SignInStartRate(new MalformedUriGuard(container),
                    options.trafficLimits().signInStartsPerMinute(), System::nanoTime)), options.httpThreads()),
                    id -> registry.find(id).isPresent()));
            jetty.setErrorHandler(new JsonErrorHandler());
            await(databaseReady);
        } catch (RuntimeException | Error e) {
            awaitQuietly(databaseReady);
            connector.close();
            closeQuietly(jetty, operations);
            throw e;
        }
        injector.getInstance(SessionMaintenance.class).start();
        injector.getInstance(OidcMaintenance.class).start();
        injector.getInstance(BackchannelDelivery.class).start();
        try {
            jetty.start();
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception ignored) {
                // already failing
            }
            stopBackgroundWork(injector);
            throw new IllegalStateException("the HTTP server did not start: " + e.getMessage(), e);
        }
        LOG.info("IdBroker listening on {}:{}, public URL {}", options.bindHost(), connector.getLocalPort(), publicUrl);
        if (operations.managementPort() != Operations.OFF) {
            LOG.info("Management port {}:{} (/metrics, /health/live, /health/ready)", options.operations().managementBind(),
                    operations.managementPort());
        }
        return new BrokerServer(jetty, injector, config, operations);
    }

    /** Waits for the database's start and throws what it threw. */
    private static void await(FutureTask<Void> task) {
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the database was being prepared", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        }
    }

    /** Releases the management port and the meters of a start that failed. */
    private static void closeQuietly(Server jetty, NodeOperations operations) {
        for (var connector : jetty.getConnectors()) {
            if (connector instanceof ServerConnector open) {
                open.close();
            }
        }
        operations.close();
    }

    /** Lets the database's start finish before the caller closes the pool under it. */
    private static void awaitQuietly(FutureTask<Void> task) {
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // the caller's failure is the one to report
        }
    }

    public int port() {
        return config.httpPort();
    }

    /** The management port, or {@link Operations#OFF}. */
    public int managementPort() {
        return operations.managementPort();
    }

    public BrokerConfig config() {
        return config;
    }

    public Injector injector() {
        return injector;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /**
     * Stops the node, draining first: {@code /health/ready} answers 503 at once, everything is still
     * served for the shutdown delay, then the ports close and the requests in flight get up to the
     * shutdown timeout to finish. The background work stops last, a task under way finishing first: when
     * this returns nothing of the node uses the database any more, and its pool may be closed.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        operations.drain();
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("The HTTP server did not stop cleanly: {}", e.getMessage());
        }
        housekeeping.close();
        stopBackgroundWork(injector);
        injector.getInstance(ProviderRegistry.class).close();
        operations.close();
    }

    /** Stops the scheduled tasks the injector holds, each waiting for its run under way. */
    private static void stopBackgroundWork(Injector injector) {
        injector.getInstance(SessionMaintenance.class).close();
        injector.getInstance(OidcMaintenance.class).close();
        injector.getInstance(BackchannelDelivery.class).close();
    }

    /** The HTTP port is taken by another process. */
    public static final class PortInUseException extends RuntimeException {
        public PortInUseException(int port) {
            super("port " + port + " is already in use: stop what uses it or choose another with --http-port");
        }
    }
}
