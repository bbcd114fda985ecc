package org.idbroker.server.auth;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import org.idbroker.core.sessions.Session;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.core.teams.Membership;
import org.idbroker.core.teams.Memberships;
import org.idbroker.core.users.Users;
import org.idbroker.server.web.ApiException;

/** Finds who a request acts as: the session cookie's user. Every look-up reads the database. */
@Singleton
public final class Authenticator {

    private final Sessions sessions;
    private final Users users;
    private final Memberships memberships;

    @Inject
    public Authenticator(Sessions sessions, Users users, Memberships memberships) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.users = requireNonNull(users, "users is null");
        this.memberships = requireNonNull(memberships, "memberships is null");
    }

    public Optional<Principal> authenticate(HttpHeaders headers) {
        Optional<String> token = sessionToken(headers);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        Optional<Session> session = sessions.find(token.get());
        return session.flatMap(s -> users.find(s.userId()).filter(u -> u.active())
                .map(u -> new Principal(u, s.id(), null)));
    }

    public Principal require(HttpHeaders headers) {
        return authenticate(headers).orElseThrow(ApiException::unauthorized);
    }

    /** The principal, who must hold {@code permission}. */
    public Principal require(HttpHeaders headers, String permission) {
        Principal principal = require(headers);
        Membership membership = memberships.of(principal.user().id());
        if (!membership.has(permission)) {
            throw ApiException.forbidden(permission);
        }
        return principal;
    }

    public static Optional<String> sessionToken(HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(Cookies.SESSION);
        return cookie == null || cookie.getValue().isEmpty() ? Optional.empty() : Optional.of(cookie.getValue());
    }
}
