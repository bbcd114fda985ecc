package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.idbroker.core.events.Events;
import org.idbroker.core.signin.IdentityMatcher;
import org.idbroker.core.signin.LoginTransaction;
import org.idbroker.core.signin.MatchRule;
import org.idbroker.core.signin.SignInDecision;
import org.idbroker.core.teams.Memberships;
import org.idbroker.server.auth.Authenticator;
import org.idbroker.server.auth.Principal;
import org.idbroker.server.providers.ConfiguredProvider;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.CallbackRequest;
import org.idbroker.spi.SignInRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An administrator's test sign-in (the claims preview): the real flow through the IdP, but at the
 * callback nothing is stored about the person, no session is made and no user changes. The result
 * shows the claims received and what the broker would do. It belongs to the administrator who started
 * it: only their session sees the result.
 */
@Singleton
public final class TestSignIn {

    public static final String MODE = "test";
    public static final String PERMISSION = "configure-authentication";
    public static final String EVENT = "test-sign-in";
    private static final Logger LOG = LoggerFactory.getLogger(TestSignIn.class);
    private static final Set<String> TOKEN_NAMES = Set.of("access_token", "id_token", "refresh_token", "logout_token");

    private final Authenticator authenticator;
    private final IdentityMatcher matcher;
    private final Memberships memberships;
    private final Events events;
    private final ClaimsPreviewPage page;

    @Inject
    public TestSignIn(Authenticator authenticator, IdentityMatcher matcher, Memberships memberships, Events events,
            ClaimsPreviewPage page) {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.matcher = requireNonNull(matcher, "matcher is null");
        this.memberships = requireNonNull(memberships, "memberships is null");
        this.events = requireNonNull(events, "events is null");
        this.page = requireNonNull(page, "page is null");
    }

    /** The administrator allowed to start a test sign-in, or empty when the caller is not one. */
    public Optional<Principal> administrator(HttpHeaders headers) {
        return authenticator.authenticate(headers).filter(p -> p.membership().has(PERMISSION));
    }

    /** The refusal for a caller who may not start (or see) a test sign-in. */
    public static Response forbidden(String providerId, String code, String message, HttpHeaders headers) {
        LOG.warn("Test sign-in through {} refused: {}: {}", providerId, code, message);
        return HtmlPages.signInRefused(403, code, message, headers);
    }

    /** Finishes a test sign-in at the callback: the preview, or why it is refused. */
    public Response finish(ConfiguredProvider provider, CallbackRequest callback, LoginTransaction transaction, HttpHeaders headers) {
        Optional<Principal> admin = administrator(headers);
        if (admin.isEmpty() || transaction.startedBy() == null || !admin.get().user().id().equals(transaction.startedBy())) {
            return forbidden(provider.id(), "test_sign_in_not_yours", "This test sign-in was started by another administrator,"
                    + " or you signed out or lost the configure-authentication permission since: start the test again"
                    + " from the provider's settings while signed in.", headers);
        }
        UUID adminId = admin.get().user().id();
        if (provider.provider() == null) {
            return refused(provider, adminId, "misconfigured", "The provider's settings are not usable: " + provider.problem(), headers);
        }
        AuthenticatedIdentity identity;
        try {
            identity = provider.provider().finishSignIn(callback, transaction.remembered());
        } catch (SignInRejectedException e) {
            return refused(provider, adminId, e.reason().code(), e.getMessage(), headers);
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
            LOG.warn("Test sign-in through {} would be refused: {} (issuer {}, subject {})", provider.id(),
                    decision.refusal().code(), identity.issuer(), identity.subject());
        }
        record(provider.id(), adminId, decision.accepted() ? Events.SUCCESS : Events.FAILURE,
                decision.accepted() ? null : decision.refusal().code(), decision.accepted() ? decision.rule().code() : null);
        ClaimsPreview result = new ClaimsPreview(MODE, provider.id(), decision.accepted() ? "would-sign-in" : "would-refuse",
                refusal, new ClaimsPreview.IdentityView(identity.issuer(), identity.subject(), identity.username(),
                        identity.displayName(), identity.email(), identity.emailVerified(), identity.groups()),
                claims(identity.claims()), user, decision.accepted() ? decision.rule().code() : null, teams, permissions);
        return page.render(result, headers);
    }

    private Response refused(ConfiguredProvider provider, UUID adminId, String code, String message, HttpHeaders headers) {
        LOG.warn("Test sign-in through {} refused: {}: {}", provider.id(), code, message);
        record(provider.id(), adminId, Events.FAILURE, code, null);
        ClaimsPreview result = new ClaimsPreview(MODE, provider.id(), "would-refuse",
                new ClaimsPreview.Refusal("provider", code, message), null, Map.of(), null, null, List.of(), Set.of());
        return page.render(result, headers);
    }

    private void record(String providerId, UUID adminId, String outcome, String reason, String matchedBy) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (matchedBy != null) {
            details.put("wouldMatchBy", matchedBy);
        }
        events.record(EVENT, outcome, reason, null, adminId, providerId, details);
    }

    /** The claims, sorted, without anything named like a token. */
    private static Map<String, Object> claims(Map<String, Object> claims) {
        Map<String, Object> shown = new TreeMap<>(claims);
        shown.keySet().removeIf(TOKEN_NAMES::contains);
        return shown;
    }
}
