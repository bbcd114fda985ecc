package org.idbroker.core.signin;

import static java.util.Objects.requireNonNull;

import java.net.URI;
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
 * The sign-in use case, protocol-neutral: {@link #start} stores the login state and asks the provider
 * where to send the browser; {@link #finish} takes that state once, lets the provider check the IdP's
 * answer, matches the identity to an account, writes the event and starts the session in one
 * transaction. Every sign-in event, success or failure, is written here. The claims preview
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
    private final LoginTransactions transactions;
    private final IdentityMatcher matcher;
    private final Sessions sessions;
    private final ClaimsPreviews previews;
    private final URI publicUrl;

    /** @param publicUrl the broker's public URL, where every IdP sends the browser back */
    public SignIns(Jdbi jdbi, ProviderDirectory providers, LoginTransactions transactions, IdentityMatcher matcher,
            Sessions sessions, ClaimsPreviews previews, URI publicUrl) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.providers = requireNonNull(providers, "providers is null");
        this.transactions = requireNonNull(transactions, "transactions is null");
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
        String state = Tokens.random();
        String binding = browserKey != null ? browserKey : Tokens.random();
        if (provider.asksForPassword()) {
            // the broker's own form: the login state is its CSRF token and carries the after-login path and the mode
            transactions.save(state, binding, provider.id(), Map.of(), preview ? "/" : redirectAfter, mode, startedBy, startedHost);
            return new SignInOutcome.PasswordForm(provider.id(), provider.displayName(), state, binding, mode, null, null);
        }
        SignInStart start;
        try {
            start = provider.provider().startSignIn(new SignInRequest(state, usableHint(loginHint)));
        } catch (SignInRejectedException e) {
            if (ProviderBusy.is(e)) {
                return refuse(SignInFailure.PROVIDER_BUSY, mode, provider.id(), e.reason().code(), e.getMessage(), false);
            }
            return refuse(SignInFailure.IDP_UNAVAILABLE, mode, provider.id(), e.reason().code(), e.getMessage(), !preview);
        }
        transactions.save(state, binding, provider.id(), start.remember(), preview ? "/" : redirectAfter, mode, startedBy,
                startedHost);
        return new Started(start.authorizationUri(), binding);
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
        LoginTransaction transaction;
        try {
            List<String> states = copy.getOrDefault("state", List.of());
            transaction = transactions.consume(states.size() == 1 ? states.get(0) : null, browserKey, providerId, callbackHost);
        } catch (LoginStateException e) {
            return refuse(e, providerId);
        }
        CallbackRequest callback = new CallbackRequest(copy);
        if (transaction.mode() == SignInMode.CLAIMS_PREVIEW) {
            Optional<ConfiguredProvider> tested = find(providerId);
            if (tested.isEmpty()) {
                return unknownProvider(SignInMode.CLAIMS_PREVIEW, providerId, false);
            }
            return previews.finish(tested.get(), p -> p.finishSignIn(callback, transaction.remembered()), transaction, credentials);
        }
        Optional<ConfiguredProvider> configured = find(providerId).filter(ConfiguredProvider::enabled);
        Optional<IdentityProvider> provider = configured.flatMap(ConfiguredProvider::usable);
        if (provider.isEmpty()) {
            return unknownProvider(SignInMode.SIGN_IN, providerId, true);
        }
        AuthenticatedIdentity identity;
        try {
            identity = provider.get().finishSignIn(callback, transaction.remembered());
        } catch (SignInRejectedException e) {
            if (ProviderBusy.is(e)) {
                return refuse(SignInFailure.PROVIDER_BUSY, SignInMode.SIGN_IN, providerId, e.reason().code(), e.getMessage(), false);
            }
            return refuse(failureOf(e), SignInMode.SIGN_IN, providerId, e.reason().code(), e.getMessage(), true);
        }
        return complete(configured.get().policy(), identity, transaction, credentials.sessionToken());
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

    /** The proven identity becomes a signed-in account: match, event and session in one transaction. */
    SignInOutcome complete(ProviderPolicy policy, AuthenticatedIdentity identity, LoginTransaction transaction,
            String previousSession) {
        try {
            return jdbi.inTransaction(h -> signIn(h, policy, identity, transaction, previousSession));
        } catch (UnableToExecuteStatementException e) {
            // the same person signed in twice at once and the other attempt linked first: look again
            return jdbi.inTransaction(h -> signIn(h, policy, identity, transaction, previousSession));
        }
    }

    /** Match, event and session in the sign-in's one transaction. */
    private SignInOutcome signIn(Handle h, ProviderPolicy policy, AuthenticatedIdentity identity, LoginTransaction transaction,
            String previousSession) {
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
        return new SignedIn(token, sessions.lifetimes().absolute(), transaction.redirectAfter(), policy.providerId(),
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

    /** The refusal of a login state that does not lead to a usable transaction. */
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
