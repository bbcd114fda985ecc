package org.idbroker.server.operations;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import org.idbroker.server.metrics.BrokerMetrics;

/** Hands the node's meters and readiness to the services that report to them. */
public final class OperationsModule extends AbstractModule {

    private final NodeOperations operations;

    public OperationsModule(NodeOperations operations) {
        this.operations = requireNonNull(operations, "operations is null");
    }

    @Override
    protected void configure() {
        bind(BrokerMetrics.class).toInstance(operations.metrics());
        bind(Readiness.class).toInstance(operations.readiness());
    }
}
