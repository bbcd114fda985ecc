package org.idbroker.core.signin;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * What is remembered between the start of a sign-in and the IdP's callback.
 *
 * @param providerId the provider instance the sign-in started with
 * @param remembered what the provider asked to keep (nonce, PKCE verifier, ...)
 * @param redirectAfter the validated path to go to after sign-in
 * @param mode a sign-in, or an administrator's claims preview
 * @param expiresAt after this the callback is refused
 * @param startedBy the administrator who started a test sign-in, or {@code null}
 */
public record LoginTransaction(String providerId, Map<String, String> remembered, String redirectAfter, SignInMode mode,
        Instant expiresAt, UUID startedBy) {
    public LoginTransaction {
        requireNonNull(providerId, "providerId is null");
        remembered = Map.copyOf(requireNonNull(remembered, "remembered is null"));
        requireNonNull(redirectAfter, "redirectAfter is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(expiresAt, "expiresAt is null");
    }
}
