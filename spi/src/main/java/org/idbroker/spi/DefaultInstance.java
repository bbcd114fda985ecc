package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

/**
 * The instance a broker gets of a provider type once, disabled, when the type is first installed (the generic
 * OpenID Connect type's is {@code GenericOidc}, the id the Authentik guide registers its redirect URI with).
 *
 * @param id the instance id, used in its URLs
 * @param displayName the sign-in button's text until an administrator changes it
 */
public record DefaultInstance(String id, String displayName) {

    public DefaultInstance {
        requireNonNull(id, "id is null");
        requireNonNull(displayName, "displayName is null");
    }
}
