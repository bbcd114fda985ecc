package org.idbroker.server.web.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import org.idbroker.core.clients.Client;
import org.idbroker.core.clients.Clients;
import org.idbroker.core.oauth.RefreshTokens;
import org.idbroker.core.oauth.Subjects;
import org.idbroker.server.BrokerConfig;

/**
 * Token introspection (RFC 7662) for confidential clients (resource servers). An access token is
 * active while its signature, expiry, user and session hold, read now; a refresh token while it is
 * unused, unexpired and its family and session live, and only its own client may ask about it.
 */
@Path("/oauth2/introspect")
public final class IntrospectionResource {

    private final OidcRequests requests;
    private final Clients clients;
    private final RefreshTokens refreshTokens;
    private final Subjects subjects;
    private final TokenIssuer issuer;
    private final BrokerConfig config;

    @Inject
    public IntrospectionResource(Clients clients, RefreshTokens refreshTokens, Subjects subjects, TokenIssuer issuer,
            BrokerConfig config) {
        this.clients = requireNonNull(clients, "clients is null");
        this.requests = new OidcRequests(clients);
        this.refreshTokens = requireNonNull(refreshTokens, "refreshTokens is null");
        this.subjects = requireNonNull(subjects, "subjects is null");
        this.issuer = requireNonNull(issuer, "issuer is null");
        this.config = requireNonNull(config, "config is null");
    }

    @POST
    public Response introspect(InputStream body, @Context HttpHeaders headers) {
        Optional<HTTPRequest> http = OidcRequests.toNimbus(OidcEndpoints.at(config.publicUrl(), OidcEndpoints.INTROSPECT), body,
                headers);
        if (http.isEmpty()) {
            return error(OAuth2Error.INVALID_REQUEST.setDescription("The request body is unreadable or too large"));
        }
        TokenIntrospectionRequest request;
        try {
            request = TokenIntrospectionRequest.parse(http.get());
        } catch (ParseException e) {
            ErrorObject error = e.getErrorObject() != null && e.getErrorObject().getCode() != null ? e.getErrorObject()
                    : OAuth2Error.INVALID_REQUEST.setDescription(e.getMessage());
            return error(error);
        }
        Optional<Client> caller = requests.authenticate(request.getClientAuthentication(), null, false);
        if (caller.isEmpty()) {
            return OidcRequests.invalidClient(OidcRequests.basic(request.getClientAuthentication()));
        }
        String token = request.getToken().getValue();
        TokenIntrospectionSuccessResponse inactive = new TokenIntrospectionSuccessResponse.Builder(false).build();
        Optional<JWTClaimsSet> access = issuer.verifyAccessToken(token);
        if (access.isPresent()) {
            return OidcRequests.send(accessToken(access.get()).orElse(inactive).toHTTPResponse());
        }
        Optional<RefreshTokens.Live> refresh = refreshTokens.inspect(token)
                .filter(live -> live.family().clientId().equals(caller.get().id()))
                .filter(live -> subjects.find(live.family().userId(), live.family().sessionId()).isPresent());
        if (refresh.isEmpty()) {
            return OidcRequests.send(inactive.toHTTPResponse());
        }
        RefreshTokens.Family family = refresh.get().family();
        return OidcRequests.send(new TokenIntrospectionSuccessResponse.Builder(true).scope(Scope.parse(family.scope()))
                .clientID(new ClientID(family.clientId())).subject(new Subject(family.userId().toString()))
                .issuer(new Issuer(issuer.issuer())).issueTime(Date.from(refresh.get().issuedAt()))
                .expirationTime(Date.from(refresh.get().expiresAt())).parameter("token_type", "refresh_token")
                .parameter("sid", family.sessionId().toString()).build().toHTTPResponse());
    }

    private Optional<TokenIntrospectionSuccessResponse> accessToken(JWTClaimsSet claims) {
        try {
            String clientId = claims.getStringClaim("client_id");
            Optional<Client> client = clientId == null ? Optional.empty() : clients.find(clientId);
            if (client.isEmpty()) {
                return Optional.empty();
            }
            String sid = claims.getStringClaim("sid");
            if (sid != null) {
                Optional<Subjects.Subject> subject = subjects.find(UUID.fromString(claims.getSubject()), UUID.fromString(sid));
                if (subject.isEmpty() || !client.get().admits(subject.get().membership().teams())) {
                    return Optional.empty();
                }
            }
            TokenIntrospectionSuccessResponse.Builder active = new TokenIntrospectionSuccessResponse.Builder(true)
                    .scope(Scope.parse(claims.getStringClaim("scope"))).clientID(new ClientID(clientId))
                    .subject(new Subject(claims.getSubject())).issuer(new Issuer(claims.getIssuer()))
                    .audience(claims.getAudience().stream().map(Audience::new).toList())
                    .issueTime(claims.getIssueTime()).expirationTime(claims.getExpirationTime())
                    .tokenType(AccessTokenType.BEARER);
            if (sid != null) {
                active.parameter("sid", sid);
            }
            return Optional.of(active.build());
        } catch (java.text.ParseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Response error(ErrorObject error) {
        return OidcRequests.send(new TokenErrorResponse(error).toHTTPResponse());
    }
}
