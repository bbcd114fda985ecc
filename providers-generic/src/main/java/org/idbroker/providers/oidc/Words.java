package org.idbroker.providers.oidc;

import java.util.Map;

/** Plain-language explanations of OAuth error codes. */
final class Words {

    private static final int MAX_DESCRIPTION = 300;

    private static final Map<String, String> MEANINGS = Map.ofEntries(
            Map.entry("access_denied", "access was denied (the person declined, or is not allowed to use this application)"),
            Map.entry("login_required", "the person must sign in at the provider first"),
            Map.entry("consent_required", "the person has not consented to this application"),
            Map.entry("interaction_required", "the provider needs the person to interact"),
            Map.entry("invalid_scope", "a requested scope is not allowed: check the Scopes setting"),
            Map.entry("invalid_request", "the provider found the request malformed: check the client settings and the redirect URI"),
            Map.entry("unauthorized_client", "this client may not use the authorization code flow: check the client type at the provider"),
            Map.entry("unsupported_response_type", "the provider does not allow the code response type for this client"),
            Map.entry("server_error", "the provider had an internal error"),
            Map.entry("temporarily_unavailable", "the provider is temporarily unavailable"),
            Map.entry("invalid_grant", "the code is invalid, expired or already used, or the redirect URI or PKCE verifier"
                    + " does not match: start the sign-in again, and check that the redirect URI registered at the provider"
                    + " is exactly the broker's"),
            Map.entry("invalid_client", "the client authentication failed: check the Client ID, the Client Secret and the"
                    + " Client Authentication setting (client_secret_post when the provider does not URL-decode Basic credentials)"));

    private Words() {
    }

    /** For example: {@code access_denied: access was denied (...). The provider says: "..."}. */
    static String oauthError(String code, String description) {
        String safeCode = clean(code);
        StringBuilder text = new StringBuilder(safeCode);
        String meaning = MEANINGS.get(code);
        if (meaning != null) {
            text.append(": ").append(meaning);
        }
        if (description != null && !description.isBlank()) {
            text.append(". The provider says: \"").append(clean(description)).append('"');
        }
        return text.toString();
    }

    /** Text from the IdP or the network, without control characters and bounded in length. */
    static String clean(String text) {
        String cleaned = text.replaceAll("\\p{Cntrl}", " ").strip();
        return cleaned.length() > MAX_DESCRIPTION ? cleaned.substring(0, MAX_DESCRIPTION) + "…" : cleaned;
    }
}
