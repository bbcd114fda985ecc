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
        this.factories = Map.copyOf(byType);
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
