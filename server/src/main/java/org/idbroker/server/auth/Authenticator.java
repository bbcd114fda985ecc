package org.idbroker.server.auth;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import org.idbroker.core.auth.Callers;
import org.idbroker.core.auth.Credentials;
import org.idbroker.core.teams.Permission;
import org.idbroker.core.users.Caller;
import org.idbroker.server.web.ApiException;

/**
 * Reads a request's credentials ({@code X-Api-Key}, else the session cookie) and asks core's
 * {@link Callers} who they belong to, at every request; refuses with 401 or 403.
 */
@Singleton
public final class Authenticator {

    public static final String API_KEY_HEADER = "X-Api-Key";

    private final Callers callers;

    @Inject
    public Authenticator(Callers callers) {
        this.callers = requireNonNull(callers, "callers is null");
    }

    /** What the request presents: the {@code X-Api-Key} header and the session cookie. */
    public static Credentials credentials(HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(Cookies.SESSION);
        return new Credentials(headers.getHeaderString(API_KEY_HEADER), cookie == null ? null : cookie.getValue());
    }

    public Optional<Caller> authenticate(HttpHeaders headers) {
        return authenticate(headers, false);
    }

    /**
     * Who the request acts as, with their teams and permissions and, when {@code withIdentities}, their
     * external identities: one statement on one connection.
     */
    public Optional<Caller> authenticate(HttpHeaders headers, boolean withIdentities) {
        return callers.find(credentials(headers), withIdentities);
    }

    /**
     * The same from the values of the {@code X-Api-Key} header and the session cookie, each {@code null}
     * when absent: for resources that take them as parameters.
     */
    public Optional<Caller> authenticate(String apiKey, String sessionToken, boolean withIdentities) {
        return callers.find(new Credentials(apiKey, sessionToken), withIdentities);
    }

    public Caller require(HttpHeaders headers) {
        return authenticate(headers).orElseThrow(ApiException::unauthorized);
    }

    /** The caller, who must hold {@code permission}. */
    public Caller require(HttpHeaders headers, String permission) {
        Caller caller = require(headers);
        requirePermission(caller, permission);
        return caller;
    }

    /** The caller, who must hold {@code permission}. */
    public Caller require(HttpHeaders headers, Permission permission) {
        return require(headers, permission.code());
    }

    /** Refuses with 403 unless the caller holds {@code permission}. */
    public void requirePermission(Caller caller, Permission permission) {
        requirePermission(caller, permission.code());
    }

    private void requirePermission(Caller caller, String permission) {
        if (!caller.membership().has(permission)) {
            throw ApiException.forbidden(permission);
        }
    }

    public static Optional<String> sessionToken(HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(Cookies.SESSION);
        return cookie == null || cookie.getValue().isEmpty() ? Optional.empty() : Optional.of(cookie.getValue());
    }
}
