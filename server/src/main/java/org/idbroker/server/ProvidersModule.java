package org.idbroker.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.time.Clock;
import org.idbroker.core.providers.ProviderDirectory;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.server.metrics.BrokerMetrics;
import org.idbroker.server.providers.ProviderRegistry;
import org.idbroker.server.providers.ProviderTypes;

/** The installed provider types and the configured instances. */
public final class ProvidersModule extends AbstractModule {

    private final ProviderTypes types;

    public ProvidersModule(ProviderTypes types) {
        this.types = requireNonNull(types, "types is null");
    }

    @Override
    protected void configure() {
        bind(ProviderTypes.class).toInstance(types);
        bind(ProviderDirectory.class).to(ProviderRegistry.class);
    }

    @Provides
    @Singleton
    ProviderRegistry registry(ProviderStore store, BrokerConfig config, Clock clock, BrokerMetrics metrics) {
        return new ProviderRegistry(store, types, config, clock, metrics::idpCalls);
    }
}
