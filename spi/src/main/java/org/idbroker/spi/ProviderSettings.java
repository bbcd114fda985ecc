package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values of one instance's settings, with defaults already applied and secrets decrypted.
 * Plain strings cross the SPI; a provider binds them to its own typed configuration.
 */
public record ProviderSettings(Map<String, String> values) {

    public ProviderSettings {
        values = Map.copyOf(requireNonNull(values, "values is null"));
    }

    public Optional<String> get(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String require(String name) throws InvalidSettingsException {
        return get(name).orElseThrow(() -> new InvalidSettingsException(name, "a value is required"));
    }

    public boolean bool(String name, boolean fallback) {
        return get(name).map(Boolean::parseBoolean).orElse(fallback);
    }

    public int integer(String name, int fallback) throws InvalidSettingsException {
        Optional<String> value = get(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            throw new InvalidSettingsException(name, "must be a whole number, got '" + value.get() + "'");
        }
    }

    public List<String> list(String name) {
        return get(name).map(v -> Arrays.stream(v.split("[\\s,]+")).filter(s -> !s.isEmpty()).toList()).orElse(List.of());
    }
}
