package org.idbroker.core.signin;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * What a sign-in carries from its start to the IdP's callback (or the password form's post), sealed in its state
 * ({@link LoginStates}).
 *
 * @param id the one-use id (256 random bits, base64url): the state the provider was given, and what is spent
 * @param providerId the provider instance the sign-in started with
 * @param remembered what the provider asked to keep (nonce, PKCE verifier, ...)
 * @param redirectAfter the validated path to go to after sign-in
 * @param mode a sign-in, or an administrator's claims preview
 * @param expiresAt after this the state is refused
 * @param startedBy the administrator who started a test sign-in, or {@code null}
 */
public record LoginState(String id, String providerId, Map<String, String> remembered, String redirectAfter, SignInMode mode,
        Instant expiresAt, UUID startedBy) {
    public LoginState {
        requireNonNull(id, "id is null");
        requireNonNull(providerId, "providerId is null");
        remembered = Map.copyOf(requireNonNull(remembered, "remembered is null"));
        requireNonNull(redirectAfter, "redirectAfter is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(expiresAt, "expiresAt is null");
    }
}
