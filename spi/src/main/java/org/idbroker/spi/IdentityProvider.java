package org.idbroker.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One configured identity provider instance. Implementations are thread-safe and hold no
 * per-login state. A type signs people in one of two ways ({@link IdentityProviderFactory#signInStyle()}):
 * with a redirect, where everything the callback needs is returned by {@link #startSignIn} and handed
 * back, sealed by the broker into the sign-in's state, to {@link #finishSignIn}; or with a password the broker's own form asks
 * for, checked by {@link #signInWithPassword} (extend {@link PasswordIdentityProvider}).
 */
public interface IdentityProvider extends AutoCloseable {

    /**
     * Starts a sign-in: the address to send the browser to, and the values to remember
     * until the callback (such as the nonce and the PKCE verifier).
     */
    SignInStart startSignIn(SignInRequest request) throws SignInRejectedException;

    /**
     * Finishes a sign-in from the IdP's callback parameters (query or form post) and the values
     * remembered at the start. Either returns the authenticated identity or throws a rejection
     * with a reason code and a message a person can act on.
     */
    AuthenticatedIdentity finishSignIn(CallbackRequest callback, Map<String, String> remembered)
            throws SignInRejectedException;

    /**
     * Checks a username and password at the upstream and returns the person, for a type whose style is
     * {@link SignInStyle#PASSWORD}. A wrong username or password is {@link RejectionReason#INVALID_CREDENTIALS}
     * (the broker counts it towards its throttling); an upstream that cannot be reached or is misconfigured is
     * {@link RejectionReason#IDP_UNAVAILABLE} or {@link RejectionReason#MISCONFIGURED}. The password must never
     * reach a log, an exception message or anything kept. The default refuses: redirect types do not override it.
     */
    default AuthenticatedIdentity signInWithPassword(PasswordCredentials credentials) throws SignInRejectedException {
        throw new SignInRejectedException(RejectionReason.UNSUPPORTED, "this provider does not sign in with a password");
    }

    /**
     * The address that ends the person's session at the IdP, when the IdP publishes one
     * (OpenID Connect RP-Initiated Logout). Empty when the IdP has none.
     */
    default Optional<java.net.URI> endSessionUri(EndSessionRequest request) {
        return Optional.empty();
    }

    /**
     * Validates a back-channel logout token sent by the IdP. The default refuses every token:
     * a provider that supports back-channel logout overrides it.
     */
    default LogoutNotice validateLogoutToken(String logoutToken) throws SignInRejectedException {
        throw new SignInRejectedException(RejectionReason.UNSUPPORTED, "this provider does not support back-channel logout");
    }

    /** Checks the provider's configuration and the IdP's metadata the way an expert would. */
    default List<Finding> diagnose() {
        return List.of();
    }

    /**
     * The public documents the IdP publishes about itself (such as its OpenID configuration), by address,
     * read now, for support bundles. Never holds a secret. Empty when none could be read.
     */
    default Map<String, String> metadataDocuments() {
        return Map.of();
    }

    /** Releases resources (HTTP clients, caches). */
    @Override
    default void close() {
    }
}
