package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The parameters of the IdP's callback, from the query string or a form post. */
public record CallbackRequest(Map<String, List<String>> parameters) {

    public CallbackRequest {
        requireNonNull(parameters, "parameters is null");
        parameters = Map.copyOf(parameters);
    }

    /** The single value of a parameter; empty when absent, blank, or repeated (which is refused). */
    public Optional<String> single(String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.size() != 1 || values.get(0).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(values.get(0));
    }
}
