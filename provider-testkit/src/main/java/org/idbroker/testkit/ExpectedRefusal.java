package org.idbroker.testkit;

import static java.util.Objects.requireNonNull;

/**
 * How the broker refuses a sign-in: what the person's browser gets.
 *
 * @param status the HTTP status of the refusal page
 * @param code the reason code shown on the page and stored in the event
 * @param message a part of the message the page must show, which tells what to change
 */
public record ExpectedRefusal(int status, String code, String message) {
    public ExpectedRefusal {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
    }
}
