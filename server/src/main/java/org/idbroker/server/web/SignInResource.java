package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.idbroker.core.crypto.Tokens;
import org.idbroker.core.events.Events;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.core.signin.IdentityMatcher;
import org.idbroker.core.signin.LoginStateException;
import org.idbroker.core.signin.LoginTransaction;
import org.idbroker.core.signin.LoginTransactions;
import org.idbroker.core.signin.SignInDecision;
import org.idbroker.core.signin.SignInRefusal;
import org.idbroker.server.BrokerConfig;
import org.idbroker.server.auth.Authenticator;
import org.idbroker.server.auth.Cookies;
import org.idbroker.server.providers.ConfiguredProvider;
import org.idbroker.server.providers.IdpCallLimit;
import org.idbroker.server.providers.ProviderRegistry;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.CallbackRequest;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.SignInRejectedException;
import org.idbroker.spi.SignInRequest;
import org.idbroker.spi.SignInStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The browser's sign-in: start at the IdP, come back to the callback, leave with a session. */
@Path("/api/users")
public final class SignInResource {

    static final String MODE_SIGN_IN = "sign-in";
    private static final Logger LOG = LoggerFactory.getLogger(SignInResource.class);
    private static final int MAX_PARAMETER_LENGTH = 16 * 1024;

    private final ProviderRegistry providers;
    private final LoginTransactions transactions;
    private final IdentityMatcher matcher;
    private final Sessions sessions;
    private final Events events;
    private final BrokerConfig config;
    private final TestSignIn testSignIn;

    @Inject
    public SignInResource(ProviderRegistry providers, LoginTransactions transactions, IdentityMatcher matcher,
            Sessions sessions, Events events, BrokerConfig config, TestSignIn testSignIn) {
        this.providers = requireNonNull(providers, "providers is null");
        this.transactions = requireNonNull(transactions, "transactions is null");
        this.matcher = requireNonNull(matcher, "matcher is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.events = requireNonNull(events, "events is null");
        this.config = requireNonNull(config, "config is null");
        this.testSignIn = requireNonNull(testSignIn, "testSignIn is null");
    }

    @GET
    @Path("/authenticate/{providerId}")
    public Response authenticate(@PathParam("providerId") String providerId,
            @QueryParam("redirectAfterLoginTo") String redirectAfterLoginTo, @QueryParam("mode") String mode,
            @QueryParam(PublicAddress.CHECKED) String hostChecked, @Context HttpHeaders headers) {
        // every sign-in starts on the public URL's host, where the IdP sends the browser back (and its cookie is)
        Optional<String> host = PublicAddress.requestHost(headers);
        if (hostChecked == null && host.isPresent() && !PublicAddress.isPublic(host.get(), config.publicUrl())
                && ProviderStore.ID.matcher(providerId).matches()) {
            return Response.status(302).location(PublicAddress.signInStart(config.publicUrl(), providerId, redirectAfterLoginTo, mode))
                    .header("Cache-Control", "no-store").build();
        }
        boolean test = TestSignIn.MODE.equals(mode);
        if (mode != null && !test && !MODE_SIGN_IN.equals(mode)) {
            return refuse(providerId, 400, "invalid_mode", "The mode must be 'sign-in' or 'test'.", headers, false);
        }
        UUID startedBy = null;
        if (test) {
            Optional<org.idbroker.server.auth.Principal> admin = testSignIn.administrator(headers);
            if (admin.isEmpty()) {
                return TestSignIn.forbidden(safeId(providerId), "test_sign_in_forbidden", "A test sign-in needs an"
                        + " administrator with the configure-authentication permission: sign in as one first.", headers);
            }
            startedBy = admin.get().user().id();
        }
        // a test sign-in may try a disabled provider before it is enabled
        Optional<ConfiguredProvider> configured = providers.find(providerId).filter(p -> test || p.enabled());
        if (configured.isEmpty()) {
            LOG.warn("Sign-in through {} refused: {}", safeId(providerId), SignInRefusal.PROVIDER_UNKNOWN.code());
            return HtmlPages.signInRefused(404, SignInRefusal.PROVIDER_UNKNOWN.code(), SignInRefusal.PROVIDER_UNKNOWN.message(), headers);
        }
        ConfiguredProvider provider = configured.get();
        if (provider.provider() == null) {
            return refuse(provider.id(), 503, "misconfigured", "Sign-in through " + provider.displayName()
                    + " is not possible because its settings are wrong (" + provider.problem()
                    + "). Ask an administrator to fix the provider settings.", headers, !test);
        }
        String state = Tokens.random();
        String browserKey = existingLoginCookie(headers).orElseGet(Tokens::random);
        SignInStart start;
        try {
            start = provider.provider().startSignIn(new SignInRequest(state));
        } catch (SignInRejectedException e) {
            if (IdpCallLimit.isBusy(e)) {
                return busy(e, headers);
            }
            return refuse(provider.id(), 502, e.reason().code(), e.getMessage(), headers, !test);
        }
        transactions.save(state, browserKey, provider.id(), start.remember(), test ? "/" : RedirectTargets.safe(redirectAfterLoginTo),
                test ? TestSignIn.MODE : MODE_SIGN_IN, startedBy, host.orElse(null));
        return Response.status(302).location(start.authorizationUri())
                .cookie(Cookies.login(browserKey, config.secureCookies()))
                .header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("/authenticatedToken/{providerId}")
    public Response callback(@PathParam("providerId") String providerId, @Context UriInfo uriInfo, @Context HttpHeaders headers) {
        return finish(providerId, uriInfo.getQueryParameters(), headers);
    }

    @POST
    @Path("/authenticatedToken/{providerId}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response callbackFormPost(@PathParam("providerId") String providerId, MultivaluedMap<String, String> form,
            @Context HttpHeaders headers) {
        // no Content-Type gives no form at all, and a field without '=' a null value: both are just absent values
        return finish(providerId, form == null ? new MultivaluedHashMap<>() : form, headers);
    }

    private Response finish(String providerId, MultivaluedMap<String, String> parameters, @Context HttpHeaders headers) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : parameters.entrySet()) {
            if (entry.getKey().length() > 64 || entry.getValue().stream().anyMatch(v -> v != null && v.length() > MAX_PARAMETER_LENGTH)) {
                return refuse(providerId, 400, "invalid_callback", "The sign-in response is malformed (a parameter is too long). "
                        + "Start the sign-in again from the sign-in page.", headers);
            }
            copy.put(entry.getKey(), entry.getValue().stream().map(v -> v == null ? "" : v).toList());
        }
        CallbackRequest callback = new CallbackRequest(copy);
        LoginTransaction transaction;
        try {
            List<String> states = copy.getOrDefault("state", List.of());
            String state = states.size() == 1 ? states.get(0) : null;
            transaction = transactions.consume(state, existingLoginCookie(headers).orElse(null), providerId,
                    PublicAddress.requestHost(headers).orElse(null));
        } catch (LoginStateException e) {
            String message = e.refusal() == SignInRefusal.STATE_OTHER_HOST && e.startedHost().isPresent()
                    ? PublicAddress.otherHostMessage(e.startedHost().get(), config.publicUrl()) : e.refusal().message();
            return refuse(providerId, 400, e.refusal().code(), message, headers);
        }
        if (TestSignIn.MODE.equals(transaction.mode())) {
            Optional<ConfiguredProvider> tested = providers.find(providerId);
            if (tested.isEmpty()) {
                return refuse(providerId, 404, SignInRefusal.PROVIDER_UNKNOWN.code(), SignInRefusal.PROVIDER_UNKNOWN.message(),
                        headers, false);
            }
            return testSignIn.finish(tested.get(), callback, transaction, headers);
        }
        Optional<ConfiguredProvider> configured = providers.find(providerId).filter(ConfiguredProvider::enabled);
        Optional<IdentityProvider> provider = configured.flatMap(ConfiguredProvider::usable);
        if (provider.isEmpty()) {
            return refuse(providerId, 404, SignInRefusal.PROVIDER_UNKNOWN.code(), SignInRefusal.PROVIDER_UNKNOWN.message(), headers);
        }
        AuthenticatedIdentity identity;
        try {
            identity = provider.get().finishSignIn(callback, transaction.remembered());
        } catch (SignInRejectedException e) {
            if (IdpCallLimit.isBusy(e)) {
                return busy(e, headers);
            }
            int status = switch (e.reason()) {
                case IDP_UNAVAILABLE -> 502;
                case IDP_ERROR -> 403;
                default -> 401;
            };
            return refuse(providerId, status, e.reason().code(), e.getMessage(), headers);
        }
        Optional<String> previousSession = Authenticator.sessionToken(headers);
        String[] token = new String[1];
        SignInDecision decision = matcher.signIn(configured.get().policy(), identity, (h, accepted) -> {
            // a new token at every sign-in: a session cookie planted before sign-in is never promoted
            previousSession.ifPresent(previous -> sessions.delete(h, previous));
            token[0] = sessions.create(h, accepted.user().id(), providerId, accepted.externalIdentityId(),
                    identity.idpSessionId(), identity.idToken());
        });
        if (!decision.accepted()) {
            LOG.warn("Sign-in through {} refused: {} (issuer {}, subject {})", providerId, decision.refusal().code(),
                    identity.issuer(), identity.subject());
            return HtmlPages.signInRefused(403, decision.refusal().code(), decision.refusal().message(), headers);
        }
        LOG.info("User {} signed in through {} (matched by {})", decision.user().username(), providerId, decision.rule().code());
        return Response.seeOther(URI.create(config.publicUrl() + transaction.redirectAfter()))
                .cookie(Cookies.session(token[0], config.secureCookies(), sessions.lifetimes().absolute()))
                .header("Cache-Control", "no-store").build();
    }

    /** Too many requests wait on this provider's IdP already: nothing reached it, so no event; try again soon. */
    private static Response busy(SignInRejectedException e, HttpHeaders headers) {
        return Response.fromResponse(HtmlPages.signInRefused(503, e.reason().code(), e.getMessage(), headers))
                .header("Retry-After", IdpCallLimit.RETRY_AFTER_SECONDS).build();
    }

    private Response refuse(String rawProviderId, int status, String code, String message, HttpHeaders headers) {
        return refuse(rawProviderId, status, code, message, headers, true);
    }

    /** Logs a refusal at WARN with its reason code and shows it; {@code record} also writes a sign-in event. */
    private Response refuse(String rawProviderId, int status, String code, String message, HttpHeaders headers, boolean record) {
        String providerId = safeId(rawProviderId);
        LOG.warn("Sign-in through {} refused: {}: {}", providerId, code, message);
        if (record) {
            events.record(Events.SIGN_IN, Events.FAILURE, code, message, null, providerId, Map.of());
        }
        return HtmlPages.signInRefused(status, code, message, headers);
    }

    private static String safeId(String rawProviderId) {
        return rawProviderId != null && ProviderStore.ID.matcher(rawProviderId).matches() ? rawProviderId : "(invalid id)";
    }

    private static Optional<String> existingLoginCookie(HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(Cookies.LOGIN);
        if (cookie == null || cookie.getValue().length() < 32 || cookie.getValue().length() > 64) {
            return Optional.empty();
        }
        return Optional.of(cookie.getValue());
    }
}
