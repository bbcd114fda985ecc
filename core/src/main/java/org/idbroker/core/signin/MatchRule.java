package org.idbroker.core.signin;

import java.util.Locale;

/** Which rule matched an identity to an account. */
public enum MatchRule {
    /** A user already linked to this issuer and subject. */
    EXTERNAL_IDENTIFIER,
    /** A user with the same email address, now linked. */
    EMAIL,
    /** A new user created from the claims. */
    CREATED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
