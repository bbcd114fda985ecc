package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.idbroker.core.signin.ProviderBusy;
import org.idbroker.core.signin.SignInFailure;
import org.idbroker.core.signin.SignInMode;
import org.idbroker.core.signin.SignInOutcome;
import org.idbroker.core.signin.SignInOutcome.Previewed;
import org.idbroker.core.signin.SignInOutcome.Refused;
import org.idbroker.core.signin.SignInOutcome.SignedIn;
import org.idbroker.core.signin.SignIns;
import org.idbroker.server.BrokerConfig;
import org.idbroker.server.auth.Cookies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the end of a sign-in, redirect or password, is answered: the session cookie and a 303 to the validated path,
 * the claims preview, or the refusal page (logged at WARN, on the sign-in resource's logger).
 */
public final class SignInAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(SignInResource.class);

    private final BrokerConfig config;
    private final ClaimsPreviewPage previewPage;

    @Inject
    public SignInAnswers(BrokerConfig config, ClaimsPreviewPage previewPage) {
        this.config = requireNonNull(config, "config is null");
        this.previewPage = requireNonNull(previewPage, "previewPage is null");
    }

    /** The answer to a signed-in, previewed or refused outcome. */
    Response answer(SignInOutcome outcome, HttpHeaders headers) {
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
            log(refused);
            Response page = HtmlPages.signInRefused(status(refused), refused.code(), refused.message(), headers);
            return refused.failure() != SignInFailure.PROVIDER_BUSY ? page
                    : Response.fromResponse(page).header("Retry-After", ProviderBusy.RETRY_AFTER_SECONDS).build();
        }
        throw new IllegalStateException("unexpected sign-in outcome " + outcome);
    }

    /** Logs a refusal at WARN: the reason code and the message, or who was refused. */
    static void log(Refused refused) {
        String what = refused.mode() == SignInMode.CLAIMS_PREVIEW ? "Test sign-in" : "Sign-in";
        if (refused.who() != null) {
            LOG.warn("{} through {} refused: {} ({})", what, refused.providerId(), refused.code(), refused.who());
        } else {
            LOG.warn("{} through {} refused: {}: {}", what, refused.providerId(), refused.code(), refused.message());
        }
    }

    /** The refusal of a {@code mode} that is neither {@code sign-in} nor {@code test}. */
    static Response invalidMode(String providerId, HttpHeaders headers) {
        String message = "The mode must be 'sign-in' or 'test'.";
        LOG.warn("Sign-in through {} refused: {}: {}", SignIns.safeId(providerId), "invalid_mode", message);
        return HtmlPages.signInRefused(400, "invalid_mode", message, headers);
    }

    static int status(Refused refused) {
        return switch (refused.failure()) {
            case INVALID_REQUEST -> 400;
            case NOT_ALLOWED, IDP_REFUSED, ACCOUNT_REFUSED -> 403;
            case UNKNOWN_PROVIDER -> 404;
            case TOO_MANY_ATTEMPTS -> 429;
            case PROVIDER_UNUSABLE, PROVIDER_BUSY -> 503;
            case IDP_UNAVAILABLE -> 502;
            case IDENTITY_NOT_PROVEN -> 401;
        };
    }
}
