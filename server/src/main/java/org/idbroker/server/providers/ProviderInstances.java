package org.idbroker.server.providers;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.idbroker.core.providers.ProviderRecord;
import org.idbroker.server.BrokerConfig;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.InvalidSettingsException;
import org.idbroker.spi.IdpCalls;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.ProviderSettings;
import org.idbroker.spi.SettingDescriptor;

/**
 * The one place that turns provider settings into a provider instance: the defaults of the type's
 * settings (applied here, once), the stored settings, the decrypted secrets and the redirect URI go
 * to the factory, called, like every later call into a drop-in provider, with the provider jar's class
 * loader as the context class loader. Used by the registry, the configurator, the doctor and the
 * support bundle.
 */
public final class ProviderInstances {

    private final ProviderTypes types;

    public ProviderInstances(ProviderTypes types) {
        this.types = requireNonNull(types, "types is null");
    }

    public ProviderTypes types() {
        return types;
    }

    /** The settings a provider of this type is built with: each plain setting's default, then the values given. */
    public static Map<String, String> effective(IdentityProviderFactory factory, Map<String, String> settings) {
        return effective(ProviderRegistry.descriptors(factory), settings);
    }

    static Map<String, String> effective(List<SettingDescriptor> descriptors, Map<String, String> settings) {
        Map<String, String> effective = new LinkedHashMap<>();
        for (SettingDescriptor d : descriptors) {
            if (!d.secret() && d.defaultValue() != null) {
                effective.put(d.name(), d.defaultValue());
            }
        }
        settings.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                effective.put(k, v);
            }
        });
        return effective;
    }

    /**
     * Builds a provider from settings that are not stored yet (the configurator's check at save time).
     *
     * @param settings the plain settings; defaults are applied here
     * @param publicUrl the broker's normalized public URL, for the redirect URI
     */
    public IdentityProvider create(IdentityProviderFactory factory, String id, Map<String, String> settings,
            Map<String, String> secrets, URI publicUrl) throws InvalidSettingsException {
        return create(factory, id, settings, secrets, publicUrl, IdpCalls.NONE);
    }

    /** As {@link #create(IdentityProviderFactory, String, Map, Map, URI)}, telling {@code idpCalls} of each call to the IdP. */
    public IdentityProvider create(IdentityProviderFactory factory, String id, Map<String, String> settings,
            Map<String, String> secrets, URI publicUrl, IdpCalls idpCalls) throws InvalidSettingsException {
        Map<String, String> values = new HashMap<>(effective(factory, settings));
        values.putAll(secrets);
        ProviderContext context = new ProviderContext(id, new ProviderSettings(values), BrokerConfig.redirectUri(publicUrl, id), idpCalls);
        ClassLoader loader = factory.getClass().getClassLoader();
        IdentityProvider provider = ProviderCalls.in(loader, () -> factory.create(context));
        return loader == ProviderInstances.class.getClassLoader() ? provider : new InLoaderProvider(provider, loader);
    }

    /** A stored instance built, or why it could not be: never throws. */
    public Instance build(ProviderRecord record, URI publicUrl) {
        return build(record, publicUrl, IdpCalls.NONE);
    }

    /** As {@link #build(ProviderRecord, URI)}, telling {@code idpCalls} of each call the instance makes to the IdP. */
    public Instance build(ProviderRecord record, URI publicUrl, IdpCalls idpCalls) {
        Optional<IdentityProviderFactory> factory = types.find(record.type());
        if (factory.isEmpty()) {
            return new Instance(effective(BrokerSettings.DESCRIPTORS, record.settings()), null,
                    new Problem(Problem.Kind.TYPE_MISSING, null, "the provider type '" + record.type() + "' is not installed on this node"));
        }
        Map<String, String> settings = effective(factory.get(), record.settings());
        try {
            return new Instance(settings, create(factory.get(), record.id(), settings, record.secrets(), publicUrl, idpCalls), null);
        } catch (InvalidSettingsException e) {
            return new Instance(settings, null, new Problem(Problem.Kind.INVALID_SETTINGS, e.setting(), e.getMessage()));
        } catch (RuntimeException e) {
            return new Instance(settings, null, new Problem(Problem.Kind.FAILED, null,
                    "the provider could not be built: " + withoutSecrets(String.valueOf(e.getMessage()), record.secrets())));
        }
    }

    /**
     * {@code message} (a provider's exception's, which may quote any value it was given) with every secret value
     * replaced by {@code (secret)}, so it can be shown and logged.
     */
    static String withoutSecrets(String message, Map<String, String> secrets) {
        String shown = message;
        for (String secret : secrets.values()) {
            if (secret != null && !secret.isEmpty()) {
                shown = shown.replace(secret, "(secret)");
            }
        }
        return shown;
    }

    /**
     * A provider instance as built from its stored record.
     *
     * @param settings the effective plain settings (defaults applied, no secrets)
     * @param provider the provider, or {@code null} when it could not be built
     * @param problem why it could not be built, or {@code null}
     */
    public record Instance(Map<String, String> settings, IdentityProvider provider, Problem problem) {
        public Instance {
            settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }
    }

    /**
     * Why an instance could not be built.
     *
     * @param setting the setting at fault, or {@code null}
     */
    public record Problem(Kind kind, String setting, String message) {

        public enum Kind { TYPE_MISSING, INVALID_SETTINGS, FAILED }

        /** {@code setting 'x': message}, or the message alone. */
        public String describe() {
            return setting != null ? "setting '" + setting + "': " + message : message;
        }
    }
}
