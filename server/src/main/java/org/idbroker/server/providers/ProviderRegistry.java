package org.idbroker.server.providers;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.idbroker.core.providers.ConfiguredProvider;
import org.idbroker.core.providers.ProviderDirectory;
import org.idbroker.core.providers.ProviderRecord;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.server.BrokerConfig;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.SignInStyle;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.IdpCalls;
import org.idbroker.spi.SettingDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured provider instances of this node, built from the settings in the database. A
 * change saved on any node is noticed here within {@link #REFRESH_INTERVAL}: the registry compares
 * a digest of the stored versions and rebuilds only what changed.
 */
public final class ProviderRegistry implements ProviderDirectory, AutoCloseable {

    public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);

    private final ProviderStore store;
    private final ProviderTypes types;
    private final ProviderInstances instances;
    private final BrokerConfig config;
    private final Clock clock;
    private final Function<String, IdpCalls> idpCalls;

    private volatile Snapshot snapshot = new Snapshot("", Map.of(), Instant.EPOCH);

    private final int idpCallsPerProvider;

    /**
     * @param idpCalls what each instance tells of its calls to the IdP (the metrics)
     * @param idpCallsPerProvider how many of each provider's calls to its IdP may be in flight at once ({@link IdpCallLimit})
     */
    public ProviderRegistry(ProviderStore store, ProviderTypes types, BrokerConfig config, Clock clock,
            Function<String, IdpCalls> idpCalls, int idpCallsPerProvider) {
        this.idpCallsPerProvider = idpCallsPerProvider;
        this.store = requireNonNull(store, "store is null");
        this.types = requireNonNull(types, "types is null");
        this.instances = new ProviderInstances(types);
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.idpCalls = requireNonNull(idpCalls, "idpCalls is null");
    }

    /** Every configured instance, in id order. */
    public List<ConfiguredProvider> all() {
        return current().providers.values().stream().toList();
    }

    /** The enabled instances, in id order. */
    public List<ConfiguredProvider> enabled() {
        return all().stream().filter(ConfiguredProvider::enabled).toList();
    }

    @Override
    public Optional<ConfiguredProvider> find(String id) {
        return Optional.ofNullable(current().providers.get(id));
    }

    /** Forgets what was read, so the next call reads the database again. */
    public void invalidate() {
        Snapshot old = snapshot;
        snapshot = new Snapshot(old.fingerprint, old.providers, Instant.EPOCH);
    }

    public ProviderTypes types() {
        return types;
    }

    /** The type's settings after the broker's own, each with its effective default. */
    public static List<SettingDescriptor> descriptors(IdentityProviderFactory factory) {
        return java.util.stream.Stream.concat(BrokerSettings.DESCRIPTORS.stream(), factory.settings().stream()).toList();
    }

    private Snapshot current() {
        Snapshot seen = snapshot;
        if (seen.checkedAt.plus(REFRESH_INTERVAL).isAfter(clock.instant())) {
            return seen;
        }
        synchronized (this) {
            seen = snapshot;
            if (seen.checkedAt.plus(REFRESH_INTERVAL).isAfter(clock.instant())) {
                return seen;
            }
            String fingerprint = store.fingerprint();
            if (fingerprint.equals(seen.fingerprint)) {
                snapshot = new Snapshot(seen.fingerprint, seen.providers, clock.instant());
                return snapshot;
            }
            Map<String, ConfiguredProvider> rebuilt = new LinkedHashMap<>();
            Map<String, ConfiguredProvider> stale = new HashMap<>(seen.providers);
            for (ProviderRecord record : store.list()) {
                ConfiguredProvider previous = stale.get(record.id());
                if (previous != null && previous.version() == record.version() && previous.type().equals(record.type())) {
                    rebuilt.put(record.id(), previous);
                    stale.remove(record.id());
                } else {
                    rebuilt.put(record.id(), build(record));
                }
            }
            snapshot = new Snapshot(fingerprint, java.util.Collections.unmodifiableMap(rebuilt), clock.instant());
            // close what was replaced or removed; sign-ins in flight keep their own reference
            stale.values().forEach(p -> p.usable().ifPresent(IdentityProvider::close));
            return snapshot;
        }
    }

    private ConfiguredProvider build(ProviderRecord record) {
        ProviderInstances.Instance built = instances.build(record, config.publicUrl(), idpCalls.apply(record.id()));
        Map<String, String> effective = built.settings();
        boolean enabled = BrokerSettings.enabled(effective);
        ProviderInstances.Problem problem = built.problem();
        if (problem != null && (enabled || problem.kind() != ProviderInstances.Problem.Kind.INVALID_SETTINGS)) {
            LOG.warn(problem.kind() == ProviderInstances.Problem.Kind.TYPE_MISSING ? "Provider {}: {}" : "Provider {} cannot be used: {}",
                    record.id(), problem.describe());
        }
        String displayName = BrokerSettings.displayName(record.id(), effective);
        IdentityProvider provider = built.provider() == null ? null
                : IdpCallLimit.wrap(built.provider(), displayName, idpCallsPerProvider);
        return new ConfiguredProvider(record.id(), record.type(), displayName, enabled,
                BrokerSettings.policy(record.id(), effective), effective, provider,
                problem == null ? null : problem.describe(), record.version(),
                types.find(record.type()).map(IdentityProviderFactory::signInStyle).orElse(SignInStyle.REDIRECT));
    }

    @Override
    public void close() {
        snapshot.providers.values().forEach(p -> p.usable().ifPresent(IdentityProvider::close));
    }

    private record Snapshot(String fingerprint, Map<String, ConfiguredProvider> providers, Instant checkedAt) {
    }
}
