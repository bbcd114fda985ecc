package org.idbroker.core.signin;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.idbroker.core.auth.Credentials;
import org.idbroker.core.crypto.Tokens;
import org.idbroker.core.events.RequestScope;
import org.idbroker.core.providers.ConfiguredProvider;
import org.idbroker.core.signin.SignInOutcome.PasswordForm;
import org.idbroker.core.signin.SignInOutcome.Refused;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.PasswordCredentials;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;

/**
 * The end of a sign-in through the broker's password form, for a type that asks for a password: the form's
 * login state is opened (so the post is the browser's own, started by {@link SignIns#start}) and leads anywhere once,
 * the attempt is throttled ({@link PasswordThrottle}), the provider checks the credentials, and the rest is the
 * redirect sign-in's: {@link SignIns#complete} (the state spent, match, event, session) or the claims preview. A wrong
 * password, a field left empty or a throttled attempt spends the state with its refusal and gives the form again
 * under a new login state, with what to fix. The password goes to the provider and nowhere else: no event, log line or
 * message holds it.
 */
public final class PasswordSignIns {

    /** Longest username and password accepted (a longer one is refused before the provider is asked). */
    static final int MAX_USERNAME_LENGTH = 256;
    static final int MAX_PASSWORD_LENGTH = 1024;

    private final SignIns signIns;
    private final LoginStates states;
    private final ClaimsPreviews previews;
    private final PasswordThrottle throttle;

    public PasswordSignIns(SignIns signIns, LoginStates states, ClaimsPreviews previews, PasswordThrottle throttle) {
        this.signIns = requireNonNull(signIns, "signIns is null");
        this.states = requireNonNull(states, "states is null");
        this.previews = requireNonNull(previews, "previews is null");
        this.throttle = requireNonNull(throttle, "throttle is null");
    }

    /**
     * Finishes a sign-in from the password form.
     *
     * @param state the form's login state
     * @param browserKey the browser's binding value, or {@code null} when it has none
     * @param credentials what the browser presents (its old session ends at sign-in; a preview needs its administrator)
     * @param host the host and port the form was posted to, or {@code null} when unknown
     * @return {@link SignInOutcome.SignedIn}, {@link SignInOutcome.Previewed}, {@link PasswordForm} (try again) or {@link Refused}
     */
    public SignInOutcome finish(String providerId, String state, String username, String password, String browserKey,
            Credentials credentials, String host) {
        LoginState opened;
        try {
            opened = states.open(state, browserKey, providerId, host);
        } catch (LoginStateException e) {
            return signIns.refuse(e, providerId);
        }
        try {
            return finish(providerId, opened, username, password, browserKey, credentials, host);
        } catch (LoginStateException e) {
            // spent meanwhile: another post of the same form won
            return signIns.refuse(e, providerId);
        }
    }

    private SignInOutcome finish(String providerId, LoginState state, String username, String password, String browserKey,
            Credentials credentials, String host) throws LoginStateException {
        boolean preview = state.mode() == SignInMode.CLAIMS_PREVIEW;
        Optional<ConfiguredProvider> found = signIns.find(providerId).filter(p -> preview || p.enabled())
                .filter(ConfiguredProvider::asksForPassword);
        if (found.isEmpty() || found.get().provider() == null) {
            return signIns.unknownProvider(state, state.mode(), providerId, true);
        }
        ConfiguredProvider provider = found.get();
        String name = username == null ? "" : username.trim();
        if (name.isEmpty() || password == null || password.isEmpty()) {
            return again(provider, state, browserKey, host, signIns.refuse(state, SignInFailure.INVALID_REQUEST, state.mode(),
                    providerId, "credentials_missing", "Enter your username and your password.", null), null);
        }
        if (name.length() > MAX_USERNAME_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
            return again(provider, state, browserKey, host, signIns.refuse(state, SignInFailure.INVALID_REQUEST, state.mode(),
                    providerId, "credentials_too_long", "The username or the password is too long: check what you typed.", null),
                    null);
        }
        String address = RequestScope.current().map(s -> s.origin().clientAddress()).orElse(null);
        Optional<Duration> blocked = throttle.blocked(providerId, name, address);
        if (blocked.isPresent()) {
            long seconds = Math.max(1, blocked.get().toSeconds() + (blocked.get().toMillisPart() > 0 ? 1 : 0));
            Refused refused = signIns.refuse(state, SignInFailure.TOO_MANY_ATTEMPTS, state.mode(), providerId, "too_many_attempts",
                    "Too many wrong passwords for this username. Try again in " + describe(seconds) + ".", Map.of("username", name));
            return again(provider, state, browserKey, host, refused, Duration.ofSeconds(seconds));
        }
        ClaimsPreviews.IdentityCheck check = p -> checked(p, providerId, name, password, address);
        if (preview) {
            return previews.finish(provider, check, state, credentials);
        }
        AuthenticatedIdentity identity;
        try {
            identity = check.prove(provider.provider());
        } catch (SignInRejectedException e) {
            if (ProviderBusy.is(e)) {
                return signIns.refuse(state, SignInFailure.PROVIDER_BUSY, SignInMode.SIGN_IN, providerId, e.reason().code(),
                        e.getMessage(), null);
            }
            Refused refused = signIns.refuse(state, SignIns.failureOf(e), SignInMode.SIGN_IN, providerId, e.reason().code(),
                    e.getMessage(), Map.of("username", name));
            return e.reason() == RejectionReason.INVALID_CREDENTIALS
                    ? again(provider, state, browserKey, host, refused, null) : refused;
        }
        return signIns.complete(provider.policy(), identity, state, credentials.sessionToken());
    }

    /** The provider's check, counted by the throttle: a wrong password counts, a right one clears its address's count. */
    private AuthenticatedIdentity checked(IdentityProvider provider, String providerId, String username, String password,
            String address) throws SignInRejectedException {
        try {
            AuthenticatedIdentity identity = provider.signInWithPassword(new PasswordCredentials(username, password));
            throttle.succeeded(providerId, username, address);
            return identity;
        } catch (SignInRejectedException e) {
            if (e.reason() == RejectionReason.INVALID_CREDENTIALS) {
                throttle.failed(providerId, username, address);
            }
            throw e;
        }
    }

    /** The form again, under a new login state with the same after-login path and mode ({@code used} was spent). */
    private PasswordForm again(ConfiguredProvider provider, LoginState used, String browserKey, String host,
            Refused problem, Duration retryAfter) throws LoginStateException {
        String binding = browserKey != null ? browserKey : Tokens.random();
        String state = states.seal(LoginStates.newId(), binding, provider.id(), Map.of(), used.redirectAfter(), used.mode(),
                used.startedBy(), host);
        return new PasswordForm(provider.id(), provider.displayName(), state, binding, used.mode(), problem, retryAfter);
    }

    private static String describe(long seconds) {
        if (seconds < 120) {
            return seconds + " seconds";
        }
        return (seconds + 59) / 60 + " minutes";
    }
}
