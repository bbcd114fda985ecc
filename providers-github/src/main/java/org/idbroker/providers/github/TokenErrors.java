package org.idbroker.providers.github;

import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;

/** GitHub's token endpoint errors (sent with status 200), as refusals that say what to do. */
final class TokenErrors {

    private static final int MAX_DESCRIPTION = 300;

    private TokenErrors() {
    }

    static SignInRejectedException refusal(String error, String description, GitHubConfig config) {
        String code = clean(error);
        String says = description == null ? "" : " GitHub says: \"" + clean(description) + "\"";
        return switch (error) {
            case "bad_verification_code" -> new SignInRejectedException(RejectionReason.CODE_REJECTED, "GitHub refused the"
                    + " sign-in's code as incorrect or expired (bad_verification_code): sign in again." + says);
            case "incorrect_client_credentials" -> new SignInRejectedException(RejectionReason.MISCONFIGURED, "GitHub refused"
                    + " the Client ID or Client Secret (incorrect_client_credentials): copy both again from the OAuth app's"
                    + " page at GitHub." + says);
            case "redirect_uri_mismatch" -> new SignInRejectedException(RejectionReason.MISCONFIGURED, "GitHub refused the"
                    + " redirect URI (redirect_uri_mismatch): the OAuth app's Authorization callback URL must be "
                    + config.redirectUri() + "." + says);
            case "unverified_user_email" -> new SignInRejectedException(RejectionReason.IDP_ERROR, "GitHub needs the person to"
                    + " verify their primary email address first (unverified_user_email)." + says);
            default -> new SignInRejectedException(RejectionReason.CODE_REJECTED, "GitHub refused the sign-in's code ("
                    + code + ")." + says);
        };
    }

    /** Text from GitHub, without control characters and bounded in length. */
    static String clean(String text) {
        String cleaned = text.replaceAll("\\p{Cntrl}", " ").strip();
        return cleaned.length() > MAX_DESCRIPTION ? cleaned.substring(0, MAX_DESCRIPTION) + "…" : cleaned;
    }
}
