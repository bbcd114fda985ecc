package org.idbroker.core.signin;

import static java.util.Objects.requireNonNull;

/**
 * The broker-owned settings of a provider instance that decide how identities become accounts.
 *
 * @param providerId the instance id
 * @param allowAutoUserCreation create an account when nothing matches
 * @param trustEmail link by email even when the IdP does not say the address is verified
 */
public record ProviderPolicy(String providerId, boolean allowAutoUserCreation, boolean trustEmail) {
    public ProviderPolicy {
        requireNonNull(providerId, "providerId is null");
    }
}
