package org.idbroker.server.web.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Optional;
import org.idbroker.core.clients.Client;
import org.idbroker.core.clients.Clients;
import org.idbroker.core.oauth.RefreshTokens;
import org.idbroker.server.BrokerConfig;

/**
 * Token revocation (RFC 7009). A refresh token revokes every token of its sign-in (its family), only
 * for the client it was issued to; an unknown token is answered 200 like a revoked one. Access tokens
 * are short-lived JWTs the broker does not track: presenting one answers {@code unsupported_token_type}.
 */
@Path("/oauth2/revoke")
public final class RevocationResource {

    private final OidcRequests requests;
    private final RefreshTokens refreshTokens;
    private final TokenIssuer issuer;
    private final BrokerConfig config;

    @Inject
    public RevocationResource(Clients clients, RefreshTokens refreshTokens, TokenIssuer issuer, BrokerConfig config) {
        this.requests = new OidcRequests(requireNonNull(clients, "clients is null"));
        this.refreshTokens = requireNonNull(refreshTokens, "refreshTokens is null");
        this.issuer = requireNonNull(issuer, "issuer is null");
        this.config = requireNonNull(config, "config is null");
    }

    @POST
    public Response revoke(InputStream body, @Context HttpHeaders headers) {
        Optional<HTTPRequest> http = OidcRequests.toNimbus(OidcEndpoints.at(config.publicUrl(), OidcEndpoints.REVOKE), body, headers);
        if (http.isEmpty()) {
            return error(OAuth2Error.INVALID_REQUEST.setDescription("The request body is unreadable or too large"));
        }
        TokenRevocationRequest request;
        try {
            request = TokenRevocationRequest.parse(http.get());
        } catch (ParseException e) {
            ErrorObject error = e.getErrorObject() != null && e.getErrorObject().getCode() != null ? e.getErrorObject()
                    : OAuth2Error.INVALID_REQUEST.setDescription(e.getMessage());
            return error(error);
        }
        Optional<Client> client = requests.authenticate(request.getClientAuthentication(), request.getClientID(), true);
        if (client.isEmpty()) {
            return OidcRequests.invalidClient(OidcRequests.basic(request.getClientAuthentication()));
        }
        String token = request.getToken().getValue();
        if (issuer.verifyAccessToken(token).isPresent()) {
            return error(new ErrorObject("unsupported_token_type", "Access tokens are short-lived JWTs that cannot be "
                    + "revoked one by one; revoke the refresh token instead", 400));
        }
        refreshTokens.revoke(token, client.get().id());
        return Response.ok().header("Cache-Control", "no-store").build();
    }

    private static Response error(ErrorObject error) {
        return OidcRequests.send(new TokenErrorResponse(error).toHTTPResponse());
    }
}
