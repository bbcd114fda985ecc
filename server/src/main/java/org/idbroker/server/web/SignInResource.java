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
import java.util.Optional;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.core.signin.ProviderBusy;
import org.idbroker.core.signin.SignInFailure;
import org.idbroker.core.signin.SignInMode;
import org.idbroker.core.signin.SignInOutcome;
import org.idbroker.core.signin.SignInOutcome.Previewed;
import org.idbroker.core.signin.SignInOutcome.Refused;
import org.idbroker.core.signin.SignInOutcome.SignedIn;
import org.idbroker.core.signin.SignInOutcome.Started;
import org.idbroker.core.signin.SignIns;
import org.idbroker.server.BrokerConfig;
import org.idbroker.server.auth.Authenticator;
import org.idbroker.server.auth.Cookies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser's sign-in over HTTP: maps the requests to core's {@link SignIns} and its outcomes to
 * redirects, cookies and pages. Refusals are logged here at WARN.
 */
@Path("/api/users")
public final class SignInResource {

    private static final Logger LOG = LoggerFactory.getLogger(SignInResource.class);

    private final SignIns signIns;
    private final BrokerConfig config;
    private final ClaimsPreviewPage previewPage;

    @Inject
    public SignInResource(SignIns signIns, BrokerConfig config, ClaimsPreviewPage previewPage) {
        this.signIns = requireNonNull(signIns, "signIns is null");
        this.config = requireNonNull(config, "config is null");
        this.previewPage = requireNonNull(previewPage, "previewPage is null");
    }

    @GET
    @Path("/authenticate/{providerId}")
    public Response authenticate(@PathParam("providerId") String providerId,
            @QueryParam("redirectAfterLoginTo") String redirectAfterLoginTo, @QueryParam("mode") String mode,
            @QueryParam("loginHint") String loginHint, @QueryParam(PublicAddress.CHECKED) String hostChecked,
            @Context UriInfo uriInfo, @Context HttpHeaders headers) {
        // every sign-in starts on the public URL's host, where the IdP sends the browser back (and its cookie is)
        Optional<String> host = PublicAddress.requestHost(uriInfo);
        if (hostChecked == null && host.isPresent() && !PublicAddress.isPublic(host.get(), config.publicUrl())
                && ProviderStore.ID.matcher(providerId).matches()) {
            return Response.status(302).location(PublicAddress.signInStart(config.publicUrl(), providerId, redirectAfterLoginTo, mode, loginHint))
                    .header("Cache-Control", "no-store").build();
        }
        Optional<SignInMode> parsed = SignInMode.fromCode(mode);
        if (parsed.isEmpty()) {
            String message = "The mode must be 'sign-in' or 'test'.";
            LOG.warn("Sign-in through {} refused: {}: {}", SignIns.safeId(providerId), "invalid_mode", message);
            return HtmlPages.signInRefused(400, "invalid_mode", message, headers);
        }
        SignInOutcome outcome = signIns.start(providerId, parsed.get(), RedirectTargets.safe(redirectAfterLoginTo),
                loginCookie(headers), Authenticator.credentials(headers), host.orElse(null), loginHint);
        if (outcome instanceof Started started) {
            return Response.status(302).location(started.authorizationUri())
                    .cookie(Cookies.login(started.browserKey(), config.secureCookies()))
                    .header("Cache-Control", "no-store").build();
        }
        return answer(outcome, headers);
    }

    @GET
    @Path("/authenticatedToken/{providerId}")
    public Response callback(@PathParam("providerId") String providerId, @Context UriInfo uriInfo, @Context HttpHeaders headers) {
        return finish(providerId, uriInfo.getQueryParameters(), uriInfo, headers);
    }

    @POST
    @Path("/authenticatedToken/{providerId}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response callbackFormPost(@PathParam("providerId") String providerId, MultivaluedMap<String, String> form,
            @Context UriInfo uriInfo, @Context HttpHeaders headers) {
        // no Content-Type gives no form at all, and a field without '=' a null value: both are just absent values
        return finish(providerId, form == null ? new MultivaluedHashMap<>() : form, uriInfo, headers);
    }

    private Response finish(String providerId, MultivaluedMap<String, String> parameters, UriInfo uriInfo, HttpHeaders headers) {
        return answer(signIns.finish(providerId, parameters, loginCookie(headers), Authenticator.credentials(headers),
                PublicAddress.requestHost(uriInfo).orElse(null)), headers);
    }

    private Response answer(SignInOutcome outcome, HttpHeaders headers) {
        if (outcome instanceof SignedIn signedIn) {
            LOG.info("User {} signed in through {} (matched by {})", signedIn.username(), signedIn.providerId(),
                    signedIn.rule().code());
            return Response.seeOther(URI.create(config.publicUrl() + signedIn.redirectAfter()))
                    .cookie(Cookies.session(signedIn.sessionToken(), config.secureCookies(), signedIn.sessionLifetime()))
                    .header("Cache-Control", "no-store").build();
        }
        if (outcome instanceof Previewed previewed) {
            if (previewed.preview().refusal() != null) {
                LOG.warn("Test sign-in through {} would be refused: {}: {}", previewed.preview().providerId(),
                        previewed.preview().refusal().code(), previewed.preview().refusal().message());
            }
            return previewPage.render(previewed.preview(), headers);
        }
        if (outcome instanceof Refused refused) {
            String what = refused.mode() == SignInMode.CLAIMS_PREVIEW ? "Test sign-in" : "Sign-in";
            if (refused.who() != null) {
                LOG.warn("{} through {} refused: {} ({})", what, refused.providerId(), refused.code(), refused.who());
            } else {
                LOG.warn("{} through {} refused: {}: {}", what, refused.providerId(), refused.code(), refused.message());
            }
            Response page = HtmlPages.signInRefused(status(refused), refused.code(), refused.message(), headers);
            return refused.failure() != SignInFailure.PROVIDER_BUSY ? page
                    : Response.fromResponse(page).header("Retry-After", ProviderBusy.RETRY_AFTER_SECONDS).build();
        }
        throw new IllegalStateException("unexpected sign-in outcome " + outcome);
    }

    private static int status(Refused refused) {
        return switch (refused.failure()) {
            case INVALID_REQUEST -> 400;
            case NOT_ALLOWED, IDP_REFUSED, ACCOUNT_REFUSED -> 403;
            case UNKNOWN_PROVIDER -> 404;
            case PROVIDER_UNUSABLE, PROVIDER_BUSY -> 503;
            case IDP_UNAVAILABLE -> 502;
            case IDENTITY_NOT_PROVEN -> 401;
        };
    }

    /** The browser's login binding, when it has a well-formed one. */
    private static String loginCookie(HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(Cookies.LOGIN);
        if (cookie == null || cookie.getValue().length() < 32 || cookie.getValue().length() > 64) {
            return null;
        }
        return cookie.getValue();
    }
}
