package org.idbroker.server.web;

import static org.idbroker.server.web.HtmlPages.escape;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.idbroker.core.signin.SignInMode;
import org.idbroker.core.signin.SignInOutcome.PasswordForm;

/**
 * The broker's password form, rendered by the server so it works without script: fields {@code username} and
 * {@code password} (autocomplete {@code username} and {@code current-password}), the login state as the form's
 * CSRF token, posted back to {@code /app/sign-in/{providerId}}; above it, why the previous attempt was refused.
 */
final class PasswordFormPage {

    private PasswordFormPage() {
    }

    static Response.ResponseBuilder render(PasswordForm form, int status) {
        return HtmlPages.guarded(Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8")).entity(html(form)));
    }

    private static String html(PasswordForm form) {
        String problem = form.problem() == null ? "" : """
                <p class="status status-error" role="alert" id="error-message">%s</p>
                <p class="reason">Reason code: <code id="error-code">%s</code></p>
                """.formatted(escape(form.problem().message()), escape(form.problem().code()));
        String test = form.mode() == SignInMode.CLAIMS_PREVIEW
                ? "<p id=\"test-mode\">Test sign-in: nothing is stored about the person; you see what the broker would do.</p>\n"
                : "";
        return HtmlPages.document("Sign in with " + escape(form.displayName()), "password-sign-in", """
                <h1>Sign in with %1$s</h1>
                %2$s%3$s<form method="post" action="/app/sign-in/%4$s" id="password-form">
                <input type="hidden" name="state" value="%5$s">
                <label for="username">Username</label>
                <input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus>
                <label for="password">Password</label>
                <input type="password" id="password" name="password" autocomplete="current-password" required>
                <button type="submit" class="button" id="sign-in">Sign in</button>
                </form>
                <p><a href="/app/sign-in">Other ways to sign in</a></p>
                """.formatted(escape(form.displayName()), test, problem, escape(form.providerId()), escape(form.state())));
    }
}
