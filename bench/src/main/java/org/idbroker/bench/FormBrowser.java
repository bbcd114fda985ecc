package org.idbroker.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One load-driver worker signing people in as a browser does through a real OpenID provider's login form: every
 * sign-in starts with an empty cookie jar (a new browser), on the worker's two keep-alive connections (broker, IdP).
 * The requests: the broker's start, the IdP's authorization endpoint, its login page, the form post, the IdP's
 * resumed authorization (which redirects back), and the broker's callback; the sign-in ends at the broker's final
 * redirect. Not thread-safe.
 */
final class FormBrowser implements BenchTarget.Worker {

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");

    private final HttpConnection broker;
    private final HttpConnection idp;
    private final String providerId;

    FormBrowser(int brokerPort, int idpPort, String providerId) {
        this.broker = new HttpConnection(brokerPort, "text/html");
        this.idp = new HttpConnection(idpPort, "text/html");
        this.providerId = providerId;
    }

    /** Signs {@code username} in at the IdP's form; returns the broker's session token. */
    @Override
    public String signIn(String username) throws IOException {
        CookieJar brokerJar = new CookieJar();
        CookieJar idpJar = new CookieJar();
        String start = "/api/users/authenticate/" + providerId;
        HttpConnection.Response started = broker.get(start, null);
        brokerJar.take(started, start);
        String authorize = expectRedirect(started, "the broker's start");

        HttpConnection.Response atIdp = idp.get(authorize, idpJar.header(path(authorize)));
        idpJar.take(atIdp, path(authorize));
        String loginPage = expectRedirect(atIdp, "the IdP's authorization endpoint");

        HttpConnection.Response page = idp.get(loginPage, idpJar.header(path(loginPage)));
        idpJar.take(page, path(loginPage));
        Matcher action = FORM_ACTION.matcher(new String(page.body(), StandardCharsets.UTF_8));
        if (page.status() != 200 || !action.find()) {
            throw new IOException("the IdP's login page answered " + page.status() + " without a form");
        }
        String post = action.group(1).replace("&amp;", "&");
        byte[] form = ("username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(OidcProviderProcess.PASSWORD, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        HttpConnection.Response posted = idp.send("POST", post, idpJar.header(path(post)),
                "Content-Type: application/x-www-form-urlencoded", form);
        idpJar.take(posted, path(post));
        String resume = expectRedirect(posted, "the IdP's login form");

        HttpConnection.Response resumed = idp.get(resume, idpJar.header(path(resume)));
        idpJar.take(resumed, path(resume));
        String callback = expectRedirect(resumed, "the IdP's resumed authorization");

        HttpConnection.Response done = broker.get(callback, brokerJar.header(path(callback)));
        String session = done.setCookie("idb_session");
        if (done.status() != 303 || session == null) {
            throw new IOException("the callback answered " + done.status() + ": "
                    + new String(done.body(), StandardCharsets.UTF_8).lines().limit(3).toList());
        }
        return session;
    }

    /** The path and query of a redirect's {@code Location} (absolute or not). */
    private static String expectRedirect(HttpConnection.Response response, String what) throws IOException {
        String location = response.header("location");
        if ((response.status() != 302 && response.status() != 303) || location == null) {
            throw new IOException(what + " answered " + response.status() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8).lines().limit(2).toList());
        }
        URI uri = URI.create(location);
        return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
    }

    private static String path(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    @Override
    public void close() {
        broker.close();
        idp.close();
    }
}
