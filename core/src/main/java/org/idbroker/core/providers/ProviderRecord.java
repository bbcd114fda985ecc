package org.idbroker.core.providers;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Set;

/**
 * One configured provider instance as stored.
 *
 * @param id the instance id, used in URLs
 * @param type the provider type id
 * @param settings plain settings (broker-owned and the type's)
 * @param secrets decrypted secret settings; never sent to a client
 * @param version increases at every change, so every node notices it
 */
public record ProviderRecord(String id, String type, Map<String, String> settings, Map<String, String> secrets, long version) {

    public ProviderRecord {
        requireNonNull(id, "id is null");
        requireNonNull(type, "type is null");
        settings = Map.copyOf(requireNonNull(settings, "settings is null"));
        secrets = Map.copyOf(requireNonNull(secrets, "secrets is null"));
    }

    public Set<String> secretNames() {
        return secrets.keySet();
    }

    @Override
    public String toString() {
        return "ProviderRecord[id=" + id + ", type=" + type + ", settings=" + settings + ", secrets=" + secrets.keySet()
                + ", version=" + version + "]";
    }
}
