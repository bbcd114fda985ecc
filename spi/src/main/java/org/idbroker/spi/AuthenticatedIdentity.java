package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A person the IdP vouched for.
 *
 * @param issuer the issuer of the ID token; with {@code subject} it identifies the person
 * @param subject the {@code sub} claim
 * @param username value of the configured username claim, or {@code null}
 * @param displayName the person's name, or {@code null}
 * @param email the email address, or {@code null}
 * @param emailVerified whether the IdP says it verified the email address
 * @param groups values of the configured role claim, without duplicates
 * @param claims the claims received (ID token merged with userinfo), for previews and diagnostics;
 *     never tokens themselves
 * @param idpSessionId the IdP's session id ({@code sid}) when sent, for back-channel logout, or {@code null}
 * @param idToken the raw ID token, kept only to send as {@code id_token_hint} at logout
 */
public record AuthenticatedIdentity(
        String issuer,
        String subject,
        String username,
        String displayName,
        String email,
        boolean emailVerified,
        List<String> groups,
        Map<String, Object> claims,
        String idpSessionId,
        String idToken) {

    public AuthenticatedIdentity {
        requireNonNull(issuer, "issuer is null");
        requireNonNull(subject, "subject is null");
        groups = List.copyOf(requireNonNull(groups, "groups is null"));
        claims = Map.copyOf(requireNonNull(claims, "claims is null"));
    }

    @Override
    public String toString() {
        // never print the raw token
        return "AuthenticatedIdentity[issuer=" + issuer + ", subject=" + subject + ", username=" + username
                + ", email=" + email + ", emailVerified=" + emailVerified + ", groups=" + groups + "]";
    }
}
