package org.idbroker.server.auth;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import java.util.regex.Pattern;
import org.idbroker.server.web.ApiError;
import org.idbroker.server.web.BodyLimit;

/**
 * Cross-site request forgery defence: a request that may change something (POST, PUT, PATCH,
 * DELETE) and carries the session cookie must also carry the header {@code X-Requested-With} (any
 * value). A form on another site cannot send a custom header, and a script on another site cannot
 * either without a CORS preflight, which the broker never grants. Exempt: requests with
 * {@code X-Api-Key} (authenticated by the key alone, the cookie is ignored), the IdP's form post to
 * the sign-in callback and its back-channel logout (neither acts on a session's authority), and the OpenID
 * Provider's token and userinfo endpoints (they act on a client's or a token's authority, never the cookie's) and
 * logout confirmation (whose form carries a value only the session's holder can know), and the password form (whose
 * login state is bound to the browser's {@code idb_login} cookie and used once, so another site cannot post it).
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class CsrfFilter implements ContainerRequestFilter {

    public static final String HEADER = "X-Requested-With";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final Pattern EXEMPT_PATH = Pattern.compile(
            "/api/users/(authenticatedToken|backchannel-logout)/[A-Za-z0-9][A-Za-z0-9._-]{0,63}/?"
                    + "|/app/sign-in/[A-Za-z0-9][A-Za-z0-9._-]{0,63}|/oauth2/(token|userinfo|logout|revoke|introspect)");

    @Override
    public void filter(ContainerRequestContext request) {
        if (SAFE_METHODS.contains(request.getMethod())) {
            return;
        }
        if (EXEMPT_PATH.matcher(request.getUriInfo().getRequestUri().getRawPath()).matches()) {
            return;
        }
        if (request.getHeaderString(Authenticator.API_KEY_HEADER) != null) {
            return;
        }
        Cookie session = request.getCookies().get(Cookies.SESSION);
        if (session == null || session.getValue().isEmpty()) {
            return;
        }
        String header = request.getHeaderString(HEADER);
        if (header != null && !header.isBlank()) {
            return;
        }
        if (request.getLength() <= BodyLimit.MAX_JSON_BYTES * 16L) {
            BodyLimit.drain(request.getEntityStream());
        }
        request.abortWith(Response.status(403).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError("csrf", "A request that changes something must carry the header " + HEADER
                        + " (any value) along with the session cookie; scripts should add it, automation should use "
                        + "an API key in the " + Authenticator.API_KEY_HEADER + " header."))
                .build());
    }
}
