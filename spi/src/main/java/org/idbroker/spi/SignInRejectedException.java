package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

/** A refusal with a stable reason code and a message a person can act on. */
public final class SignInRejectedException extends Exception {

    private final RejectionReason reason;

    public SignInRejectedException(RejectionReason reason, String message) {
        super(requireNonNull(message, "message is null"));
        this.reason = requireNonNull(reason, "reason is null");
    }

    public SignInRejectedException(RejectionReason reason, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.reason = requireNonNull(reason, "reason is null");
    }

    public RejectionReason reason() {
        return reason;
    }
}
