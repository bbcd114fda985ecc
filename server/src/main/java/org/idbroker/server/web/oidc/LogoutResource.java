package org.idbroker.server.web.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTClaimsSet;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.idbroker.core.clients.Client;
import org.idbroker.core.clients.Clients;
import org.idbroker.core.crypto.Tokens;
import org.idbroker.core.events.Events;
import org.idbroker.core.sessions.Session;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.server.BrokerConfig;
import org.idbroker.server.auth.Authenticator;
import org.idbroker.server.auth.Cookies;
import org.idbroker.server.web.HtmlPages;
import org.idbroker.server.web.IdpSignOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0). The client is named by
 * {@code id_token_hint} (an ID token this broker signed, expired or not) and/or {@code client_id};
 * {@code post_logout_redirect_uri} must be exactly one of that client's. With a hint for the
 * browser's own session the session ends at once; otherwise the person confirms on a page, and
 * only its POST (carrying a value derived from the session token, which another site cannot know)
 * ends the session. Ending it ends the refresh tokens of that session.
 */
@Path("/oauth2/logout")
public final class LogoutResource {

    private static final Logger LOG = LoggerFactory.getLogger(LogoutResource.class);
    private static final int MAX_PARAMETER_LENGTH = 8 * 1024;

    private final TokenIssuer issuer;
    private final Clients clients;
    private final Sessions sessions;
    private final Events events;
    private final BrokerConfig config;
    private final IdpSignOut idpSignOut;

    @Inject
    public LogoutResource(TokenIssuer issuer, Clients clients, Sessions sessions, Events events, BrokerConfig config,
            IdpSignOut idpSignOut) {
        this.issuer = requireNonNull(issuer, "issuer is null");
        this.clients = requireNonNull(clients, "clients is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.events = requireNonNull(events, "events is null");
        this.config = requireNonNull(config, "config is null");
        this.idpSignOut = requireNonNull(idpSignOut, "idpSignOut is null");
    }

    /** The logout request, checked: where to go after, and the session its hint names (if any). */
    private record Checked(Client client, String postLogoutRedirectUri, String state, String hintedSessionId) {
    }

    @GET
    public Response logout(@Context UriInfo uri, @Context HttpHeaders headers) {
        MultivaluedMap<String, String> params = uri.getQueryParameters();
        Object checked = check(params, headers);
        if (checked instanceof Response page) {
            return page;
        }
        Checked request = (Checked) checked;
        Optional<String> token = Authenticator.sessionToken(headers);
        Optional<Session> session = token.flatMap(sessions::find);
        if (session.isEmpty()) {
            return done(request, headers).build();
        }
        if (request.hintedSessionId() != null && request.hintedSessionId().equals(session.get().id().toString())) {
            return end(token.get(), session.get(), request, headers);
        }
        return confirmation(request, token.get());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response confirm(MultivaluedMap<String, String> form, @Context HttpHeaders headers) {
        Object checked = check(form, headers);
        if (checked instanceof Response page) {
            return page;
        }
        Checked request = (Checked) checked;
        Optional<String> token = Authenticator.sessionToken(headers);
        Optional<Session> session = token.flatMap(sessions::find);
        if (session.isPresent()) {
            String confirm = form.getFirst("confirm");
            if (confirm == null || !MessageDigest.isEqual(confirm.getBytes(StandardCharsets.US_ASCII),
                    confirmation(token.get()).getBytes(StandardCharsets.US_ASCII))) {
                return HtmlPages.signInRefused(403, "logout_not_confirmed", "This sign-out was not confirmed from the broker's "
                        + "own page. Nothing was changed; sign out from the application again.", headers);
            }
            return end(token.get(), session.get(), request, headers);
        }
        return done(request, headers).cookie(Cookies.clearSession(config.secureCookies())).build();
    }

    /** The checked request, or the page that says what is wrong with it. */
    private Object check(MultivaluedMap<String, String> params, HttpHeaders headers) {
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            if (param.getValue().size() > 1 || param.getValue().stream().anyMatch(v -> v != null && v.length() > MAX_PARAMETER_LENGTH)) {
                return refuse("invalid_request", "The logout request repeats a parameter or holds one that is too long.", headers);
            }
        }
        String hint = blankToNull(params.getFirst("id_token_hint"));
        String clientId = blankToNull(params.getFirst("client_id"));
        String postLogout = blankToNull(params.getFirst("post_logout_redirect_uri"));
        String state = blankToNull(params.getFirst("state"));
        String hintedSession = null;
        if (hint != null) {
            Optional<JWTClaimsSet> claims = issuer.verifyIdTokenHint(hint);
            if (claims.isEmpty()) {
                return refuse("invalid_id_token_hint", "The application sent an id_token_hint that this broker did not sign. "
                        + "Nothing was changed.", headers);
            }
            List<String> audience = claims.get().getAudience();
            if (audience.size() != 1 || clientId != null && !clientId.equals(audience.get(0))) {
                return refuse("invalid_request", "The id_token_hint was issued to another client than client_id names.", headers);
            }
            clientId = audience.get(0);
            Object sid = claims.get().getClaim("sid");
            hintedSession = sid == null ? null : sid.toString();
        }
        Client client = null;
        if (clientId != null) {
            client = clients.find(clientId).orElse(null);
            if (client == null) {
                return refuse("unknown_client", "The application that asked for this sign-out is not registered here.", headers);
            }
        }
        if (postLogout != null && (client == null || !client.hasPostLogoutRedirectUri(postLogout))) {
            LOG.warn("Logout refused: post_logout_redirect_uri not registered{}", client == null ? " (no client named)" : " for " + client.id());
            return refuse("invalid_post_logout_redirect_uri", "The application asked to send you to an address after sign-out "
                    + "that is not registered for it (post_logout_redirect_uri). Nothing was changed.", headers);
        }
        return new Checked(client, postLogout, state, hintedSession);
    }

    /**
     * Ends the session and answers where the browser goes: to the upstream IdP first when the session's
     * provider signs out there too (it comes back to the sign-in page with a signed state naming the
     * client's post-logout URI, see {@link LogoutReturnResource}), else straight on.
     */
    private Response end(String token, Session session, Checked request, HttpHeaders headers) {
        String state = request.postLogoutRedirectUri() == null ? null
                : issuer.logoutState(request.client().id(), request.postLogoutRedirectUri(), request.state());
        Optional<URI> atIdp = idpSignOut.endSessionUri(session, token, state);
        sessions.delete(token);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("initiatedBy", "relying-party");
        if (request.client() != null) {
            details.put("clientId", request.client().id());
        }
        details.put("signedOutAtIdp", atIdp.isPresent());
        events.record(Events.SIGN_OUT, Events.SUCCESS, null, null, session.userId(), session.providerId(), details);
        Response.ResponseBuilder next = atIdp.isPresent()
                ? Response.status(302).location(atIdp.get()).header("Cache-Control", "no-store")
                : done(request, headers);
        return next.cookie(Cookies.clearSession(config.secureCookies())).build();
    }

    private Response.ResponseBuilder done(Checked request, HttpHeaders headers) {
        if (request.postLogoutRedirectUri() != null) {
            UriBuilder target = UriBuilder.fromUri(request.postLogoutRedirectUri());
            if (request.state() != null) {
                target.queryParam("state", "{state}");
            }
            URI location = request.state() != null ? target.build(request.state()) : target.build();
            return Response.status(302).location(location).header("Cache-Control", "no-store");
        }
        return Response.ok(page("Signed out", "<p id=\"signed-out\">You are signed out of the broker.</p>"
                + "<p><a class=\"button\" href=\"/app/sign-in\">Sign in again</a></p>"), MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .header("Cache-Control", "no-store");
    }


    private Response confirmation(Checked request, String token) {
        StringBuilder fields = new StringBuilder();
        hidden(fields, "confirm", confirmation(token));
        if (request.client() != null) {
            hidden(fields, "client_id", request.client().id());
        }
        hidden(fields, "post_logout_redirect_uri", request.postLogoutRedirectUri());
        hidden(fields, "state", request.state());
        String who = request.client() == null ? "An application" : HtmlPages.escape(request.client().name());
        String body = "<p>" + who + " asks to sign you out of the broker. Sign out?</p>"
                + "<form method=\"post\" action=\"/oauth2/logout\" id=\"logout-form\">" + fields
                + "<button class=\"button\" type=\"submit\" id=\"logout-confirm\">Sign out</button></form>";
        return Response.ok(page("Sign out?", body), MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .header("Cache-Control", "no-store").header("Content-Security-Policy",
                        "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
                .build();
    }

    /** A value only the holder of the session token can know: proves the confirming POST came from this page. */
    private static String confirmation(String token) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Tokens.hash("logout-confirmation:" + token));
    }

    private static void hidden(StringBuilder out, String name, String value) {
        if (value != null) {
            out.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(HtmlPages.escape(value))
                    .append("\">");
        }
    }

    private static String page(String title, String body) {
        return HtmlPages.document(title, "logout", "<h1>" + title + "</h1>\n" + body + "\n");
    }

    private static Response refuse(String code, String message, HttpHeaders headers) {
        return HtmlPages.signInRefused(400, code, message, headers);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
