package org.idbroker.core.signin;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** A login state that cannot be used (missing, not one, spent, expired, another browser's or provider's), or cannot be sealed (too long). */
public final class LoginStateException extends Exception {

    private final SignInRefusal refusal;
    private final String startedHost;

    public LoginStateException(SignInRefusal refusal) {
        this(refusal, null);
    }

    /** A refusal of a sign-in started at {@code startedHost} (host and port, for {@link SignInRefusal#STATE_OTHER_HOST}). */
    public LoginStateException(SignInRefusal refusal, String startedHost) {
        super(refusal.message());
        this.refusal = requireNonNull(refusal, "refusal is null");
        this.startedHost = startedHost;
    }

    public SignInRefusal refusal() {
        return refusal;
    }

    /** Where the refused sign-in was started, when known. */
    public Optional<String> startedHost() {
        return Optional.ofNullable(startedHost);
    }
}
