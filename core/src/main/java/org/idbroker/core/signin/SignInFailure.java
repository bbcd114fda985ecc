package org.idbroker.core.signin;

/** What kind of refusal a sign-in met, for the host to answer in its own protocol. */
public enum SignInFailure {
    /** The request itself is wrong: a malformed callback, or a login state that is missing, used, expired or foreign. */
    INVALID_REQUEST,
    /** The caller may not do this (a claims preview without the permission, or someone else's). */
    NOT_ALLOWED,
    /** No provider instance with this id (or none enabled, for a sign-in). */
    UNKNOWN_PROVIDER,
    /** The provider instance exists but its settings are not usable. */
    PROVIDER_UNUSABLE,
    /** Too many requests wait on this provider's IdP already; nothing reached it: try again soon ({@link ProviderBusy}). */
    PROVIDER_BUSY,
    /** The IdP could not be reached or did not answer usably. */
    IDP_UNAVAILABLE,
    /** The IdP said no (an error in its callback). */
    IDP_REFUSED,
    /** The IdP's answer did not prove an identity (bad token, wrong nonce, ...). */
    IDENTITY_NOT_PROVEN,
    /** Too many wrong passwords for this username or from this address: try again after the time the refusal gives. */
    TOO_MANY_ATTEMPTS,
    /** The identity is proven, but the broker's rules do not let it in (no account, disabled, ...). */
    ACCOUNT_REFUSED
}
