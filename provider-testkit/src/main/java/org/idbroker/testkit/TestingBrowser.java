package org.idbroker.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A browser as far as the broker can tell: keeps cookies, follows redirects one at a time (so a
 * test can see each hop), and asks for HTML when it navigates.
 */
public class TestingBrowser {

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    /** A navigation: GET with {@code Accept: text/html}. */
    public HttpResponse<String> navigate(URI uri) {
        return send(HttpRequest.newBuilder(uri).header("Accept", "text/html,application/xhtml+xml").GET().build());
    }

    /** A script's call: GET with {@code Accept: application/json}. */
    public HttpResponse<String> getJson(URI uri) {
        return send(HttpRequest.newBuilder(uri).header("Accept", "application/json").GET().build());
    }

    /** A script's POST, with the header the broker's pages send. */
    public HttpResponse<String> postJson(URI uri, String json) {
        return send(HttpRequest.newBuilder(uri).header("Accept", "application/json").header("Content-Type", "application/json")
                .header("X-Requested-With", "idbroker").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A script's PUT of a JSON body, with the header the broker's pages send. */
    public HttpResponse<String> putJson(URI uri, String json) {
        return send(HttpRequest.newBuilder(uri).header("Accept", "application/json").header("Content-Type", "application/json")
                .header("X-Requested-With", "idbroker").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A script's DELETE, with the header the broker's pages send. */
    public HttpResponse<String> delete(URI uri) {
        return send(HttpRequest.newBuilder(uri).header("Accept", "application/json").header("X-Requested-With", "idbroker")
                .DELETE().build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Navigates to {@code start} and follows redirects until a page answers; returns every hop. */
    public List<HttpResponse<String>> follow(URI start) {
        List<HttpResponse<String>> hops = new ArrayList<>();
        URI next = start;
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = navigate(next);
            hops.add(response);
            Optional<String> location = response.headers().firstValue("Location");
            if (response.statusCode() / 100 != 3 || location.isEmpty()) {
                return hops;
            }
            next = response.uri().resolve(location.get());
        }
        throw new IllegalStateException("too many redirects from " + start);
    }

    /** Signs in through the broker's provider {@code providerId}; returns every hop, the last one the landing page. */
    public List<HttpResponse<String>> signIn(TestingBroker broker, String providerId) {
        return follow(broker.uri("/api/users/authenticate/" + providerId));
    }

    /**
     * Signs in through the broker's password form of {@code providerId}: opens {@code /app/sign-in/{providerId}}
     * (with this query, such as {@code mode=test}, or {@code null}), fills in the username and password and posts
     * the form as a browser does; returns every hop, the form's first.
     */
    public List<HttpResponse<String>> signInWithPassword(TestingBroker broker, String providerId, String query, String username,
            String password) {
        List<HttpResponse<String>> hops = new ArrayList<>(follow(broker.uri("/app/sign-in/" + providerId
                + (query == null ? "" : "?" + query))));
        HttpResponse<String> form = hops.get(hops.size() - 1);
        if (form.statusCode() != 200 || !form.body().contains("id=\"password-form\"")) {
            return hops;
        }
        hops.addAll(submitPasswordForm(form, username, password));
        return hops;
    }

    /** Fills in and posts the password form {@code form} shows; returns every hop from the post on. */
    public List<HttpResponse<String>> submitPasswordForm(HttpResponse<String> form, String username, String password) {
        return follow(submitPasswordFormOnce(form, username, password));
    }

    /** Fills in and posts the password form {@code form} shows; returns the broker's answer, its redirect not followed. */
    public HttpResponse<String> submitPasswordFormOnce(HttpResponse<String> form, String username, String password) {
        java.util.regex.Matcher state = java.util.regex.Pattern.compile("name=\"state\" value=\"([^\"]*)\"").matcher(form.body());
        java.util.regex.Matcher action = java.util.regex.Pattern.compile("<form method=\"post\" action=\"([^\"]*)\"").matcher(form.body());
        if (!state.find() || !action.find()) {
            throw new AssertionError("no password form at " + form.uri() + ": " + form.body());
        }
        return postFormOnce(form.uri().resolve(action.group(1)), "state=" + encode(state.group(1)) + "&username=" + encode(username)
                + "&password=" + encode(password));
    }

    /** Posts a form body as a browser does (no {@code X-Requested-With}) and follows the redirects; returns every hop. */
    public List<HttpResponse<String>> postForm(URI uri, String body) {
        return follow(postFormOnce(uri, body));
    }

    private HttpResponse<String> postFormOnce(URI uri, String body) {
        return send(HttpRequest.newBuilder(uri).header("Accept", "text/html,application/xhtml+xml")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** {@code answer} and, when it redirects, every hop after it. */
    private List<HttpResponse<String>> follow(HttpResponse<String> answer) {
        List<HttpResponse<String>> hops = new ArrayList<>();
        hops.add(answer);
        Optional<String> location = answer.headers().firstValue("Location");
        if (answer.statusCode() / 100 == 3 && location.isPresent()) {
            hops.addAll(follow(answer.uri().resolve(location.get())));
        }
        return hops;
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    public Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst();
    }

    public void setCookie(URI uri, String name, String value) {
        HttpCookie cookie = new HttpCookie(name, value);
        cookie.setPath("/");
        cookie.setVersion(0);
        cookies.getCookieStore().add(uri, cookie);
    }

    public void clearCookies() {
        cookies.getCookieStore().removeAll();
    }
}
