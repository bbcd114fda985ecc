package org.idbroker.testkit;

import java.util.Optional;

/**
 * What a provider module, set up with its IdP's conventions, may or may not support. The kit checks
 * every feature: a supported one must work, an unsupported one must fail with a clear reason.
 */
public enum ProviderFeature {
    /** The IdP vouches for email addresses ({@code email_verified: true}), so a first sign-in links by email. */
    VERIFIED_EMAIL(null),
    /** ES256-signed ID tokens. */
    ES256(IdpShape.ES256),
    /** HS256 ID tokens signed with the client secret while the key set is empty. */
    HS256_WITH_CLIENT_SECRET(IdpShape.HS256_WITH_CLIENT_SECRET),
    /** Claims given only by the userinfo endpoint. */
    CLAIMS_ONLY_IN_USERINFO(IdpShape.CLAIMS_ONLY_IN_USERINFO),
    /** Encrypted (JWE) ID tokens. */
    ENCRYPTED_ID_TOKENS(IdpShape.ENCRYPTED_ID_TOKENS);

    private final IdpShape shape;

    ProviderFeature(IdpShape shape) {
        this.shape = shape;
    }

    /** The IdP set-up that exercises this feature, when it is one. */
    public Optional<IdpShape> shape() {
        return Optional.ofNullable(shape);
    }
}
