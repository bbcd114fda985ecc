package org.idbroker.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One load-driver worker signing people in to Keycloak's realm {@code bench} through its identity provider
 * {@code bench} (the bench's IdP), as a browser does: every sign-in with empty cookie jars (a new browser), on the
 * worker's two keep-alive connections (Keycloak, IdP). It starts at the realm's authorization endpoint for the client
 * {@code app} with {@code kc_idp_hint=bench}, follows every redirect on either side, fills the IdP's login form exactly
 * as {@link FormBrowser} does, and ends at Keycloak's redirect to the app's {@code redirect_uri} with a {@code code}
 * (the driver never calls the app). Any other answer (a page of Keycloak's, an error) fails the sign-in. Not thread-safe.
 */
final class KeycloakBrowser implements BenchTarget.Worker {

    /** Where the app would be: nobody listens there, the driver stops at the redirect. */
    static final String APP_REDIRECT_URI = "http://127.0.0.1:1/cb";
    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");
    private static final Pattern TITLE = Pattern.compile("<title>([^<]*)</title>");
    private static final int MAX_STEPS = 16;

    private final int keycloakPort;
    private final int idpPort;
    private final HttpConnection keycloak;
    private final HttpConnection idp;
    private final String authorize;
    private final SecureRandom random = new SecureRandom();

    KeycloakBrowser(int keycloakPort, int idpPort, String realm, String clientId, String identityProvider) {
        this.keycloakPort = keycloakPort;
        this.idpPort = idpPort;
        this.keycloak = new HttpConnection(keycloakPort, "text/html");
        this.idp = new HttpConnection(idpPort, "text/html");
        this.authorize = "/realms/" + realm + "/protocol/openid-connect/auth?client_id=" + clientId
                + "&response_type=code&scope=openid&redirect_uri=" + URLEncoder.encode(APP_REDIRECT_URI, StandardCharsets.UTF_8)
                + "&kc_idp_hint=" + identityProvider;
    }

    /** Signs {@code username} in at the IdP's form; returns the authorization code Keycloak gives the app. */
    @Override
    public String signIn(String username) throws IOException {
        CookieJar keycloakJar = new CookieJar();
        CookieJar idpJar = new CookieJar();
        String state = token();
        String url = "http://127.0.0.1:" + keycloakPort + authorize + "&state=" + state + "&nonce=" + token();
        boolean formFilled = false;
        for (int step = 0; step < MAX_STEPS; step++) {
            URI uri = URI.create(url);
            boolean atIdp = uri.getPort() == idpPort;
            if (!atIdp && uri.getPort() != keycloakPort) {
                throw new IOException("sent to " + url);
            }
            HttpConnection connection = atIdp ? idp : keycloak;
            CookieJar jar = atIdp ? idpJar : keycloakJar;
            String path = uri.getRawPath();
            String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
            HttpConnection.Response answer = connection.get(target, jar.header(path));
            jar.take(answer, path);
            if (atIdp && answer.status() == 200 && !formFilled) {
                Matcher action = FORM_ACTION.matcher(new String(answer.body(), StandardCharsets.UTF_8));
                if (!action.find()) {
                    throw new IOException("the IdP's page at " + path + " has no form");
                }
                String post = action.group(1).replace("&amp;", "&");
                byte[] form = ("username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                        + URLEncoder.encode(OidcProviderProcess.PASSWORD, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                String postPath = post.contains("?") ? post.substring(0, post.indexOf('?')) : post;
                answer = idp.send("POST", post, idpJar.header(postPath), "Content-Type: application/x-www-form-urlencoded", form);
                idpJar.take(answer, postPath);
                formFilled = true;
                uri = URI.create("http://127.0.0.1:" + idpPort + postPath);
            }
            String location = answer.header("location");
            if ((answer.status() != 302 && answer.status() != 303) || location == null) {
                throw new IOException((atIdp ? "the IdP's " : "Keycloak's ") + path + " answered " + answer.status() + ": " + summary(answer));
            }
            url = uri.resolve(location).toString();
            if (url.startsWith(APP_REDIRECT_URI + "?")) {
                String query = URI.create(url).getRawQuery();
                String code = parameter(query, "code");
                if (code == null || !state.equals(parameter(query, "state"))) {
                    throw new IOException("Keycloak sent the app no code for its state: " + url.replaceAll("code=[^&]*", "code=..."));
                }
                return code;
            }
        }
        throw new IOException("no redirect to the app after " + MAX_STEPS + " steps; last at " + url);
    }

    private String token() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String parameter(String query, String name) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    /** A failed answer in a few words: its page's title, else its first lines. */
    private static String summary(HttpConnection.Response answer) {
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        Matcher title = TITLE.matcher(body);
        return title.find() ? "page \"" + title.group(1).trim() + "\"" : body.lines().limit(2).toList().toString();
    }

    @Override
    public void close() {
        keycloak.close();
        idp.close();
    }
}
