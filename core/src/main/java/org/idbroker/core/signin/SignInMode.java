package org.idbroker.core.signin;

import java.util.Optional;

/** What a sign-in is for. */
public enum SignInMode {
    /** A person signs in and leaves with a session. */
    SIGN_IN("sign-in"),
    /**
     * An administrator tries a provider: the real flow through the IdP, but nothing is stored about the
     * person, no session is made and no user changes; the result shows the claims and what the broker
     * would do.
     */
    CLAIMS_PREVIEW("test");

    private final String code;

    SignInMode(String code) {
        this.code = code;
    }

    /** The name in the {@code mode} parameter and in a claims preview's result. */
    public String code() {
        return code;
    }

    /** The mode with this code; a missing code means {@link #SIGN_IN}; empty for an unknown one. */
    public static Optional<SignInMode> fromCode(String code) {
        if (code == null) {
            return Optional.of(SIGN_IN);
        }
        for (SignInMode mode : values()) {
            if (mode.code.equals(code)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
