package org.idbroker.server.providers;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.idbroker.spi.IdentityProviderFactory;

/** The provider types this broker knows: factories found with {@link ServiceLoader}. */
public final class ProviderTypes {

    private final Map<String, IdentityProviderFactory> factories;

    public ProviderTypes(Collection<IdentityProviderFactory> factories) {
        Map<String, IdentityProviderFactory> byType = new LinkedHashMap<>();
        for (IdentityProviderFactory factory : factories) {
            IdentityProviderFactory previous = byType.putIfAbsent(factory.type(), factory);
            if (previous != null) {
                throw new IllegalStateException("two provider factories have the type id '" + factory.type() + "': "
                        + previous.getClass().getName() + " and " + factory.getClass().getName());
            }
        }
        List<String> defaults = byType.values().stream().filter(IdentityProviderFactory::defaultForNewInstances)
                .map(IdentityProviderFactory::type).sorted().toList();
        if (defaults.size() > 1) {
            throw new IllegalStateException("more than one provider type says it is the default for new instances: "
                    + String.join(", ", defaults));
        }
        this.factories = Map.copyOf(byType);
    }

    /** The type a new instance gets when none is named, if an installed type says it is the one. */
    public Optional<IdentityProviderFactory> defaultForNewInstances() {
        return factories.values().stream().filter(IdentityProviderFactory::defaultForNewInstances).findFirst();
    }

    /** The factories on the class path of this class loader. */
    public static List<IdentityProviderFactory> builtIn() {
        return ServiceLoader.load(IdentityProviderFactory.class, ProviderTypes.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
    }

    public Optional<IdentityProviderFactory> find(String type) {
        return Optional.ofNullable(factories.get(type));
    }

    public List<IdentityProviderFactory> all() {
        return factories.values().stream().sorted((a, b) -> a.type().compareTo(b.type())).toList();
    }
}
