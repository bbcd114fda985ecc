package org.idbroker.server.web.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import net.minidev.json.JSONObject;
import org.idbroker.core.clients.Client;
import org.idbroker.core.clients.Clients;
import org.idbroker.core.oauth.Subjects;

/**
 * UserInfo (GET and POST): the claims about the person an access token was issued for, read now, so
 * a disabled user, an ended session or a deleted client is refused at once.
 */
@Path("/oauth2/userinfo")
public final class UserInfoResource {

    private final TokenIssuer issuer;
    private final Clients clients;
    private final Subjects subjects;

    @Inject
    public UserInfoResource(TokenIssuer issuer, Clients clients, Subjects subjects) {
        this.issuer = requireNonNull(issuer, "issuer is null");
        this.clients = requireNonNull(clients, "clients is null");
        this.subjects = requireNonNull(subjects, "subjects is null");
    }

    @GET
    public Response get(@Context HttpHeaders headers) {
        return answer(headers);
    }

    @POST
    public Response post(@Context HttpHeaders headers) {
        return answer(headers);
    }

    private Response answer(HttpHeaders headers) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null) {
            return refuse(BearerTokenError.MISSING_TOKEN);
        }
        BearerAccessToken token;
        try {
            token = BearerAccessToken.parse(authorization);
        } catch (ParseException e) {
            return refuse(BearerTokenError.INVALID_REQUEST);
        }
        Optional<JWTClaimsSet> claims = issuer.verifyAccessToken(token.getValue());
        if (claims.isEmpty()) {
            return refuse(BearerTokenError.INVALID_TOKEN);
        }
        try {
            Object clientId = claims.get().getClaim("client_id");
            Object sid = claims.get().getClaim("sid");
            Optional<Client> client = clientId instanceof String id ? clients.find(id) : Optional.empty();
            if (client.isEmpty() || sid == null) {
                return refuse(BearerTokenError.INVALID_TOKEN);
            }
            UUID userId = UUID.fromString(claims.get().getSubject());
            Optional<Subjects.Subject> subject = subjects.find(userId, UUID.fromString(sid.toString()));
            if (subject.isEmpty() || !client.get().admits(subject.get().membership().teams())) {
                return refuse(BearerTokenError.INVALID_TOKEN);
            }
            Scope scope = Scope.parse(claims.get().getStringClaim("scope"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("sub", userId.toString());
            body.putAll(OidcClaims.of(subject.get(), client.get(), scope == null ? new Scope() : scope));
            return Response.ok(new JSONObject(body).toJSONString(), "application/json;charset=utf-8")
                    .header("Cache-Control", "no-store").build();
        } catch (IllegalArgumentException | java.text.ParseException e) {
            return refuse(BearerTokenError.INVALID_TOKEN);
        }
    }

    private static Response refuse(BearerTokenError error) {
        return Response.status(error.getHTTPStatusCode() == 0 ? 401 : error.getHTTPStatusCode())
                .header("WWW-Authenticate", error.toWWWAuthenticateHeader()).header("Cache-Control", "no-store").build();
    }
}
