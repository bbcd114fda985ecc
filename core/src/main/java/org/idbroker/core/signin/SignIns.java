package org.idbroker.core.signin;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.idbroker.core.auth.Credentials;
import org.idbroker.core.crypto.Tokens;
import org.idbroker.core.events.Events;
import org.idbroker.core.providers.ConfiguredProvider;
import org.idbroker.core.providers.ProviderDirectory;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.core.sessions.SignInProof;
import org.idbroker.core.signin.SignInOutcome.Refused;
import org.idbroker.core.signin.SignInOutcome.SignedIn;
import org.idbroker.core.signin.SignInOutcome.Started;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.CallbackRequest;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.SignInRejectedException;
import org.idbroker.spi.SignInRequest;
import org.idbroker.spi.SignInStart;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The sign-in use case, protocol-neutral: {@link #start} asks the provider where to send the browser and seals the
 * login state into the address's {@code state} ({@link LoginStates}: nothing is stored); {@link #finish} opens that
 * state, lets the provider check the IdP's answer, then spends the state, matches the identity to an account, writes
 * the event and starts the session in one transaction. Whatever the outcome after the state was opened, the state is
 * spent with it, so no state leads anywhere twice. Every sign-in event, success or failure, is written here. The claims preview
 * ({@link SignInMode#CLAIMS_PREVIEW}) walks the same way and ends in {@link ClaimsPreviews} instead. For a type that
 * asks for a password, {@link #start} answers the broker's form and {@link PasswordSignIns} finishes it.
 */
public final class SignIns {

    /** Longest callback parameter name and value accepted. */
    static final int MAX_NAME_LENGTH = 64;
    static final int MAX_VALUE_LENGTH = 16 * 1024;
    static final String INVALID_ID = "(invalid id)";

    private final Jdbi jdbi;
    private final ProviderDirectory providers;
    private final LoginStates states;
    private final IdentityMatcher matcher;
    private final Sessions sessions;
    private final ClaimsPreviews previews;
    private final URI publicUrl;

    /** @param publicUrl the broker's public URL, where every IdP sends the browser back */
    public SignIns(Jdbi jdbi, ProviderDirectory providers, LoginStates states, IdentityMatcher matcher,
            Sessions sessions, ClaimsPreviews previews, URI publicUrl) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.providers = requireNonNull(providers, "providers is null");
        this.states = requireNonNull(states, "states is null");
        this.matcher = requireNonNull(matcher, "matcher is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.previews = requireNonNull(previews, "previews is null");
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
    }

    /**
     * Starts a sign-in through {@code providerId}.
     *
     * @param redirectAfter the validated path to go to after sign-in (ignored for a claims preview)
     * @param browserKey the browser's existing binding value, or {@code null} to draw one
     * @param credentials who is asking (read only for a claims preview, which needs an administrator)
     * @param startedHost the host and port the browser used, or {@code null} when unknown
     * @return {@link Started} or {@link Refused}
     */
    public SignInOutcome start(String providerId, SignInMode mode, String redirectAfter, String browserKey,
            Credentials credentials, String startedHost) {
        return start(providerId, mode, redirectAfter, browserKey, credentials, startedHost, null);
    }

    /**
     * Starts a sign-in; {@code loginHint} (who an application says is signing in, OpenID Connect's
     * {@code login_hint}) goes to the provider when it is usable, else is dropped.
     */
    public SignInOutcome start(String providerId, SignInMode mode, String redirectAfter, String browserKey,
            Credentials credentials, String startedHost, String loginHint) {
        requireNonNull(mode, "mode is null");
        boolean preview = mode == SignInMode.CLAIMS_PREVIEW;
        UUID startedBy = null;
        if (preview) {
            Optional<UUID> admin = previews.administrator(credentials);
            if (admin.isEmpty()) {
                return new Refused(SignInFailure.NOT_ALLOWED, mode, safeId(providerId), "test_sign_in_forbidden",
                        "A test sign-in needs an administrator with the configure-authentication permission: sign in as one"
                                + " first.", null);
            }
            startedBy = admin.get();
        }
        // a claims preview may try a disabled provider before it is enabled
        Optional<ConfiguredProvider> configured = find(providerId).filter(p -> preview || p.enabled());
        if (configured.isEmpty()) {
            return unknownProvider(mode, providerId, false);
        }
        ConfiguredProvider provider = configured.get();
        if (provider.provider() == null) {
            return refuse(SignInFailure.PROVIDER_UNUSABLE, mode, provider.id(), "misconfigured", "Sign-in through "
                    + provider.displayName() + " is not possible because its settings are wrong (" + provider.problem()
                    + "). Ask an administrator to fix the provider settings.", !preview);
        }
        String id = LoginStates.newId();
        String binding = browserKey != null ? browserKey : Tokens.random();
        String after = preview ? "/" : redirectAfter;
        if (provider.asksForPassword()) {
            // the broker's own form: the login state is its CSRF token and carries the after-login path and the mode
            String sealed;
            try {
                sealed = states.seal(id, binding, provider.id(), Map.of(), after, mode, startedBy, startedHost);
            } catch (LoginStateException e) {
                return tooLong(e, mode, provider.id(), after, 0);
            }
            return new SignInOutcome.PasswordForm(provider.id(), provider.displayName(), sealed, binding, mode, null, null);
        }
        SignInStart start;
        try {
            start = provider.provider().startSignIn(new SignInRequest(id, usableHint(loginHint)));
        } catch (SignInRejectedException e) {
            if (ProviderBusy.is(e)) {
                return refuse(SignInFailure.PROVIDER_BUSY, mode, provider.id(), e.reason().code(), e.getMessage(), false);
            }
            return refuse(SignInFailure.IDP_UNAVAILABLE, mode, provider.id(), e.reason().code(), e.getMessage(), !preview);
        }
        String sealed;
        try {
            sealed = states.seal(id, binding, provider.id(), start.remember(), after, mode, startedBy, startedHost);
        } catch (LoginStateException e) {
            return tooLong(e, mode, provider.id(), after, start.remember().size());
        }
        Optional<URI> authorization = LoginStates.carrying(start.authorizationUri(), id, sealed);
        if (authorization.isEmpty()) {
            return refuse(SignInFailure.PROVIDER_UNUSABLE, mode, provider.id(), "misconfigured", "Sign-in through "
                    + provider.displayName() + " is not possible: its provider type (" + provider.type() + ") gave an authorization"
                    + " address without the state parameter the broker asked for, so the broker cannot carry the sign-in to the"
                    + " callback. This is a fault of the provider module: report it to its maintainers.", !preview);
        }
        return new Started(authorization.get(), binding);
    }

    /** The refusal of a start whose login state would be too long, with what made it long for the operator. */
    private Refused tooLong(LoginStateException e, SignInMode mode, String providerId, String redirectAfter, int remembered) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("redirectAfterLength", redirectAfter.length());
        details.put("rememberedValues", remembered);
        return refuse(SignInFailure.INVALID_REQUEST, mode, providerId, e.refusal().code(), e.refusal().message(), details);
    }

    /**
     * Finishes a sign-in at the IdP's callback.
     *
     * @param parameters the callback's parameters (query or form)
     * @param browserKey the browser's binding value, or {@code null} when it has none
     * @param credentials what the browser presents: its old session ends at sign-in; a claims preview
     *     needs the administrator who started it
     * @param callbackHost the host and port the callback reached, or {@code null} when unknown
     * @return {@link SignedIn}, {@link SignInOutcome.Previewed} or {@link Refused}
     */
    public SignInOutcome finish(String providerId, Map<String, List<String>> parameters, String browserKey,
            Credentials credentials, String callbackHost) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : parameters.entrySet()) {
            if (entry.getKey().length() > MAX_NAME_LENGTH
                    || entry.getValue().stream().anyMatch(v -> v != null && v.length() > MAX_VALUE_LENGTH)) {
                return refuse(SignInFailure.INVALID_REQUEST, SignInMode.SIGN_IN, safeId(providerId), "invalid_callback",
                        "The sign-in response is malformed (a parameter is too long). Start the sign-in again from the"
                                + " sign-in page.", true);
            }
            // a form field without '=' has a null value: an empty one, as for any absent value
            copy.put(entry.getKey(), entry.getValue().stream().map(v -> v == null ? "" : v).toList());
        }
        LoginState state;
        try {
            List<String> given = copy.getOrDefault("state", List.of());
            state = states.open(given.size() == 1 ? given.get(0) : null, browserKey, providerId, callbackHost);
        } catch (LoginStateException e) {
            return refuse(e, providerId);
        }
        try {
            return finish(providerId, state, copy, credentials);
        } catch (LoginStateException e) {
            // spent meanwhile: another use of the same state won
            return refuse(e, providerId);
        }
    }

    private SignInOutcome finish(String providerId, LoginState state, Map<String, List<String>> parameters,
            Credentials credentials) throws LoginStateException {
        // the provider checks the state it was given, which the IdP never saw: the sealed value went in its place
        Map<String, List<String>> withProvidersState = new HashMap<>(parameters);
        withProvidersState.put("state", List.of(state.id()));
        CallbackRequest callback = new CallbackRequest(withProvidersState);
        if (state.mode() == SignInMode.CLAIMS_PREVIEW) {
            Optional<ConfiguredProvider> tested = find(providerId);
            if (tested.isEmpty()) {
                return unknownProvider(state, SignInMode.CLAIMS_PREVIEW, providerId, false);
            }
            return previews.finish(tested.get(), p -> p.finishSignIn(callback, state.remembered()), state, credentials);
        }
        Optional<ConfiguredProvider> configured = find(providerId).filter(ConfiguredProvider::enabled);
        Optional<IdentityProvider> provider = configured.flatMap(ConfiguredProvider::usable);
        if (provider.isEmpty()) {
            return unknownProvider(state, SignInMode.SIGN_IN, providerId, true);
        }
        AuthenticatedIdentity identity;
        try {
            identity = provider.get().finishSignIn(callback, state.remembered());
        } catch (SignInRejectedException e) {
            if (ProviderBusy.is(e)) {
                return refuse(state, SignInFailure.PROVIDER_BUSY, SignInMode.SIGN_IN, providerId, e.reason().code(),
                        e.getMessage(), null);
            }
            return refuse(state, failureOf(e), SignInMode.SIGN_IN, providerId, e.reason().code(), e.getMessage(), Map.of());
        }
        return complete(configured.get().policy(), identity, state, credentials.sessionToken());
    }

    /** What kind of refusal a provider's rejection is. */
    static SignInFailure failureOf(SignInRejectedException e) {
        return switch (e.reason()) {
            case IDP_UNAVAILABLE -> SignInFailure.IDP_UNAVAILABLE;
            case IDP_ERROR -> SignInFailure.IDP_REFUSED;
            case NOT_PERMITTED -> SignInFailure.ACCOUNT_REFUSED;
            case MISCONFIGURED -> SignInFailure.PROVIDER_UNUSABLE;
            default -> SignInFailure.IDENTITY_NOT_PROVEN;
        };
    }

    /**
     * The proven identity becomes a signed-in account: the state spent, match, event and session in one transaction.
     *
     * @throws LoginStateException when the state was spent meanwhile (another use of it won): nothing was written
     */
    SignInOutcome complete(ProviderPolicy policy, AuthenticatedIdentity identity, LoginState state, String previousSession)
            throws LoginStateException {
        try {
            return jdbi.inTransaction(h -> signIn(h, policy, identity, state, previousSession));
        } catch (UnableToExecuteStatementException e) {
            // the same person signed in twice at once and the other attempt linked first: look again (the first
            // attempt's spending of the state was rolled back with it)
            return jdbi.inTransaction(h -> signIn(h, policy, identity, state, previousSession));
        }
    }

    /** The state spent first, then match, event and session, in the sign-in's one transaction. */
    private SignInOutcome signIn(Handle h, ProviderPolicy policy, AuthenticatedIdentity identity, LoginState state,
            String previousSession) throws LoginStateException {
        states.spend(h, state);
        SignInDecision decision = matcher.match(h, policy, identity);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("issuer", identity.issuer());
        details.put("subject", identity.subject());
        if (identity.email() != null) {
            details.put("email", identity.email());
        }
        if (!decision.accepted()) {
            // every refusal is decided before anything is written, so there is nothing to undo
            return refuse(h, SignInFailure.ACCOUNT_REFUSED, SignInMode.SIGN_IN, policy.providerId(), decision.refusal().code(),
                    decision.refusal().message(), details, "issuer " + identity.issuer() + ", subject " + identity.subject());
        }
        details.put("matchedBy", decision.rule().code());
        details.put("groups", identity.groups());
        Events.record(h, Events.SIGN_IN, Events.SUCCESS, null, null, decision.user().id(), policy.providerId(), details);
        // a new token at every sign-in: a session cookie planted before sign-in is never promoted
        if (previousSession != null && !previousSession.isEmpty()) {
            sessions.delete(h, previousSession);
        }
        String token = sessions.create(h, decision.user().id(), policy.providerId(), decision.externalIdentityId(),
                identity.idpSessionId(), identity.idToken(), SignInProof.of(identity, policy.trustEmail(), decision.user().email()));
        return new SignedIn(token, sessions.lifetimes().absolute(), state.redirectAfter(), policy.providerId(),
                decision.user().username(),
                decision.rule());
    }

    private static String usableHint(String hint) {
        return hint == null || hint.isEmpty() || hint.length() > SignInRequest.MAX_LOGIN_HINT
                || hint.chars().anyMatch(c -> c < 0x20 || c == 0x7f) ? null : hint;
    }

    /** Whether {@code providerId} names a provider whose type signs in with the broker's password form. */
    public boolean asksForPassword(String providerId) {
        return find(providerId).filter(ConfiguredProvider::asksForPassword).isPresent();
    }

    Optional<ConfiguredProvider> find(String providerId) {
        return providerId == null ? Optional.empty() : providers.find(providerId);
    }

    Refused unknownProvider(SignInMode mode, String providerId, boolean record) {
        return refuse(SignInFailure.UNKNOWN_PROVIDER, mode, safeId(providerId), SignInRefusal.PROVIDER_UNKNOWN.code(),
                SignInRefusal.PROVIDER_UNKNOWN.message(), record);
    }

    /** Like {@link #unknownProvider(SignInMode, String, boolean)}, spending {@code state} with the refusal. */
    Refused unknownProvider(LoginState state, SignInMode mode, String providerId, boolean record) throws LoginStateException {
        return refuse(state, SignInFailure.UNKNOWN_PROVIDER, mode, safeId(providerId), SignInRefusal.PROVIDER_UNKNOWN.code(),
                SignInRefusal.PROVIDER_UNKNOWN.message(), record ? Map.of() : null);
    }

    /**
     * A refusal after {@code state} was opened: the state is spent in the transaction that writes the refusal's event
     * (carrying {@code details}), or alone when {@code details} are {@code null} (no event).
     *
     * @throws LoginStateException when the state was spent meanwhile (another use of it won): nothing was written
     */
    Refused refuse(LoginState state, SignInFailure failure, SignInMode mode, String providerId, String code, String message,
            Map<String, ?> details) throws LoginStateException {
        if (details == null) {
            states.spend(state);
            return new Refused(failure, mode, providerId, code, message, null);
        }
        return jdbi.inTransaction(h -> {
            states.spend(h, state);
            return refuse(h, failure, mode, providerId, code, message, details, null);
        });
    }

    Refused refuse(SignInFailure failure, SignInMode mode, String providerId, String code, String message,
            boolean record) {
        return refuse(failure, mode, providerId, code, message, record ? Map.of() : null);
    }

    /** A refusal, with its event carrying {@code details} unless they are {@code null} (then no event is written). */
    Refused refuse(SignInFailure failure, SignInMode mode, String providerId, String code, String message,
            Map<String, ?> details) {
        if (details == null) {
            return new Refused(failure, mode, providerId, code, message, null);
        }
        return jdbi.withHandle(h -> refuse(h, failure, mode, providerId, code, message, details, null));
    }

    /** The refusal of a login state that is missing, not one, spent, expired, or another browser's or provider's. */
    Refused refuse(LoginStateException e, String providerId) {
        String message = e.refusal() == SignInRefusal.STATE_OTHER_HOST && e.startedHost().isPresent()
                ? SignInRefusal.otherHostMessage(e.startedHost().get(), publicUrl) : e.refusal().message();
        return refuse(SignInFailure.INVALID_REQUEST, SignInMode.SIGN_IN, safeId(providerId), e.refusal().code(), message, true);
    }

    /** The one place a sign-in's failure event is written. */
    private static Refused refuse(Handle h, SignInFailure failure, SignInMode mode, String providerId, String code,
            String message, Map<String, ?> details, String who) {
        Events.record(h, Events.SIGN_IN, Events.FAILURE, code, message, null, providerId, details);
        return new Refused(failure, mode, providerId, code, message, who);
    }

    /** The provider id when it is a well-formed one, else a placeholder fit for logs and events. */
    public static String safeId(String rawProviderId) {
        return rawProviderId != null && ProviderStore.ID.matcher(rawProviderId).matches() ? rawProviderId : INVALID_ID;
    }
}
