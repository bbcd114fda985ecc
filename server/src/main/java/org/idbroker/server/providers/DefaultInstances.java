package org.idbroker.server.providers;

import java.util.Map;
import org.idbroker.core.providers.ProviderSeeds;
import org.idbroker.spi.DefaultInstance;
import org.idbroker.spi.IdentityProviderFactory;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each installed type that names a default instance ({@link IdentityProviderFactory#defaultInstance()}) that
 * instance, disabled, once per database: run after the schema is set up, at every start and by the commands that
 * install a schema. The server names no instance and no type itself.
 */
public final class DefaultInstances {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultInstances.class);

    private DefaultInstances() {
    }

    public static void seed(ProviderTypes types, Jdbi jdbi) {
        ProviderSeeds seeds = new ProviderSeeds(jdbi);
        for (IdentityProviderFactory factory : types.all()) {
            factory.defaultInstance().ifPresent(instance -> {
                if (seeds.seedOnce(factory.type(), instance.id(), settings(instance))) {
                    LOG.info("Made the provider type {}'s default instance {} (disabled)", factory.type(), instance.id());
                }
            });
        }
    }

    private static Map<String, String> settings(DefaultInstance instance) {
        return Map.of(BrokerSettings.ENABLED, "false", BrokerSettings.DISPLAY_NAME, instance.displayName());
    }
}
