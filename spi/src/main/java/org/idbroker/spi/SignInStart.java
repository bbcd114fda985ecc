package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Map;

/**
 * The start of a sign-in.
 *
 * @param authorizationUri where to send the browser
 * @param remember values the broker keeps (in its database) until the callback and hands back
 */
public record SignInStart(URI authorizationUri, Map<String, String> remember) {
    public SignInStart {
        requireNonNull(authorizationUri, "authorizationUri is null");
        remember = Map.copyOf(requireNonNull(remember, "remember is null"));
    }
}
