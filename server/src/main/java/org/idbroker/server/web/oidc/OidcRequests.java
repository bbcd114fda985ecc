package org.idbroker.server.web.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.PlainClientSecret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.idbroker.core.clients.Client;
import org.idbroker.core.clients.Clients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the token, revocation and introspection endpoints share: the request handed to Nimbus with a
 * bounded body, client authentication (a confidential client's live secret, compared in constant
 * time, or a public client naming itself), and Nimbus's answers written back through Jersey.
 */
final class OidcRequests {

    static final int MAX_BODY_BYTES = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(OidcRequests.class);

    private final Clients clients;

    OidcRequests(Clients clients) {
        this.clients = requireNonNull(clients, "clients is null");
    }

    /** The request as Nimbus parses it, or empty when the body is over {@value #MAX_BODY_BYTES} bytes or unreadable. */
    static Optional<HTTPRequest> toNimbus(URI endpoint, InputStream body, HttpHeaders headers) {
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : body.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (bytes.length > MAX_BODY_BYTES) {
            return Optional.empty();
        }
        HTTPRequest http = new HTTPRequest(HTTPRequest.Method.POST, endpoint);
        String contentType = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType != null) {
            http.setHeader("Content-Type", contentType);
        }
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            http.setHeader("Authorization", authorization);
        }
        http.setBody(new String(bytes, StandardCharsets.UTF_8));
        return Optional.of(http);
    }

    /** The client: a confidential one with a live secret, or (when {@code publicAllowed}) a public one naming itself. */
    Optional<Client> authenticate(ClientAuthentication auth, ClientID named, boolean publicAllowed) {
        if (auth != null) {
            if (!(auth instanceof PlainClientSecret secret)) {
                return Optional.empty();
            }
            String id = auth.getClientID().getValue();
            if (!clients.authenticate(id, secret.getClientSecret().getValue())) {
                LOG.warn("Client authentication failed");
                return Optional.empty();
            }
            return clients.find(id).filter(Client::confidential);
        }
        if (named == null || !publicAllowed) {
            return Optional.empty();
        }
        return clients.find(named.getValue()).filter(c -> !c.confidential());
    }

    static boolean basic(ClientAuthentication auth) {
        return auth != null && auth.getMethod().equals(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
    }

    static Response invalidClient(boolean basic) {
        ErrorObject error = OAuth2Error.INVALID_CLIENT.setDescription("Client authentication failed: unknown client, wrong "
                + "secret, or a confidential client that sent no secret");
        Response.ResponseBuilder response = Response.status(401).type("application/json;charset=utf-8")
                .entity(error.toJSONObject().toJSONString()).header("Cache-Control", "no-store");
        if (basic) {
            response.header("WWW-Authenticate", "Basic realm=\"idbroker\"");
        }
        return response.build();
    }

    static Response send(HTTPResponse http) {
        Response.ResponseBuilder response = Response.status(http.getStatusCode());
        @SuppressWarnings("unchecked")
        Map<String, List<String>> headers = http.getHeaderMap();
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) {
                response.header(header.getKey(), value);
            }
        }
        response.header("Cache-Control", "no-store");
        return response.entity(http.getBody()).build();
    }
}
