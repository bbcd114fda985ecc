package org.idbroker.core.signin;

import static java.util.Objects.requireNonNull;

/** The callback's state does not lead to a usable login transaction. */
public final class LoginStateException extends Exception {

    private final SignInRefusal refusal;

    public LoginStateException(SignInRefusal refusal) {
        super(refusal.message());
        this.refusal = requireNonNull(refusal, "refusal is null");
    }

    public SignInRefusal refusal() {
        return refusal;
    }
}
