package org.idbroker.testkit;

/** How an IdP under test is set up to make its tokens. */
public enum IdpShape {
    /** Its usual way: an asymmetric signing key (RS256) and the claims in the ID token. */
    STANDARD,
    /** An elliptic-curve signing key: ES256 ID tokens. */
    ES256,
    /** No signing key: ID tokens signed HS256 with the client secret, and a key set without keys. */
    HS256_WITH_CLIENT_SECRET,
    /** The claims are left out of the ID token and given only by the userinfo endpoint. */
    CLAIMS_ONLY_IN_USERINFO,
    /** An encryption key: every ID token is a compact JWE. */
    ENCRYPTED_ID_TOKENS
}
