package org.idbroker.core.apikeys;

import static java.util.Objects.requireNonNull;

/** A key just created: the only moment its secret value exists outside its owner's hands. */
public record CreatedApiKey(ApiKey key, String secret) {
    public CreatedApiKey {
        requireNonNull(key, "key is null");
        requireNonNull(secret, "secret is null");
    }

    @Override
    public String toString() {
        return "CreatedApiKey[key=" + key + ", secret=(hidden)]";
    }
}
