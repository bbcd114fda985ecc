package org.idbroker.server.web.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import org.idbroker.core.clients.Client;
import org.idbroker.core.clients.Clients;
import org.idbroker.core.clients.GrantTypes;
import org.idbroker.core.events.Events;
import org.idbroker.core.oauth.AuthorizationCodes;
import org.idbroker.core.oauth.BackchannelLogouts;
import org.idbroker.core.oauth.RefreshTokens;
import org.idbroker.core.oauth.Subjects;
import org.idbroker.server.BrokerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token endpoint. Clients authenticate with {@code client_secret_basic} or
 * {@code client_secret_post} (confidential) or name themselves (public, PKCE then being what binds
 * the code to them). A code is spent in one compare-and-set; it must come from the same client with
 * the same redirect URI and the verifier of its challenge. Errors are RFC 6749's.
 */
@Path("/oauth2/token")
public final class TokenResource {

    private static final Logger LOG = LoggerFactory.getLogger(TokenResource.class);

    private final OidcRequests requests;
    private final AuthorizationCodes codes;
    private final RefreshTokens refreshTokens;
    private final BackchannelLogouts backchannel;
    private final Subjects subjects;
    private final TokenIssuer issuer;
    private final Events events;
    private final BrokerConfig config;

    @Inject
    public TokenResource(Clients clients, AuthorizationCodes codes, RefreshTokens refreshTokens, BackchannelLogouts backchannel,
            Subjects subjects, TokenIssuer issuer, Events events, BrokerConfig config) {
        this.backchannel = requireNonNull(backchannel, "backchannel is null");
        this.requests = new OidcRequests(requireNonNull(clients, "clients is null"));
        this.codes = requireNonNull(codes, "codes is null");
        this.refreshTokens = requireNonNull(refreshTokens, "refreshTokens is null");
        this.subjects = requireNonNull(subjects, "subjects is null");
        this.issuer = requireNonNull(issuer, "issuer is null");
        this.events = requireNonNull(events, "events is null");
        this.config = requireNonNull(config, "config is null");
    }

    @POST
    public Response token(InputStream body, @Context HttpHeaders headers) {
        Optional<HTTPRequest> http = OidcRequests.toNimbus(OidcEndpoints.at(config.publicUrl(), OidcEndpoints.TOKEN), body, headers);
        if (http.isEmpty()) {
            return error(OAuth2Error.INVALID_REQUEST.setDescription("The request body is unreadable or over "
                    + OidcRequests.MAX_BODY_BYTES + " bytes"));
        }
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        TokenRequest request;
        try {
            request = TokenRequest.parse(http.get());
        } catch (ParseException e) {
            ErrorObject error = e.getErrorObject() != null && e.getErrorObject().getCode() != null ? e.getErrorObject()
                    : OAuth2Error.INVALID_REQUEST.setDescription(e.getMessage());
            if (OAuth2Error.INVALID_CLIENT.getCode().equals(error.getCode())) {
                return OidcRequests.invalidClient(authorization != null);
            }
            return error(error);
        }
        Optional<Client> authenticated = requests.authenticate(request.getClientAuthentication(), request.getClientID(), true);
        if (authenticated.isEmpty()) {
            return OidcRequests.invalidClient(OidcRequests.basic(request.getClientAuthentication()));
        }
        Client client = authenticated.get();
        AuthorizationGrant grant = request.getAuthorizationGrant();
        if (grant instanceof AuthorizationCodeGrant codeGrant) {
            return authorizationCode(client, codeGrant);
        }
        if (grant instanceof RefreshTokenGrant refreshGrant) {
            return refresh(client, refreshGrant, request.getScope());
        }
        if (grant instanceof ClientCredentialsGrant) {
            return clientCredentials(client, request.getScope());
        }
        return error(OAuth2Error.UNSUPPORTED_GRANT_TYPE.setDescription("The grant type " + grant.getType() + " is not offered"));
    }

    private Response authorizationCode(Client client, AuthorizationCodeGrant grant) {
        if (!client.allows(GrantTypes.AUTHORIZATION_CODE)) {
            return error(OAuth2Error.UNAUTHORIZED_CLIENT.setDescription("This client may not use authorization_code"));
        }
        AuthorizationCodes.Redemption redemption = codes.redeem(grant.getAuthorizationCode().getValue());
        if (redemption instanceof AuthorizationCodes.Redemption.Replayed replayed) {
            int revoked = refreshTokens.revokeIssuedFrom(replayed.codeHash());
            LOG.warn("Authorization code replayed for client {}; {} refresh-token family revoked", client.id(), revoked);
            events.record(AuthorizeResource.CLIENT_SIGN_IN, Events.FAILURE, "code_replayed",
                    "an authorization code was presented again", replayed.grant().userId(), null, Map.of("clientId", client.id()));
            return error(OAuth2Error.INVALID_GRANT.setDescription("The authorization code was already used"));
        }
        if (!(redemption instanceof AuthorizationCodes.Redemption.Redeemed redeemed)) {
            return error(OAuth2Error.INVALID_GRANT.setDescription("The authorization code is unknown or expired"));
        }
        AuthorizationCodes.Grant issued = redeemed.grant();
        if (!issued.clientId().equals(client.id())) {
            LOG.warn("Client {} presented a code issued to client {}", client.id(), issued.clientId());
            return error(OAuth2Error.INVALID_GRANT.setDescription("The authorization code was issued to another client"));
        }
        if (grant.getRedirectionURI() == null || !issued.redirectUri().equals(grant.getRedirectionURI().toString())) {
            return error(OAuth2Error.INVALID_GRANT.setDescription("redirect_uri differs from the one of the authorization request"));
        }
        CodeVerifier verifier = grant.getCodeVerifier();
        if (issued.codeChallenge() == null && verifier != null) {
            return error(OAuth2Error.INVALID_GRANT.setDescription("A code_verifier was sent for a code issued without a code_challenge"));
        }
        if (issued.codeChallenge() != null) {
            if (verifier == null) {
                return error(OAuth2Error.INVALID_GRANT.setDescription("code_verifier is missing"));
            }
            String computed = CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue();
            if (!MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                    issued.codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
                return error(OAuth2Error.INVALID_GRANT.setDescription("code_verifier does not match the code_challenge"));
            }
        }
        Optional<Subjects.Subject> subject = subjects.find(issued.userId(), issued.sessionId());
        if (subject.isEmpty()) {
            return error(OAuth2Error.INVALID_GRANT.setDescription("The session or account this code was issued for has ended"));
        }
        if (!client.admits(subject.get().membership().teams())) {
            return error(OAuth2Error.INVALID_GRANT.setDescription("The user is no longer in a team that may use this application"));
        }
        Scope scope = Scope.parse(issued.scope());
        // when this session ends, the client is told (if it has a back-channel logout URI)
        backchannel.record(issued.sessionId(), client.id());
        BearerAccessToken accessToken = issuer.accessToken(client, subject.get(), issued.sessionId(), scope);
        String idToken = issuer.idToken(client, subject.get(), issued.sessionId(), scope, issued.authTime(), issued.nonce(),
                accessToken);
        RefreshToken refresh = client.allows(GrantTypes.REFRESH_TOKEN)
                ? new RefreshToken(refreshTokens.start(issued, redeemed.codeHash(), client.refreshTokenLifetime())) : null;
        return OidcRequests.send(new OIDCTokenResponse(new OIDCTokens(idToken, accessToken, refresh)).toHTTPResponse());
    }

    /** A refresh token spent for the next one, with new access and ID tokens; a spent one revokes its family. */
    private Response refresh(Client client, RefreshTokenGrant grant, Scope requested) {
        if (!client.allows(GrantTypes.REFRESH_TOKEN)) {
            return error(OAuth2Error.UNAUTHORIZED_CLIENT.setDescription("This client may not use refresh_token"));
        }
        RefreshTokens.Use use = refreshTokens.use(grant.getRefreshToken().getValue(), client.id(), client.refreshTokenLifetime());
        if (use instanceof RefreshTokens.Use.Reused reused) {
            LOG.warn("A spent refresh token of client {} was presented again; its family is revoked", client.id());
            events.record(AuthorizeResource.CLIENT_SIGN_IN, Events.FAILURE, "refresh_token_reused",
                    "a spent refresh token was presented again; every token of its sign-in is revoked", reused.family().userId(),
                    null, Map.of("clientId", client.id()));
            return error(OAuth2Error.INVALID_GRANT.setDescription("The refresh token was already used"));
        }
        if (!(use instanceof RefreshTokens.Use.Rotated rotated)) {
            return error(OAuth2Error.INVALID_GRANT.setDescription("The refresh token is unknown, expired, revoked or another client's"));
        }
        RefreshTokens.Family family = rotated.family();
        Scope granted = Scope.parse(family.scope());
        if (requested != null && !granted.containsAll(requested)) {
            return error(OAuth2Error.INVALID_SCOPE.setDescription("A refresh cannot widen the scope granted at sign-in"));
        }
        Scope scope = requested != null ? requested : granted;
        Optional<Subjects.Subject> subject = subjects.find(family.userId(), family.sessionId());
        if (subject.isEmpty() || !client.admits(subject.get().membership().teams())) {
            return error(OAuth2Error.INVALID_GRANT.setDescription("The session or account of this refresh token has ended"));
        }
        BearerAccessToken accessToken = issuer.accessToken(client, subject.get(), family.sessionId(), scope);
        RefreshToken next = new RefreshToken(rotated.next());
        if (!scope.contains("openid")) {
            return OidcRequests.send(new AccessTokenResponse(new Tokens(accessToken, next)).toHTTPResponse());
        }
        String idToken = issuer.idToken(client, subject.get(), family.sessionId(), scope, family.authTime(), null, accessToken);
        return OidcRequests.send(new OIDCTokenResponse(new OIDCTokens(idToken, accessToken, next)).toHTTPResponse());
    }

    /** Automation: an access token for the confidential client itself, no person and no ID token. */
    private Response clientCredentials(Client client, Scope requested) {
        if (!client.confidential() || !client.allows(GrantTypes.CLIENT_CREDENTIALS)) {
            return error(OAuth2Error.UNAUTHORIZED_CLIENT.setDescription("This client may not use client_credentials"));
        }
        Scope scope = requested == null ? new Scope() : requested;
        if (scope.contains("openid")) {
            return error(OAuth2Error.INVALID_SCOPE.setDescription("openid is for signing people in, not for client_credentials"));
        }
        BearerAccessToken accessToken = issuer.accessToken(client, null, null, scope);
        return OidcRequests.send(new AccessTokenResponse(new Tokens(accessToken, null)).toHTTPResponse());
    }



    private static Response error(ErrorObject error) {
        return OidcRequests.send(new TokenErrorResponse(error).toHTTPResponse());
    }


}
