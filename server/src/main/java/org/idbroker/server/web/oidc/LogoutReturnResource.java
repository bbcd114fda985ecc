package org.idbroker.server.web.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTClaimsSet;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.text.ParseException;
import java.util.Optional;
import org.idbroker.core.clients.Client;
import org.idbroker.core.clients.Clients;
import org.idbroker.server.web.IdpSignOut;
import org.idbroker.server.web.PagesResource;

/**
 * The sign-in page, where the upstream IdP sends the browser back after signing out there. When an
 * application's RP-initiated logout took the browser to the IdP, the IdP brings back the signed
 * {@code state} the broker gave it ({@link TokenIssuer#logoutState}); the browser then goes on to the
 * application's post-logout URI (still registered for it) with the application's own {@code state}.
 * Without such a state this is the sign-in page as ever.
 *
 * <p>The state is not one-use: replayed within its 10 minutes it leads only where {@code /oauth2/logout} with the
 * same client, post-logout URI and state leads anyone without a session or a signature ({@link LogoutResource}), so
 * remembering used states across nodes would protect nothing (and turn a reload of this page into an error). Should a
 * logout without a session ever stop redirecting, the state must become one-use ({@code UpstreamHandOffTest} says so).
 */
@Path(IdpSignOut.SIGN_IN_PAGE)
public final class LogoutReturnResource {

    private final TokenIssuer issuer;
    private final Clients clients;
    private final PagesResource pages;

    @Inject
    public LogoutReturnResource(TokenIssuer issuer, Clients clients, PagesResource pages) {
        this.issuer = requireNonNull(issuer, "issuer is null");
        this.clients = requireNonNull(clients, "clients is null");
        this.pages = requireNonNull(pages, "pages is null");
    }

    @GET
    public Response signInPage(@QueryParam("state") String state) {
        Optional<URI> next = state == null ? Optional.empty() : issuer.verifyLogoutState(state).flatMap(this::target);
        if (next.isPresent()) {
            return Response.status(302).location(next.get()).header("Cache-Control", "no-store").build();
        }
        return pages.page("sign-in");
    }

    private Optional<URI> target(JWTClaimsSet claims) {
        try {
            String uri = claims.getStringClaim("post_logout_redirect_uri");
            String state = claims.getStringClaim("state");
            Optional<Client> client = claims.getAudience().size() == 1 ? clients.find(claims.getAudience().get(0)) : Optional.empty();
            if (uri == null || client.isEmpty() || !client.get().hasPostLogoutRedirectUri(uri)) {
                return Optional.empty();
            }
            UriBuilder target = UriBuilder.fromUri(uri);
            return Optional.of(state == null ? target.build() : target.queryParam("state", "{state}").build(state));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}
