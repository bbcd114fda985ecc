package org.idbroker.core.signin;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.idbroker.core.auth.Callers;
import org.idbroker.core.auth.Credentials;
import org.idbroker.core.events.Events;
import org.idbroker.core.providers.ConfiguredProvider;
import org.idbroker.core.signin.SignInOutcome.Previewed;
import org.idbroker.core.signin.SignInOutcome.Refused;
import org.idbroker.core.teams.Memberships;
import org.idbroker.core.teams.Permission;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.SignInRejectedException;

/**
 * The end of a claims preview ({@link SignInMode#CLAIMS_PREVIEW}): the real flow through the IdP, but at
 * the callback nothing is stored about the person, no session is made and no user changes. The result
 * shows the claims received and what the broker would do. It belongs to the administrator who started
 * it: only their session sees the result. Its login state is spent with its outcome: in the transaction of its
 * event, or alone when there is none.
 */
public final class ClaimsPreviews {

    public static final Permission PERMISSION = Permission.CONFIGURE_AUTHENTICATION;
    public static final String EVENT = "test-sign-in";
    private static final Set<String> TOKEN_NAMES = Set.of("access_token", "id_token", "refresh_token", "logout_token");

    private final Callers callers;
    private final IdentityMatcher matcher;
    private final Memberships memberships;
    private final LoginStates states;

    public ClaimsPreviews(Callers callers, IdentityMatcher matcher, Memberships memberships, LoginStates states) {
        this.callers = requireNonNull(callers, "callers is null");
        this.matcher = requireNonNull(matcher, "matcher is null");
        this.memberships = requireNonNull(memberships, "memberships is null");
        this.states = requireNonNull(states, "states is null");
    }

    /** The administrator allowed to run a claims preview, or empty when the caller is not one. */
    Optional<UUID> administrator(Credentials credentials) {
        return callers.find(credentials, false).filter(c -> c.membership().has(PERMISSION.code())).map(c -> c.user().id());
    }

    /** How the provider proves the identity: checks the IdP's callback, or a password. */
    @FunctionalInterface
    interface IdentityCheck {
        AuthenticatedIdentity prove(IdentityProvider provider) throws SignInRejectedException;
    }

    /**
     * The preview, or why the caller may not see it; {@code state} is spent either way.
     *
     * @throws LoginStateException when the state was spent meanwhile (another use of it won): nothing was written
     */
    SignInOutcome finish(ConfiguredProvider provider, IdentityCheck check, LoginState state, Credentials credentials)
            throws LoginStateException {
        Optional<UUID> admin = administrator(credentials);
        if (admin.isEmpty() || !admin.get().equals(state.startedBy())) {
            states.spend(state);
            return new Refused(SignInFailure.NOT_ALLOWED, SignInMode.CLAIMS_PREVIEW, provider.id(), "test_sign_in_not_yours",
                    "This test sign-in was started by another administrator, or you signed out or lost the"
                            + " configure-authentication permission since: start the test again from the provider's"
                            + " settings while signed in.", null);
        }
        UUID adminId = admin.get();
        if (provider.provider() == null) {
            return refused(state, provider, adminId, "misconfigured", "The provider's settings are not usable: " + provider.problem());
        }
        AuthenticatedIdentity identity;
        try {
            identity = check.prove(provider.provider());
        } catch (SignInRejectedException e) {
            return refused(state, provider, adminId, e.reason().code(), e.getMessage());
        }
        SignInDecision decision = matcher.preview(provider.policy(), identity);
        ClaimsPreview.UserView user = null;
        List<ClaimsPreview.TeamView> teams = List.of();
        Set<String> permissions = Set.of();
        ClaimsPreview.Refusal refusal = null;
        if (decision.accepted()) {
            boolean created = decision.rule() == MatchRule.CREATED;
            user = new ClaimsPreview.UserView(created ? null : decision.user().id(), decision.user().username(),
                    decision.user().displayName(), decision.user().email(), !created);
            Memberships.Preview preview = memberships.preview(created ? null : decision.user().id(), identity.groups());
            teams = preview.grants().stream().map(g -> new ClaimsPreview.TeamView(g.team().name(), g.via(), g.group())).toList();
            permissions = preview.permissions();
        } else {
            refusal = new ClaimsPreview.Refusal("broker", decision.refusal().code(), decision.refusal().message());
        }
        record(state, provider.id(), adminId, decision.accepted() ? Events.SUCCESS : Events.FAILURE,
                decision.accepted() ? null : decision.refusal().code(), decision.accepted() ? decision.rule().code() : null);
        return new Previewed(new ClaimsPreview(SignInMode.CLAIMS_PREVIEW.code(), provider.id(),
                decision.accepted() ? "would-sign-in" : "would-refuse", refusal,
                new ClaimsPreview.IdentityView(identity.issuer(), identity.subject(), identity.username(),
                        identity.displayName(), identity.email(), identity.emailVerified(), identity.groups()),
                claims(identity.claims()), user, decision.accepted() ? decision.rule().code() : null, teams, permissions));
    }

    private Previewed refused(LoginState state, ConfiguredProvider provider, UUID adminId, String code, String message)
            throws LoginStateException {
        record(state, provider.id(), adminId, Events.FAILURE, code, null);
        return new Previewed(new ClaimsPreview(SignInMode.CLAIMS_PREVIEW.code(), provider.id(), "would-refuse",
                new ClaimsPreview.Refusal("provider", code, message), null, Map.of(), null, null, List.of(), Set.of()));
    }

    /** The preview's event, in the transaction that spends its state. */
    private void record(LoginState state, String providerId, UUID adminId, String outcome, String reason, String matchedBy)
            throws LoginStateException {
        Map<String, Object> details = new LinkedHashMap<>();
        if (matchedBy != null) {
            details.put("wouldMatchBy", matchedBy);
        }
        states.spend(state, h -> Events.record(h, EVENT, outcome, reason, null, adminId, providerId, details));
    }

    /** The claims, sorted, without anything named like a token. */
    private static Map<String, Object> claims(Map<String, Object> claims) {
        Map<String, Object> shown = new TreeMap<>(claims);
        shown.keySet().removeIf(TOKEN_NAMES::contains);
        return shown;
    }
}
