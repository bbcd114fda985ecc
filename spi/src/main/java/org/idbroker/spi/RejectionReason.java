package org.idbroker.spi;

import java.util.Locale;

/**
 * Why a sign-in or a logout token was refused. The code is stable: it is stored in events. The first reasons
 * are protocol-neutral and fit every type; the ones marked OpenID Connect are for OpenID Connect (and OAuth 2.0)
 * modules.
 */
public enum RejectionReason {
    /** The IdP answered the sign-in with an error of its own, such as OAuth's {@code access_denied}. */
    IDP_ERROR,
    /** The IdP's answer (a callback, a form) lacks a value it needs or carries malformed ones. */
    INVALID_CALLBACK,
    /** The IdP could not be reached, timed out, or answered something that is not its protocol. */
    IDP_UNAVAILABLE,
    /** The username or password is wrong, or the account is locked or expired at the upstream. */
    INVALID_CREDENTIALS,
    /**
     * The upstream knows the person but the provider's own rule does not let them in, such as not being in an
     * allowed organisation or group. The message says which rule and what to ask for.
     */
    NOT_PERMITTED,
    /** A value the identity needs (such as its subject) is missing from what the IdP sent. */
    CLAIM_MISSING,
    /** OpenID Connect, OAuth 2.0: the token endpoint refused the authorization code. */
    CODE_REJECTED,
    /** OpenID Connect: the ID token is not a well-formed JWT. */
    TOKEN_MALFORMED,
    /** OpenID Connect: the ID token is encrypted (JWE), which the broker does not decrypt. */
    TOKEN_ENCRYPTED,
    /** OpenID Connect: the ID token's signature or algorithm is not acceptable. */
    TOKEN_SIGNATURE_INVALID,
    /** OpenID Connect: the ID token's issuer is not the configured one. */
    TOKEN_ISSUER_MISMATCH,
    /** OpenID Connect: the ID token is not meant for this client. */
    TOKEN_AUDIENCE_MISMATCH,
    /** OpenID Connect: the ID token has expired, or is not yet valid. */
    TOKEN_EXPIRED,
    /** OpenID Connect: the ID token's nonce is missing or is not the one sent. */
    TOKEN_NONCE_MISMATCH,
    /** OpenID Connect: the userinfo answer is for another subject than the ID token. */
    USERINFO_SUBJECT_MISMATCH,
    /** OpenID Connect: a logout token failed validation. */
    LOGOUT_TOKEN_INVALID,
    /** The provider's settings are not usable. */
    MISCONFIGURED,
    /** The provider does not support the operation. */
    UNSUPPORTED;

    /** The code stored in events and shown in pages, for example {@code token_issuer_mismatch}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
