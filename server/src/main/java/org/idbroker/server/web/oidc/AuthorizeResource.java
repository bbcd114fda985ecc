package org.idbroker.server.web.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.OIDCError;
import com.nimbusds.openid.connect.sdk.Prompt;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.idbroker.core.clients.Client;
import org.idbroker.core.clients.Clients;
import org.idbroker.core.clients.GrantTypes;
import org.idbroker.core.events.Events;
import org.idbroker.core.oauth.AuthorizationCodes;
import org.idbroker.core.oauth.AuthorizationRequests;
import org.idbroker.core.sessions.Sessions;
import org.idbroker.server.BrokerConfig;
import org.idbroker.server.auth.Authenticator;
import org.idbroker.core.providers.ConfiguredProvider;
import org.idbroker.server.providers.ProviderRegistry;
import org.idbroker.server.web.HtmlPages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization endpoint: code flow only, PKCE S256 (required for public clients), the redirect
 * URI matched exactly. A request whose client or redirect URI is wrong is answered with a page, never
 * sent anywhere; other errors go back to the client with {@code state} and {@code iss} (RFC 9207).
 * Without a broker session the person signs in upstream first, through the broker's own sign-in,
 * whose after-login address resumes the stored request.
 */
@Path("/oauth2/authorize")
public final class AuthorizeResource {

    static final String CLIENT_SIGN_IN = "client-sign-in";
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizeResource.class);
    private static final int MAX_QUERY_LENGTH = 8 * 1024;
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final Clients clients;
    private final AuthorizationRequests requests;
    private final AuthorizationCodes codes;
    private final Sessions sessions;
    private final ProviderRegistry providers;
    private final Events events;
    private final BrokerConfig config;
    private final Clock clock;

    @Inject
    public AuthorizeResource(Clients clients, AuthorizationRequests requests, AuthorizationCodes codes, Sessions sessions,
            ProviderRegistry providers, Events events, BrokerConfig config, Clock clock) {
        this.clients = requireNonNull(clients, "clients is null");
        this.requests = requireNonNull(requests, "requests is null");
        this.codes = requireNonNull(codes, "codes is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.providers = requireNonNull(providers, "providers is null");
        this.events = requireNonNull(events, "events is null");
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @GET
    public Response authorize(@Context UriInfo uri, @Context HttpHeaders headers) {
        return handle(uri.getRequestUri().getRawQuery(), null, headers);
    }

    /** Where the broker's sign-in sends the browser back: the stored request, taken once. */
    @GET
    @Path("/resume")
    public Response resume(@QueryParam("request") String id, @Context HttpHeaders headers) {
        Optional<AuthorizationRequests.Pending> pending = requests.take(id);
        if (pending.isEmpty()) {
            return page(400, "request_expired", "This sign-in request has expired or was already used. Go back to the "
                    + "application and sign in again.", headers);
        }
        return handle(pending.get().parameters(), pending.get().created(), headers);
    }

    /**
     * @param signInStarted when the request was stored to sign the person in, or {@code null} for a fresh request: a
     *     session made since then satisfies {@code prompt=login} and {@code max_age}
     */
    private Response handle(String query, Instant signInStarted, HttpHeaders headers) {
        if (query == null || query.isEmpty()) {
            return page(400, "invalid_request", "This address is where applications send people to sign in; it needs the "
                    + "parameters of an OpenID Connect authorization request.", headers);
        }
        if (query.length() > MAX_QUERY_LENGTH) {
            return page(400, "invalid_request", "The authorization request is too long.", headers);
        }
        Map<String, List<String>> params = URLUtils.parseParameters(query);
        Optional<String> clientId = single(params, "client_id");
        if (clientId.isEmpty()) {
            return page(400, "invalid_request", "The application sent no client_id (or more than one). Tell its administrator.",
                    headers);
        }
        Optional<Client> found = clients.find(clientId.get());
        if (found.isEmpty()) {
            LOG.warn("Authorization refused: unknown client");
            return page(400, "unknown_client", "The application is not registered at this broker (unknown client_id). "
                    + "Tell its administrator to register it.", headers);
        }
        Client client = found.get();
        Optional<String> redirect = single(params, "redirect_uri");
        if (redirect.isEmpty() || !client.hasRedirectUri(redirect.get())) {
            LOG.warn("Authorization for client {} refused: redirect_uri not registered", client.id());
            events.record(CLIENT_SIGN_IN, Events.FAILURE, "invalid_redirect_uri", "redirect_uri not registered", null, null,
                    Map.of("clientId", client.id()));
            return page(400, "invalid_redirect_uri", "The application '" + client.name() + "' asked to send you back to an "
                    + "address that is not registered for it (redirect_uri). Tell its administrator.", headers);
        }
        URI redirectUri = URI.create(redirect.get());
        State state = single(params, "state").map(State::new).orElse(null);
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            if (param.getValue().size() > 1) {
                return error(client, redirectUri, state, OAuth2Error.INVALID_REQUEST.setDescription(
                        "The parameter " + param.getKey() + " is given more than once"));
            }
        }
        if (params.containsKey("request")) {
            return error(client, redirectUri, state, OAuth2Error.REQUEST_NOT_SUPPORTED);
        }
        if (params.containsKey("request_uri")) {
            return error(client, redirectUri, state, OAuth2Error.REQUEST_URI_NOT_SUPPORTED);
        }
        if (!"code".equals(single(params, "response_type").orElse(null))) {
            return error(client, redirectUri, state, OAuth2Error.UNSUPPORTED_RESPONSE_TYPE.setDescription(
                    "Only response_type=code is supported"));
        }
        Optional<String> responseMode = single(params, "response_mode");
        if (responseMode.isPresent() && !responseMode.get().equals("query")) {
            return error(client, redirectUri, state, OAuth2Error.INVALID_REQUEST.setDescription("Only response_mode=query is supported"));
        }
        AuthenticationRequest request;
        try {
            request = AuthenticationRequest.parse(params);
        } catch (ParseException e) {
            ErrorObject error = e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST;
            return error(client, redirectUri, state, error);
        }
        if (!client.allows(GrantTypes.AUTHORIZATION_CODE)) {
            return error(client, redirectUri, state, OAuth2Error.UNAUTHORIZED_CLIENT.setDescription(
                    "This client may not use the authorization code flow"));
        }
        Optional<String> challenge = single(params, "code_challenge");
        Optional<String> method = single(params, "code_challenge_method");
        if (method.isPresent() && !method.get().equals("S256")) {
            return error(client, redirectUri, state, OAuth2Error.INVALID_REQUEST.setDescription(
                    "Only the PKCE method S256 is supported"));
        }
        if (challenge.isPresent() && method.isEmpty()) {
            return error(client, redirectUri, state, OAuth2Error.INVALID_REQUEST.setDescription(
                    "code_challenge_method=S256 is required with a code_challenge (plain is not supported)"));
        }
        if (method.isPresent() && challenge.isEmpty()) {
            return error(client, redirectUri, state, OAuth2Error.INVALID_REQUEST.setDescription("code_challenge is missing"));
        }
        if (challenge.isPresent() && !S256_CHALLENGE.matcher(challenge.get()).matches()) {
            return error(client, redirectUri, state, OAuth2Error.INVALID_REQUEST.setDescription(
                    "code_challenge must be the base64url SHA-256 of the verifier (43 characters)"));
        }
        if (!client.confidential() && challenge.isEmpty()) {
            return error(client, redirectUri, state, OAuth2Error.INVALID_REQUEST.setDescription(
                    "PKCE (code_challenge with S256) is required for this public client"));
        }

        Prompt prompt = request.getPrompt();
        Optional<Sessions.SignedIn> signedIn = Authenticator.sessionToken(headers).flatMap(t -> sessions.findWithUser(t, false));
        Instant now = clock.instant();
        boolean fresh = signedIn.isPresent() && signInStarted != null && !signedIn.get().session().created().isBefore(signInStarted);
        boolean needsSignIn = signedIn.isEmpty()
                || !fresh && prompt != null && prompt.contains(Prompt.Type.LOGIN)
                || !fresh && request.getMaxAge() >= 0
                        && signedIn.get().session().created().plusSeconds(request.getMaxAge()).isBefore(now);
        if (needsSignIn) {
            if (prompt != null && prompt.contains(Prompt.Type.NONE)) {
                return error(client, redirectUri, state, OIDCError.LOGIN_REQUIRED);
            }
            if (signInStarted != null && signedIn.isEmpty()) {
                return page(403, "sign_in_failed", "The sign-in did not complete, so the application cannot be told who you "
                        + "are. Go back to the application and try again.", headers);
            }
            return signInFirst(client, query, request.getLoginHint(), headers);
        }
        Sessions.SignedIn session = signedIn.get();
        if (!client.admits(session.caller().membership().teams())) {
            events.record(CLIENT_SIGN_IN, Events.FAILURE, "not_in_allowed_team", "not a member of the client's teams",
                    session.user().id(), null, Map.of("clientId", client.id()));
            LOG.warn("Authorization for client {} refused: user {} is not in its teams", client.id(), session.user().username());
            return error(client, redirectUri, state, OAuth2Error.ACCESS_DENIED.setDescription(
                    "You are not a member of a team that may use this application"));
        }
        String code = codes.issue(new AuthorizationCodes.Grant(client.id(), session.user().id(), session.session().id(),
                redirectUri.toString(), challenge.orElse(null), request.getNonce() == null ? null : request.getNonce().getValue(),
                request.getScope().toString(), session.session().created()));
        events.record(CLIENT_SIGN_IN, Events.SUCCESS, null, null, session.user().id(), null, Map.of("clientId", client.id()));
        URI location = new AuthorizationSuccessResponse(redirectUri, new AuthorizationCode(code), null, state,
                new Issuer(config.publicUrl().toString()), ResponseMode.QUERY).toURI();
        return Response.status(302).location(location).header("Cache-Control", "no-store").build();
    }

    /**
     * Keeps the request and sends the browser to the broker's sign-in, which comes back to resume it; a
     * {@code login_hint} goes with it, for the upstream.
     */
    private Response signInFirst(Client client, String query, String loginHint, HttpHeaders headers) {
        List<ConfiguredProvider> enabled = providers.enabled();
        if (enabled.isEmpty()) {
            return page(503, "no_provider", "No sign-in provider is enabled at this broker, so nobody can sign in yet. "
                    + "Tell its administrator.", headers);
        }
        String id = requests.save(client.id(), query);
        String after = URLEncoder.encode(OidcEndpoints.RESUME + "?request=" + id, StandardCharsets.UTF_8);
        String hint = loginHint == null ? "" : "&loginHint=" + URLEncoder.encode(loginHint, StandardCharsets.UTF_8);
        String target = enabled.size() == 1
                ? "/api/users/authenticate/" + enabled.get(0).id() + "?redirectAfterLoginTo=" + after + hint
                : "/app/sign-in?redirectAfterLoginTo=" + after + hint;
        return Response.status(302).location(URI.create(config.publicUrl() + target)).header("Cache-Control", "no-store").build();
    }

    private Response error(Client client, URI redirectUri, State state, ErrorObject error) {
        LOG.warn("Authorization for client {} refused: {} ({})", client.id(), error.getCode(), error.getDescription());
        URI location = new AuthorizationErrorResponse(redirectUri, error, state, new Issuer(config.publicUrl().toString()),
                ResponseMode.QUERY).toURI();
        return Response.status(302).location(location).header("Cache-Control", "no-store").build();
    }

    private static Response page(int status, String code, String message, HttpHeaders headers) {
        return HtmlPages.signInRefused(status, code, message, headers);
    }

    private static Optional<String> single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.size() != 1 || values.get(0) == null || values.get(0).isEmpty()
                ? Optional.empty() : Optional.of(values.get(0));
    }

}
