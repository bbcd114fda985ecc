package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

/**
 * What the broker asks for when a sign-in starts.
 *
 * @param state the opaque value the broker generated for this login; the provider must send it
 *     as the OAuth {@code state} parameter, and the broker checks it at the callback
 */
public record SignInRequest(String state) {
    public SignInRequest {
        requireNonNull(state, "state is null");
    }
}
