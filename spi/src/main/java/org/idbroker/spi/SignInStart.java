package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Map;

/**
 * The start of a sign-in.
 *
 * @param authorizationUri where to send the browser
 * @param remember values the broker keeps until the callback and hands back: sealed with its master key into the
 *     {@code state} the IdP carries (not stored), so keep them short (a nonce, a PKCE verifier): a state of more than
 *     4,096 characters is refused
 */
public record SignInStart(URI authorizationUri, Map<String, String> remember) {
    public SignInStart {
        requireNonNull(authorizationUri, "authorizationUri is null");
        remember = Map.copyOf(requireNonNull(remember, "remember is null"));
    }
}
