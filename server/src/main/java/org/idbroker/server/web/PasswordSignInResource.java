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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.idbroker.core.signin.PasswordSignIns;
import org.idbroker.core.signin.SignInMode;
import org.idbroker.core.signin.SignInOutcome;
import org.idbroker.core.signin.SignInOutcome.PasswordForm;
import org.idbroker.core.signin.SignInOutcome.Started;
import org.idbroker.core.signin.SignIns;
import org.idbroker.server.BrokerConfig;
import org.idbroker.server.auth.Authenticator;
import org.idbroker.server.auth.Cookies;

/**
 * The broker's password form at {@code /app/sign-in/{providerId}}: GET starts the sign-in (core's {@link SignIns},
 * which stores the login state, the after-login path and the mode) and shows the form; POST hands the username
 * and password to {@link PasswordSignIns}. The form's hidden login state, bound to the browser's {@code idb_login}
 * cookie (path {@code /app/sign-in/}, {@code SameSite=Strict}) and used once, is its CSRF protection (a page on
 * another site can neither read it nor have the cookie sent).
 * A provider that signs in by redirect is sent to its IdP from here as from {@code /api/users/authenticate}.
 */
@Path("/app/sign-in/{providerId}")
public final class PasswordSignInResource {

    private final SignIns signIns;
    private final PasswordSignIns passwordSignIns;
    private final BrokerConfig config;
    private final SignInAnswers answers;

    @Inject
    public PasswordSignInResource(SignIns signIns, PasswordSignIns passwordSignIns, BrokerConfig config, SignInAnswers answers) {
        this.signIns = requireNonNull(signIns, "signIns is null");
        this.passwordSignIns = requireNonNull(passwordSignIns, "passwordSignIns is null");
        this.config = requireNonNull(config, "config is null");
        this.answers = requireNonNull(answers, "answers is null");
    }

    /** The form's address for this provider, keeping the after-login path and the mode. */
    static URI formAddress(URI publicUrl, String providerId, String redirectAfterLoginTo, String mode) {
        StringBuilder uri = new StringBuilder(publicUrl.toString()).append("/app/sign-in/").append(providerId);
        char separator = '?';
        if (redirectAfterLoginTo != null) {
            uri.append(separator).append("redirectAfterLoginTo=").append(URLEncoder.encode(redirectAfterLoginTo, StandardCharsets.UTF_8));
            separator = '&';
        }
        if (mode != null) {
            uri.append(separator).append("mode=").append(URLEncoder.encode(mode, StandardCharsets.UTF_8));
        }
        return URI.create(uri.toString());
    }

    @GET
    public Response show(@PathParam("providerId") String providerId,
            @QueryParam("redirectAfterLoginTo") String redirectAfterLoginTo, @QueryParam("mode") String mode,
            @Context UriInfo uriInfo, @Context HttpHeaders headers) {
        Optional<SignInMode> parsed = SignInMode.fromCode(mode);
        if (parsed.isEmpty()) {
            return SignInAnswers.invalidMode(providerId, headers);
        }
        SignInOutcome outcome = signIns.start(providerId, parsed.get(), RedirectTargets.safe(redirectAfterLoginTo),
                SignInResource.loginCookie(headers), Authenticator.credentials(headers),
                PublicAddress.requestHost(uriInfo).orElse(null));
        if (outcome instanceof Started started) {
            return Response.status(302).location(started.authorizationUri())
                    .cookie(Cookies.login(started.browserKey(), config.secureCookies()))
                    .header("Cache-Control", "no-store").build();
        }
        if (outcome instanceof PasswordForm form) {
            return form(form);
        }
        return answers.answer(outcome, headers);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response submit(@PathParam("providerId") String providerId, MultivaluedMap<String, String> form,
            @Context UriInfo uriInfo, @Context HttpHeaders headers) {
        SignInOutcome outcome = passwordSignIns.finish(providerId, single(form, "state"), single(form, "username"),
                single(form, "password"), SignInResource.loginCookie(headers), Authenticator.credentials(headers),
                PublicAddress.requestHost(uriInfo).orElse(null));
        if (outcome instanceof PasswordForm again) {
            return form(again);
        }
        return answers.answer(outcome, headers);
    }

    private Response form(PasswordForm form) {
        int status = 200;
        if (form.problem() != null) {
            SignInAnswers.log(form.problem());
            status = SignInAnswers.status(form.problem());
        }
        Response.ResponseBuilder page = PasswordFormPage.render(form, status)
                .cookie(Cookies.passwordForm(form.browserKey(), config.secureCookies()));
        if (form.retryAfter() != null) {
            page.header("Retry-After", form.retryAfter().toSeconds());
        }
        return page.build();
    }

    /** A form field's single value; {@code null} when absent or repeated. */
    private static String single(MultivaluedMap<String, String> form, String name) {
        if (form == null || form.get(name) == null || form.get(name).size() != 1) {
            return null;
        }
        return form.getFirst(name);
    }
}
