package org.idbroker.providers.github;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.idbroker.spi.BoundedHttp;
import org.idbroker.spi.IdpCalls;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;

/**
 * The calls to GitHub: the code exchange at the token endpoint (whose errors come with status 200) and the REST API
 * ({@code /user}, {@code /user/emails}, {@code /user/orgs}, {@code /user/teams}), paginated through the {@code Link}
 * header. Every call has the instance's deadline for the whole exchange and a cap on the answer.
 */
final class GitHubApi {

    static final int MAX_ANSWER_BYTES = 1024 * 1024;
    /** GitHub's largest page; at most this many pages are read of one list (2,000 organisations or teams). */
    private static final int PER_PAGE = 100;
    private static final int MAX_PAGES = 20;
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final GitHubConfig config;
    private final HttpClient client;

    GitHubApi(GitHubConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.client = BoundedHttp.newClient(config.timeout());
    }

    /** Exchanges the code for an access token; GitHub's refusals (status 200, an {@code error} field) are refusals here. */
    String exchange(String code, String codeVerifier) throws SignInRejectedException {
        String form = "client_id=" + encode(config.clientId()) + "&client_secret=" + encode(config.clientSecret())
                + "&code=" + encode(code) + "&redirect_uri=" + encode(config.redirectUri().toString())
                + "&code_verifier=" + encode(codeVerifier);
        HttpRequest request = HttpRequest.newBuilder(config.tokenUri()).timeout(config.timeout())
                .header("Accept", "application/json").header("Content-Type", "application/x-www-form-urlencoded")
                .header("User-Agent", "IdBroker").POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<byte[]> response = send(request, IdpCalls.TOKEN, "the token endpoint");
        if (response.statusCode() != 200) {
            throw unavailable("GitHub's token endpoint " + config.tokenUri() + " answered HTTP " + response.statusCode());
        }
        Map<String, Object> answer = object(response, "the token endpoint");
        Object error = answer.get("error");
        if (error != null) {
            throw TokenErrors.refusal(String.valueOf(error), string(answer, "error_description"), config);
        }
        return Optional.ofNullable(string(answer, "access_token")).orElseThrow(() -> unavailable(
                "GitHub's token endpoint answered neither an access_token nor an error"));
    }

    /** {@code GET /meta}, which answers without a token (the doctor's check that the API is there). */
    Map<String, Object> meta() throws SignInRejectedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.apiUri() + "/meta")).timeout(config.timeout())
                .header("Accept", "application/vnd.github+json").header("User-Agent", "IdBroker").GET().build();
        HttpResponse<byte[]> response = send(request, "meta", "the API's meta information");
        if (response.statusCode() != 200) {
            throw unavailable("GitHub's API at " + config.apiUri() + " answered HTTP " + response.statusCode());
        }
        return object(response, "the API's meta information");
    }

    /** One object of the REST API, such as {@code /user}. */
    Map<String, Object> object(String token, String path, String what) throws SignInRejectedException {
        HttpResponse<byte[]> response = get(token, config.apiUri() + path, what);
        return object(response, what);
    }

    /** Every item of a paginated list of the REST API, such as {@code /user/orgs}, following {@code rel="next"}. */
    List<Map<String, Object>> list(String token, String path, String what) throws SignInRejectedException {
        List<Map<String, Object>> items = new ArrayList<>();
        String next = config.apiUri() + path + "?per_page=" + PER_PAGE;
        for (int page = 1; next != null; page++) {
            if (page > MAX_PAGES) {
                throw new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE, "GitHub lists more than "
                        + MAX_PAGES * PER_PAGE + " " + what + " for this person: the broker reads no more");
            }
            HttpResponse<byte[]> response = get(token, next, what);
            Object parsed = parse(response, what);
            if (!(parsed instanceof List<?> values)) {
                throw unavailable("GitHub's " + what + " answer is not a list");
            }
            for (Object value : values) {
                if (value instanceof Map<?, ?> map) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> item = (Map<String, Object>) map;
                    items.add(item);
                }
            }
            next = nextPage(response).orElse(null);
        }
        return items;
    }

    /** The {@code rel="next"} address of the {@code Link} header, only when it is on the API's own origin. */
    private Optional<String> nextPage(HttpResponse<byte[]> response) throws SignInRejectedException {
        Optional<String> link = response.headers().firstValue("Link");
        if (link.isEmpty()) {
            return Optional.empty();
        }
        Matcher matcher = NEXT.matcher(link.get());
        if (!matcher.find()) {
            return Optional.empty();
        }
        URI next = URI.create(matcher.group(1));
        URI api = config.apiUri();
        if (!api.getScheme().equalsIgnoreCase(next.getScheme()) || !api.getAuthority().equalsIgnoreCase(next.getAuthority())) {
            // the access token goes only to GitHub's own API
            throw unavailable("GitHub's next page is at another address (" + next.getAuthority() + ") than its API");
        }
        return Optional.of(next.toString());
    }

    private HttpResponse<byte[]> get(String token, String uri, String what) throws SignInRejectedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(config.timeout())
                .header("Accept", "application/vnd.github+json").header("X-GitHub-Api-Version", "2022-11-28")
                .header("Authorization", "Bearer " + token).header("User-Agent", "IdBroker").GET().build();
        HttpResponse<byte[]> response = send(request, IdpCalls.USERINFO, what);
        int status = response.statusCode();
        if (status == 200) {
            return response;
        }
        if ((status == 403 || status == 429) && response.headers().firstValue("X-RateLimit-Remaining").filter("0"::equals).isPresent()) {
            throw unavailable("GitHub's API rate limit for this application is used up (HTTP " + status + "): sign in again"
                    + " later (it resets at " + response.headers().firstValue("X-RateLimit-Reset").orElse("?") + ", epoch seconds)");
        }
        if (status == 401 || status == 403 || status == 404) {
            throw new SignInRejectedException(RejectionReason.IDP_ERROR, "GitHub refused to show the person's " + what
                    + " (HTTP " + status + "): check that the Scopes setting includes " + scopeFor(what)
                    + " and that the person granted it");
        }
        throw unavailable("GitHub's API answered HTTP " + status + " for the person's " + what);
    }

    private static String scopeFor(String what) {
        return switch (what) {
            case "email addresses" -> "user:email";
            case "organisations", "teams" -> "read:org";
            default -> "read:user";
        };
    }

    private HttpResponse<byte[]> send(HttpRequest request, String endpoint, String what) throws SignInRejectedException {
        long started = System.nanoTime();
        try {
            HttpResponse<byte[]> response = BoundedHttp.send(client, request, config.timeout(), MAX_ANSWER_BYTES);
            config.idpCalls().called(endpoint, response.statusCode() < 400 ? IdpCalls.Outcome.OK : IdpCalls.Outcome.HTTP_ERROR,
                    System.nanoTime() - started);
            return response;
        } catch (IOException e) {
            config.idpCalls().called(endpoint, IdpCalls.Outcome.UNREACHABLE, System.nanoTime() - started);
            throw unavailable("GitHub (" + request.uri().getAuthority() + ") gave no usable answer for " + what + ": "
                    + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()));
        }
    }

    private static Map<String, Object> object(HttpResponse<byte[]> response, String what) throws SignInRejectedException {
        if (parse(response, what) instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) map;
            return object;
        }
        throw unavailable("GitHub's answer for " + what + " is not a JSON object");
    }

    private static Object parse(HttpResponse<byte[]> response, String what) throws SignInRejectedException {
        try {
            return Json.parse(new String(response.body(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw unavailable("GitHub's answer for " + what + " is " + e.getMessage() + " (Content-Type "
                    + response.headers().firstValue("Content-Type").orElse("none") + ")");
        }
    }

    static String string(Map<String, Object> object, String name) {
        return object.get(name) instanceof String s && !s.isBlank() ? s : null;
    }

    private static SignInRejectedException unavailable(String message) {
        return new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE, message);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
