package org.idbroker.spi;

/** How a person signs in through a provider type; the type chooses it, never the request. */
public enum SignInStyle {
    /**
     * The browser is sent to the IdP and comes back to the broker's callback:
     * {@link IdentityProvider#startSignIn} then {@link IdentityProvider#finishSignIn} (OpenID Connect, OAuth 2.0, ...).
     */
    REDIRECT,
    /**
     * The broker shows its own form and hands the username and password to
     * {@link IdentityProvider#signInWithPassword}, which checks them at the upstream (a directory, ...).
     */
    PASSWORD
}
