package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A person the upstream vouched for, in protocol-neutral words: every type (OpenID Connect, OAuth 2.0, a
 * directory, ...) fills the same fields its own way, and the broker matches them to an account.
 *
 * @param issuer a stable URI naming who vouches for the person (an OpenID Connect issuer, the GitHub base
 *     URL, a directory and its user base); with {@code subject} it identifies the person
 * @param subject the person's stable, never reassigned id at that issuer (OpenID Connect's {@code sub}, a
 *     numeric user id, a directory entry's UUID), never a name that can be renamed
 * @param username the person's username at the upstream, or {@code null}
 * @param displayName the person's name, or {@code null}
 * @param email the email address, or {@code null}
 * @param emailVerified whether the upstream says it verified the email address (a type whose upstream cannot
 *     say so gives {@code false}, and the provider's Trust Email decides)
 * @param groups the names of the person's groups at the upstream, without duplicates
 * @param claims what the upstream said about the person (OpenID Connect: the ID token merged with userinfo;
 *     a directory: the attributes read), for previews and diagnostics; never tokens or passwords
 * @param idpSessionId the upstream's session id (OpenID Connect's {@code sid}) when sent, for back-channel
 *     logout, or {@code null}
 * @param idToken OpenID Connect only: the raw ID token, kept only to send as {@code id_token_hint} at logout;
 *     {@code null} for other types
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
