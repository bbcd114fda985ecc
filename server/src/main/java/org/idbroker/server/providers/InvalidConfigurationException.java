package org.idbroker.server.providers;

import java.util.Map;
import java.util.stream.Collectors;

/** Provider settings that cannot be saved, with a message per field. */
public final class InvalidConfigurationException extends Exception {

    private final Map<String, String> fieldErrors;

    public InvalidConfigurationException(Map<String, String> fieldErrors) {
        super(fieldErrors.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; ")));
        this.fieldErrors = Map.copyOf(fieldErrors);
    }

    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }
}
