package org.idbroker.core.signin;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;

/** What a step of a sign-in came to; the host turns it into its protocol's answer. */
public sealed interface SignInOutcome {

    /**
     * The sign-in started: send the browser to the IdP.
     *
     * @param browserKey the value binding the login state to this browser, to be kept by the browser
     */
    record Started(URI authorizationUri, String browserKey) implements SignInOutcome {
        public Started {
            requireNonNull(authorizationUri, "authorizationUri is null");
            requireNonNull(browserKey, "browserKey is null");
        }
    }

    /**
     * The sign-in started for a provider whose type asks for a password: show the broker's form, posting
     * {@code state} back with the username and password.
     *
     * @param displayName the provider's name, for the form's title
     * @param state the login state the form posts back (single use; bound to the browser)
     * @param browserKey the value binding the login state to this browser, to be kept by the browser
     * @param problem why the previous attempt was refused (shown above the form), or {@code null}
     * @param retryAfter how long until another attempt is accepted, for a throttled one, or {@code null}
     */
    record PasswordForm(String providerId, String displayName, String state, String browserKey, SignInMode mode,
            Refused problem, Duration retryAfter) implements SignInOutcome {
        public PasswordForm {
            requireNonNull(providerId, "providerId is null");
            requireNonNull(displayName, "displayName is null");
            requireNonNull(state, "state is null");
            requireNonNull(browserKey, "browserKey is null");
            requireNonNull(mode, "mode is null");
        }
    }

    /**
     * The person is signed in.
     *
     * @param sessionToken the new session's token, for the browser only (only its hash is stored)
     * @param sessionLifetime how long the session may live at most
     * @param redirectAfter the validated path to go to now
     * @param providerId the provider instance signed in through
     * @param username who signed in
     * @param rule the rule that found (or created) the account
     */
    record SignedIn(String sessionToken, Duration sessionLifetime, String redirectAfter, String providerId, String username,
            MatchRule rule)
            implements SignInOutcome {
        public SignedIn {
            requireNonNull(sessionToken, "sessionToken is null");
            requireNonNull(sessionLifetime, "sessionLifetime is null");
            requireNonNull(redirectAfter, "redirectAfter is null");
        }
    }

    /** A claims preview finished: what the provider said and what the broker would do. */
    record Previewed(ClaimsPreview preview) implements SignInOutcome {
        public Previewed {
            requireNonNull(preview, "preview is null");
        }
    }

    /**
     * The sign-in was refused; the event is written.
     *
     * @param mode what the sign-in was for, as far as known
     * @param providerId the provider instance, or {@code (invalid id)}
     * @param code the reason code shown to the person and stored in the event
     * @param message what went wrong and what to do
     * @param who for a refusal after the IdP vouched for someone: {@code issuer ..., subject ...}, else {@code null}
     */
    record Refused(SignInFailure failure, SignInMode mode, String providerId, String code, String message, String who)
            implements SignInOutcome {
        public Refused {
            requireNonNull(failure, "failure is null");
            requireNonNull(mode, "mode is null");
            requireNonNull(providerId, "providerId is null");
            requireNonNull(code, "code is null");
            requireNonNull(message, "message is null");
        }
    }
}
