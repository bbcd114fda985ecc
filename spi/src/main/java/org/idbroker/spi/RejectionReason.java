package org.idbroker.spi;

import java.util.Locale;

/** Why a sign-in or a logout token was refused. The code is stable: it is stored in events. */
public enum RejectionReason {
    /** The IdP answered the authorization request with an error, such as {@code access_denied}. */
    IDP_ERROR,
    /** The callback lacks the authorization code or carries malformed parameters. */
    INVALID_CALLBACK,
    /** The IdP could not be reached, timed out, or answered something that is not OpenID Connect. */
    IDP_UNAVAILABLE,
    /** The token endpoint refused the authorization code. */
    CODE_REJECTED,
    /** The ID token is not a well-formed JWT. */
    TOKEN_MALFORMED,
    /** The ID token is encrypted (JWE), which the broker does not decrypt. */
    TOKEN_ENCRYPTED,
    /** The ID token's signature or algorithm is not acceptable. */
    TOKEN_SIGNATURE_INVALID,
    /** The ID token's issuer is not the configured one. */
    TOKEN_ISSUER_MISMATCH,
    /** The ID token is not meant for this client. */
    TOKEN_AUDIENCE_MISMATCH,
    /** The ID token has expired, or is not yet valid. */
    TOKEN_EXPIRED,
    /** The ID token's nonce is missing or is not the one sent. */
    TOKEN_NONCE_MISMATCH,
    /** A required claim (such as {@code sub}) is missing. */
    CLAIM_MISSING,
    /** The userinfo answer is for another subject than the ID token. */
    USERINFO_SUBJECT_MISMATCH,
    /** A logout token failed validation. */
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
