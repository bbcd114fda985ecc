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
import java.util.Optional;
import org.idbroker.core.providers.ProviderStore;
import org.idbroker.core.signin.SignInMode;
import org.idbroker.core.signin.SignInOutcome;
import org.idbroker.core.signin.SignInOutcome.Started;
import org.idbroker.core.signin.SignIns;
import org.idbroker.server.BrokerConfig;
import org.idbroker.server.auth.Authenticator;
import org.idbroker.server.auth.Cookies;

/**
 * The browser's sign-in over HTTP: maps the requests to core's {@link SignIns} and its outcomes to
 * redirects, cookies and pages ({@link SignInAnswers}, which logs refusals at WARN). A provider whose type asks for a
 * password is started at its form instead ({@link PasswordSignInResource}).
 */
@Path("/api/users")
public final class SignInResource {

    private final SignIns signIns;
    private final BrokerConfig config;
    private final SignInAnswers answers;

    @Inject
    public SignInResource(SignIns signIns, BrokerConfig config, SignInAnswers answers) {
        this.signIns = requireNonNull(signIns, "signIns is null");
        this.config = requireNonNull(config, "config is null");
        this.answers = requireNonNull(answers, "answers is null");
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
            return SignInAnswers.invalidMode(providerId, headers);
        }
        if (signIns.asksForPassword(providerId)) {
            // the broker's own form, which starts the sign-in itself
            return Response.status(302).location(PasswordSignInResource.formAddress(config.publicUrl(), providerId,
                    redirectAfterLoginTo, mode)).header("Cache-Control", "no-store").build();
        }
        SignInOutcome outcome = signIns.start(providerId, parsed.get(), RedirectTargets.safe(redirectAfterLoginTo),
                loginCookie(headers), Authenticator.credentials(headers), host.orElse(null), loginHint);
        if (outcome instanceof Started started) {
            return Response.status(302).location(started.authorizationUri())
                    .cookie(Cookies.login(started.browserKey(), config.secureCookies()))
                    .header("Cache-Control", "no-store").build();
        }
        return answers.answer(outcome, headers);
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
        return answers.answer(signIns.finish(providerId, parameters, loginCookie(headers), Authenticator.credentials(headers),
                PublicAddress.requestHost(uriInfo).orElse(null)), headers);
    }

    /** The browser's login binding, when it has a well-formed one. */
    static String loginCookie(HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(Cookies.LOGIN);
        if (cookie == null || cookie.getValue().length() < 32 || cookie.getValue().length() > 64) {
            return null;
        }
        return cookie.getValue();
    }
}
