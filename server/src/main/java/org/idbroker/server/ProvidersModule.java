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
    private final int idpCallsPerProvider;

    /** @param idpCallsPerProvider how many of each provider's calls to its IdP may be in flight at once */
    public ProvidersModule(ProviderTypes types, int idpCallsPerProvider) {
        this.types = requireNonNull(types, "types is null");
        this.idpCallsPerProvider = idpCallsPerProvider;
    }

    @Override
    protected void configure() {
        bind(ProviderTypes.class).toInstance(types);
        bind(ProviderDirectory.class).to(ProviderRegistry.class);
    }

    @Provides
    @Singleton
    ProviderRegistry registry(ProviderStore store, BrokerConfig config, Clock clock, BrokerMetrics metrics) {
        return new ProviderRegistry(store, types, config, clock, metrics::idpCalls, idpCallsPerProvider);
    }
}
