package org.idbroker.server.auth;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import org.idbroker.core.apikeys.ApiKeys;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.core.teams.Permission;
import org.idbroker.server.web.ApiException;

/**
 * Finds who a request acts as: the user of the API key in {@code X-Api-Key} when the header is
 * present (the cookie is then ignored), else the session cookie's user. Every look-up reads the
 * database (session or key, user, teams and permissions in one statement), so a revoked key, an ended
 * session, a disabled user or a changed team takes effect at once on every node.
 */
@Singleton
public final class Authenticator {

    public static final String API_KEY_HEADER = "X-Api-Key";

    private final Sessions sessions;
    private final ApiKeys apiKeys;

    @Inject
    public Authenticator(Sessions sessions, ApiKeys apiKeys) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.apiKeys = requireNonNull(apiKeys, "apiKeys is null");
    }

    public Optional<Principal> authenticate(HttpHeaders headers) {
        return authenticate(headers, false);
    }

    /**
     * Who the request acts as, with their teams and permissions and, when {@code withIdentities}, their
     * external identities: one statement on one connection.
     */
    public Optional<Principal> authenticate(HttpHeaders headers, boolean withIdentities) {
        Cookie cookie = headers.getCookies().get(Cookies.SESSION);
        return authenticate(headers.getHeaderString(API_KEY_HEADER), cookie == null ? null : cookie.getValue(), withIdentities);
    }

    /**
     * The same from the values of the {@code X-Api-Key} header and the session cookie, each {@code null}
     * when absent: for resources that take them as parameters.
     */
    public Optional<Principal> authenticate(String apiKey, String sessionToken, boolean withIdentities) {
        if (apiKey != null) {
            return apiKeys.authenticate(apiKey.strip(), withIdentities)
                    .map(k -> new Principal(k.caller(), null, k.key().id()));
        }
        if (sessionToken == null || sessionToken.isEmpty()) {
            return Optional.empty();
        }
        return sessions.findWithUser(sessionToken, withIdentities)
                .map(found -> new Principal(found.caller(), found.session().id(), null));
    }

    public Principal require(HttpHeaders headers) {
        return authenticate(headers).orElseThrow(ApiException::unauthorized);
    }

    /** The principal, who must hold {@code permission}. */
    public Principal require(HttpHeaders headers, String permission) {
        Principal principal = require(headers);
        requirePermission(principal, permission);
        return principal;
    }

    /** The principal, who must hold {@code permission}. */
    public Principal require(HttpHeaders headers, Permission permission) {
        return require(headers, permission.code());
    }

    /** Refuses with 403 unless the principal holds {@code permission}. */
    public void requirePermission(Principal principal, Permission permission) {
        requirePermission(principal, permission.code());
    }

    private void requirePermission(Principal principal, String permission) {
        if (!principal.membership().has(permission)) {
            throw ApiException.forbidden(permission);
        }
    }

    public static Optional<String> sessionToken(HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(Cookies.SESSION);
        return cookie == null || cookie.getValue().isEmpty() ? Optional.empty() : Optional.of(cookie.getValue());
    }
}
