package org.idbroker.it.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.credentials.Credentials;
import org.pac4j.core.exception.http.RedirectionAction;
import org.pac4j.core.exception.http.WithLocationAction;
import org.pac4j.core.http.callback.NoParameterCallbackUrlResolver;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.oidc.client.OidcClient;
import org.pac4j.oidc.config.OidcConfiguration;
import org.pac4j.oidc.profile.OidcProfile;

/**
 * A Java application signing in through the broker with pac4j-oidc, as a Spring or Jakarta EE
 * application built on pac4j would: discovery, the code flow with PKCE S256, state and nonce, the code
 * exchange with {@code client_secret_basic}, pac4j's validation of the ID token and its profile built
 * from the ID token and userinfo. It listens on 127.0.0.1: {@code /login} starts a sign-in and
 * {@code /callback} answers the profile as JSON ({@code error} and {@code message} when pac4j refused).
 * The web glue is {@link ExchangeContext} over the JDK's HTTP server.
 */
public final class TestingPac4jRelyingParty implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final OidcClient client;
    private final ExchangeContext.Sessions sessions = new ExchangeContext.Sessions();

    private TestingPac4jRelyingParty(HttpServer server, OidcClient client) {
        this.server = server;
        this.client = client;
    }

    /** Starts the application on {@code port} as client {@code clientId} of the broker at {@code issuer}. */
    public static TestingPac4jRelyingParty start(URI issuer, String clientId, String secret, int port) {
        OidcConfiguration configuration = new OidcConfiguration();
        configuration.setDiscoveryURI(issuer + "/.well-known/openid-configuration");
        configuration.setClientId(clientId);
        configuration.setSecret(secret);
        configuration.setClientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
        configuration.setScope("openid profile email groups");
        configuration.setPkceMethod(CodeChallengeMethod.S256);
        configuration.setUseNonce(true);
        configuration.setWithState(true);
        OidcClient client = new OidcClient(configuration);
        client.setCallbackUrl(redirectUri(port));
        // the registered redirect URI, exactly: no client_name parameter added
        client.setCallbackUrlResolver(new NoParameterCallbackUrlResolver());
        client.init();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            TestingPac4jRelyingParty rp = new TestingPac4jRelyingParty(server, client);
            server.createContext("/login", rp::login);
            server.createContext("/callback", rp::callback);
            server.start();
            return rp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String redirectUri(int port) {
        return "http://127.0.0.1:" + port + "/callback";
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void login(HttpExchange exchange) throws IOException {
        ExchangeContext context = new ExchangeContext(exchange);
        Optional<RedirectionAction> action = client.getRedirectionAction(new CallContext(context, sessions));
        String location = ((WithLocationAction) action.orElseThrow()).getLocation();
        context.setResponseHeader("Location", location);
        context.send(302, "");
    }

    private void callback(HttpExchange exchange) throws IOException {
        ExchangeContext context = new ExchangeContext(exchange);
        CallContext call = new CallContext(context, sessions);
        Map<String, Object> answer = new LinkedHashMap<>();
        int status = 200;
        try {
            Credentials extracted = client.getCredentials(call).orElseThrow();
            Credentials validated = client.validateCredentials(call, extracted).orElseThrow();
            UserProfile profile = client.getUserProfile(call, validated).orElseThrow();
            OidcProfile oidc = (OidcProfile) profile;
            answer.put("id", profile.getId());
            answer.put("attributes", stringified(profile.getAttributes()));
            answer.put("idTokenClaims", oidc.getIdToken().getJWTClaimsSet().toJSONObject());
            answer.put("accessToken", oidc.getAccessToken().getValue());
        } catch (Exception | AssertionError e) {
            status = 400;
            answer.put("error", e.getClass().getSimpleName());
            answer.put("message", String.valueOf(e.getMessage()));
        }
        context.setResponseHeader("Content-Type", "application/json");
        context.send(status, JSON.writeValueAsString(answer));
    }

    private static Map<String, Object> stringified(Map<String, Object> attributes) {
        Map<String, Object> out = new LinkedHashMap<>();
        attributes.forEach((name, value) -> out.put(name, value instanceof Iterable<?> || value instanceof Boolean
                || value instanceof Number ? value : String.valueOf(value)));
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
