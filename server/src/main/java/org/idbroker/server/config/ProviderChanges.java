package org.idbroker.server.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import org.idbroker.core.events.Events;
import org.idbroker.core.providers.ProviderRecord;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.server.config.ConfigFile.Problem;
import org.idbroker.server.providers.InvalidConfigurationException;
import org.idbroker.server.providers.ProviderConfigurator;
import org.idbroker.server.providers.ProviderTypes;
import org.idbroker.server.web.ConfigurationResource;

/**
 * The {@code providers} of a file: checked with {@link ProviderConfigurator#check} before anything
 * changes, saved as the API saves them, with its event. Settings are replaced; a secret the file
 * leaves out keeps its stored value; a secret's value never appears in a line or an event. With
 * prune, providers the file does not name are deleted.
 */
final class ProviderChanges {

    private final ProviderStore store;
    private final ProviderConfigurator configurator;
    private final URI publicUrl;
    private final Function<ConfigFile.SecretRef, String> secrets;

    ProviderChanges(ProviderStore store, ProviderTypes types, URI publicUrl, Function<ConfigFile.SecretRef, String> secrets) {
        this.store = requireNonNull(store, "store is null");
        this.configurator = new ProviderConfigurator(store, types);
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
    }

    /** Every provider of the file checked as the API checks it; the problems of those that are not fit are added. */
    Map<String, ProviderConfigurator.Checked> check(ConfigFile file, List<Problem> problems) {
        Map<String, ProviderConfigurator.Checked> checked = new LinkedHashMap<>();
        file.providers().forEach((id, provider) -> {
            Map<String, String> values = new LinkedHashMap<>();
            boolean unresolved = false;
            for (Map.Entry<String, ConfigFile.SecretRef> e : provider.secrets().entrySet()) {
                try {
                    values.put(e.getKey(), secrets.apply(e.getValue()));
                } catch (IllegalArgumentException ex) {
                    problems.add(new Problem(e.getValue().path(), ex.getMessage()));
                    unresolved = true;
                }
            }
            if (unresolved) {
                return;
            }
            try {
                checked.put(id, configurator.check(id, provider.type(), provider.settings(), values, false, publicUrl));
            } catch (InvalidConfigurationException e) {
                e.fieldErrors().forEach((field, message) -> problems.add(new Problem(place(provider, field), message)));
            }
        });
        return checked;
    }

    /** Where a field the configurator names is in the file: the setting, the secret, or the provider itself. */
    private static ConfigFile.Path place(ConfigFile.Provider provider, String field) {
        if (provider.secrets().containsKey(field)) {
            return provider.secrets().get(field).path();
        }
        if (provider.settingPaths().containsKey(field)) {
            return provider.settingPaths().get(field);
        }
        String dotted = provider.path().dotted() + (field.equals("type") || field.equals("id") || field.equals(ProviderConfigurator.SETTINGS)
                ? "." + field : ".settings." + field);
        return new ConfigFile.Path(dotted, provider.path().line());
    }

    void apply(ApplyRun run, Map<String, ProviderConfigurator.Checked> providers) {
        providers.forEach((id, wanted) -> {
            if (!run.spoiled(new ConfigFile.Path("providers." + id, 0))) {
                apply(run, wanted);
            }
        });
    }

    private void apply(ApplyRun run, ProviderConfigurator.Checked wanted) {
        Optional<ProviderRecord> stored = store.find(wanted.id());
        List<String> changes = new ArrayList<>();
        TreeSet<String> secretsChanged = new TreeSet<>();
        if (stored.isPresent()) {
            ProviderRecord was = stored.get();
            if (!was.type().equals(wanted.type())) {
                changes.add("type " + was.type() + " -> " + wanted.type());
            }
            TreeSet<String> names = new TreeSet<>(was.settings().keySet());
            names.addAll(wanted.settings().keySet());
            for (String name : names) {
                String before = was.settings().get(name);
                String after = wanted.settings().get(name);
                if (before == null) {
                    changes.add(name + " set to " + quoted(after));
                } else if (after == null) {
                    changes.add(name + " removed (was " + quoted(before) + ")");
                } else if (!before.equals(after)) {
                    changes.add(name + " " + quoted(before) + " -> " + quoted(after));
                }
            }
            wanted.secretChanges().forEach((name, value) -> {
                String before = was.secrets().get(name);
                if (value.isEmpty() ? before != null : !value.equals(before)) {
                    secretsChanged.add(name);
                }
            });
            if (changes.isEmpty() && secretsChanged.isEmpty()) {
                return;
            }
        } else {
            secretsChanged.addAll(wanted.secretChanges().keySet());
        }
        secretsChanged.forEach(name -> changes.add(name + " changed"));
        Map<String, String> secretChanges = new LinkedHashMap<>(wanted.secretChanges());
        secretChanges.keySet().retainAll(secretsChanged);
        ProviderRecord saved = configurator.save(new ProviderConfigurator.Checked(wanted.id(), wanted.type(),
                wanted.settings(), secretChanges));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", saved.type());
        details.put("version", saved.version());
        details.put("settings", saved.settings());
        details.put("secretsChanged", secretsChanged);
        Events.record(run.handle, ConfigurationResource.PROVIDER_SAVED, Events.SUCCESS, null, null, null, saved.id(), details);
        run.say(stored.isPresent() ? "change provider " + saved.id() + ": " + String.join(", ", changes)
                : "create provider " + saved.id() + " (type " + saved.type() + ")"
                        + (secretsChanged.isEmpty() ? "" : "; secrets " + String.join(", ", secretsChanged) + " changed"));
    }

    /** Deletes the providers the file does not name, with the API's event. */
    void prune(ApplyRun run, ConfigFile file) {
        for (ProviderRecord record : store.list()) {
            if (!file.providers().containsKey(record.id())) {
                store.delete(record.id());
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("type", record.type());
                Events.record(run.handle, ConfigurationResource.PROVIDER_DELETED, Events.SUCCESS, null, null, null, record.id(), details);
                run.say("remove provider " + record.id());
            }
        }
    }

    private static String quoted(String value) {
        return "'" + value + "'";
    }
}
