package org.idbroker.providers.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import net.minidev.json.JSONObject;
import org.idbroker.spi.IdpCalls;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The token and userinfo requests, with Nimbus's request classes, timeouts, and errors mapped to reasons. */
final class IdpEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(IdpEndpoints.class);

    /** What the token endpoint returned; never logged. */
    record Tokens(String idToken, String accessToken) {
        @Override
        public String toString() {
            return "Tokens[****]";
        }
    }

    private final OidcConfig config;
    private final BoundedSender sender;

    IdpEndpoints(OidcConfig config, BoundedSender sender) {
        this.config = requireNonNull(config, "config is null");
        this.sender = requireNonNull(sender, "sender is null");
    }

    /** Exchanges the authorization code, sending the PKCE verifier and the redirect URI. */
    Tokens exchange(IdpMetadata idp, String code, String codeVerifier) throws SignInRejectedException {
        URI endpoint = idp.metadata().getTokenEndpointURI();
        if (endpoint == null) {
            throw new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE,
                    "the OpenID provider publishes no token_endpoint in " + config.discoveryUri());
        }
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code), config.redirectUri(),
                new CodeVerifier(codeVerifier));
        ClientID clientId = new ClientID(config.clientId());
        TokenRequest.Builder builder = config.clientSecret() == null
                ? new TokenRequest.Builder(endpoint, clientId, grant)
                : new TokenRequest.Builder(endpoint, clientAuthentication(clientId), grant);
        if (config.resource() != null) {
            builder.resources(config.resource());
        }
        HTTPResponse response = send(builder.build().toHTTPRequest(), IdpCalls.TOKEN, "token endpoint " + endpoint);
        JSONObject json;
        try {
            json = response.getBodyAsJSONObject();
        } catch (ParseException e) {
            throw new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE, "the token endpoint " + endpoint
                    + " answered HTTP " + response.getStatusCode() + " without a JSON body", e);
        }
        if (response.getStatusCode() != HTTPResponse.SC_OK || json.containsKey("error")) {
            throw tokenError(endpoint, response.getStatusCode(), json);
        }
        String idToken = string(json, "id_token");
        if (idToken == null) {
            throw new SignInRejectedException(RejectionReason.TOKEN_MALFORMED, "the token endpoint returned no ID token:"
                    + " check that the openid scope is requested and allowed for this client");
        }
        return new Tokens(idToken, string(json, "access_token"));
    }

    /** Reads userinfo; a signed (JWT) userinfo answer is not read and gives an empty result. */
    Map<String, Object> userInfo(URI endpoint, String accessToken) throws SignInRejectedException {
        HTTPRequest request = new UserInfoRequest(endpoint, new BearerAccessToken(accessToken)).toHTTPRequest();
        HTTPResponse response = send(request, IdpCalls.USERINFO, "userinfo endpoint " + endpoint);
        if (response.getStatusCode() != HTTPResponse.SC_OK) {
            throw new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE, "the userinfo endpoint " + endpoint
                    + " answered HTTP " + response.getStatusCode() + errorSuffix(response));
        }
        String contentType = response.getHeaderValue("Content-Type");
        if (contentType != null && contentType.toLowerCase().startsWith("application/jwt")) {
            LOG.debug("userinfo at {} is a JWT, which is not read; the ID token's claims are used", endpoint);
            return Map.of();
        }
        try {
            return JSONObjectUtils.parse(response.getBody());
        } catch (ParseException e) {
            throw new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE,
                    "the userinfo endpoint " + endpoint + " answered something that is not a JSON object", e);
        }
    }

    private ClientAuthentication clientAuthentication(ClientID clientId) {
        Secret secret = new Secret(config.clientSecret());
        return switch (config.clientAuthentication()) {
            case CLIENT_SECRET_POST -> new ClientSecretPost(clientId, secret);
            case CLIENT_SECRET_BASIC -> new ClientSecretBasic(clientId, secret);
        };
    }

    private HTTPResponse send(HTTPRequest request, String endpoint, String what) throws SignInRejectedException {
        long start = System.nanoTime();
        try {
            // one deadline for the whole exchange and a size cap, not only a timeout per read
            HTTPResponse response = request.send(sender);
            config.idpCalls().called(endpoint, response.getStatusCode() < 400 ? IdpCalls.Outcome.OK : IdpCalls.Outcome.HTTP_ERROR,
                    System.nanoTime() - start);
            return response;
        } catch (IOException e) {
            config.idpCalls().called(endpoint, IdpCalls.Outcome.UNREACHABLE, System.nanoTime() - start);
            LOG.debug("{} could not be reached", what, e);
            throw new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE,
                    "the " + what + " could not be reached (" + Errors.rootMessage(e) + ")", e);
        }
    }

    private static SignInRejectedException tokenError(URI endpoint, int status, JSONObject json) {
        ErrorObject error;
        try {
            error = TokenErrorResponse.parse(json).getErrorObject();
        } catch (ParseException e) {
            error = null;
        }
        if (error == null || error.getCode() == null) {
            return new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE,
                    "the token endpoint " + endpoint + " answered HTTP " + status + " without an OAuth error");
        }
        String code = error.getCode();
        if (status >= 500 || code.equals("server_error") || code.equals("temporarily_unavailable")) {
            return new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE, "the token endpoint " + endpoint
                    + " failed: " + Words.oauthError(code, error.getDescription()));
        }
        return new SignInRejectedException(RejectionReason.CODE_REJECTED,
                "the token endpoint refused the authorization code: " + Words.oauthError(code, error.getDescription()));
    }

    private static String errorSuffix(HTTPResponse response) {
        String wwwAuthenticate = response.getHeaderValue("WWW-Authenticate");
        return wwwAuthenticate == null ? "" : " (" + Words.clean(wwwAuthenticate) + ")";
    }

    private static String string(Map<String, Object> json, String name) {
        Object value = json.get(name);
        return value instanceof String s && !s.isBlank() ? s : null;
    }
}
