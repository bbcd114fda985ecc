package org.idbroker.server.providers;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.idbroker.core.providers.ProviderRecord;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.InvalidSettingsException;
import org.idbroker.spi.SettingDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes provider instances: checks every field against the type's descriptions, builds the
 * provider once so that a bad configuration fails when saved, and stores secrets encrypted. Used
 * by the {@code configure} command and the settings API alike.
 */
public final class ProviderConfigurator {

    /** The field of an error that names no one setting: the settings as a whole. */
    public static final String SETTINGS = "settings";
    private static final Logger LOG = LoggerFactory.getLogger(ProviderConfigurator.class);

    private final ProviderStore store;
    private final ProviderTypes types;
    private final ProviderInstances instances;

    public ProviderConfigurator(ProviderStore store, ProviderTypes types) {
        this.store = requireNonNull(store, "store is null");
        this.types = requireNonNull(types, "types is null");
        this.instances = new ProviderInstances(types);
    }

    /**
     * Creates or updates an instance.
     *
     * @param id the instance id
     * @param type the type, or {@code null} to keep the stored one (for a new instance: the installed type that is
     *     the default for new instances)
     * @param settings plain setting values; with {@code merge} only these change, else they replace all
     * @param secrets secret values to set; a secret left out keeps its stored value
     * @param merge whether to merge into the stored settings
     * @param publicUrl the public URL, from which the redirect URI is built
     */
    public ProviderRecord save(String id, String type, Map<String, String> settings, Map<String, String> secrets,
            boolean merge, URI publicUrl) throws InvalidConfigurationException {
        Checked checked = check(id, type, settings, secrets, merge, publicUrl);
        return store.save(checked.id(), checked.type(), checked.settings(), checked.secretChanges());
    }

    /**
     * What {@link #save} would store, checked as it checks it, without storing anything: {@code apply}
     * checks a whole file this way before it changes anything.
     */
    public Checked check(String id, String type, Map<String, String> settings, Map<String, String> secrets,
            boolean merge, URI publicUrl) throws InvalidConfigurationException {
        try {
            ProviderStore.requireValidId(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(Map.of("id", e.getMessage()));
        }
        Optional<ProviderRecord> stored = store.find(id);
        String effectiveType = type != null ? type : stored.map(ProviderRecord::type).or(() -> types.defaultForNewInstances()
                .map(IdentityProviderFactory::type)).orElseThrow(() -> new InvalidConfigurationException(Map.of("type",
                "name the provider type; installed types: " + installed())));
        IdentityProviderFactory factory = types.find(effectiveType).orElseThrow(() -> new InvalidConfigurationException(
                Map.of("type", "unknown provider type '" + effectiveType + "'; installed types: " + installed())));
        Set<String> secretNames = new TreeSet<>();
        Set<String> plainNames = new TreeSet<>();
        for (SettingDescriptor d : ProviderRegistry.descriptors(factory)) {
            (d.secret() ? secretNames : plainNames).add(d.name());
        }
        Map<String, String> errors = new LinkedHashMap<>();
        settings.keySet().stream().filter(secretNames::contains).forEach(name ->
                errors.put(name, "this is a secret: give it as a secret value, never as a plain setting"));
        secrets.keySet().stream().filter(name -> !secretNames.contains(name)).forEach(name ->
                errors.put(name, "not a secret setting of the provider type '" + effectiveType + "'"));
        if (!errors.isEmpty()) {
            throw new InvalidConfigurationException(errors);
        }
        if (!merge) {
            errors.putAll(SettingsValidator.blanks(factory, settings));
        }
        Map<String, String> merged = new LinkedHashMap<>();
        if (merge && stored.isPresent()) {
            stored.get().settings().forEach((k, v) -> {
                if (plainNames.contains(k)) {
                    merged.put(k, v);
                }
            });
        }
        settings.forEach((k, v) -> {
            if (v == null || v.isBlank()) {
                merged.remove(k);
            } else {
                merged.put(k, v.trim());
            }
        });
        Map<String, String> allSecrets = new HashMap<>(stored.map(ProviderRecord::secrets).orElse(Map.of()));
        allSecrets.keySet().retainAll(secretNames);
        secrets.forEach((k, v) -> {
            if (v == null || v.isEmpty()) {
                allSecrets.remove(k);
            } else {
                allSecrets.put(k, v);
            }
        });
        SettingsValidator.validate(factory, merged, allSecrets.keySet()).forEach(errors::putIfAbsent);
        if (errors.isEmpty()) {
            tryBuild(factory, id, merged, allSecrets, publicUrl).ifPresent(e -> errors.put(e.field(), e.message()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigurationException(errors);
        }
        Map<String, String> secretChanges = new HashMap<>(secrets);
        stored.map(ProviderRecord::secrets).orElse(Map.of()).keySet().stream()
                .filter(name -> !secretNames.contains(name)).forEach(name -> secretChanges.put(name, ""));
        return new Checked(id, effectiveType, merged, secretChanges);
    }

    /** Stores what {@link #check} accepted. */
    public ProviderRecord save(Checked checked) {
        return store.save(checked.id(), checked.type(), checked.settings(), checked.secretChanges());
    }

    /**
     * Settings that passed the checks.
     *
     * @param settings the plain settings to store, replacing the stored ones
     * @param secretChanges secrets to set; an empty value removes one, one left out keeps its value
     */
    public record Checked(String id, String type, Map<String, String> settings, Map<String, String> secretChanges) {
    }

    private String installed() {
        return String.join(", ", types.all().stream().map(IdentityProviderFactory::type).toList());
    }

    /** Why the provider cannot be built from these settings: the field at fault ({@link #SETTINGS} when unknown). */
    private record Refusal(String field, String message) {
    }

    private Optional<Refusal> tryBuild(IdentityProviderFactory factory, String id, Map<String, String> settings,
            Map<String, String> secrets, URI publicUrl) {
        String field;
        String message;
        try (IdentityProvider ignored = instances.create(factory, id, settings, secrets, publicUrl)) {
            return Optional.empty();
        } catch (InvalidSettingsException e) {
            field = e.setting();
            message = e.getMessage();
        } catch (RuntimeException e) {
            // a factory that checks a value by using it (URI.create, Integer.parseInt, Pattern.compile): still the
            // settings' fault, a refusal and not a server error; what names no setting is put on the one value it quotes
            message = ProviderInstances.withoutSecrets(e.getMessage() == null ? "" : e.getMessage(), secrets);
            field = quoted(factory, settings, message).orElse(SETTINGS);
            if (e instanceof IllegalArgumentException) {
                message = "the provider type '" + factory.type() + "' refused the settings: " + message;
            } else {
                message = "the provider type '" + factory.type() + "' failed on these settings (" + e.getClass().getSimpleName()
                        + ": " + message + ")";
                LOG.warn("Provider {}: {}", id, message);
            }
        }
        // a disabled instance may be saved half-configured, but a value given must still be a usable one
        boolean enabled = BrokerSettings.enabled(ProviderInstances.effective(factory, settings));
        boolean given = settings.containsKey(field) || secrets.containsKey(field);
        return enabled || given ? Optional.of(new Refusal(field, message)) : Optional.empty();
    }

    /** The one plain setting of the type (not the broker's) whose value {@code message} quotes, if exactly one. */
    private static Optional<String> quoted(IdentityProviderFactory factory, Map<String, String> settings, String message) {
        Set<String> own = new TreeSet<>();
        factory.settings().stream().filter(d -> !d.secret()).forEach(d -> own.add(d.name()));
        List<String> named = settings.entrySet().stream().filter(e -> own.contains(e.getKey()))
                .filter(e -> e.getValue().length() >= 4 && message.contains(e.getValue())).map(Map.Entry::getKey).toList();
        return named.size() == 1 ? Optional.of(named.get(0)) : Optional.empty();
    }
}
