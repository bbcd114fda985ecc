package org.idbroker.testkit.github;

import static org.idbroker.testkit.UpstreamExchanges.form;
import static org.idbroker.testkit.UpstreamExchanges.redirect;
import static org.idbroker.testkit.UpstreamExchanges.s256;
import static org.idbroker.testkit.UpstreamExchanges.send;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.idbroker.testkit.OAuth2Upstream;
import org.idbroker.testkit.TestPerson;

/**
 * A GitHub Enterprise Server over HTTP as GitHub documents it: {@code /login/oauth/authorize} (the person has
 * authorized the app already, so it redirects straight back with {@code code} and {@code state}, or with
 * {@code error=access_denied}), {@code /login/oauth/access_token} (JSON only when asked with
 * {@code Accept: application/json}, else form-encoded; errors such as {@code bad_verification_code} with
 * status 200; PKCE S256; each code used once), and the REST API under {@code /api/v3}: {@code /user},
 * {@code /user/emails}, {@code /user/orgs} and {@code /user/teams}, paginated ({@code per_page}, {@code page},
 * a {@code Link} header with {@code rel="next"}; a page holds at most {@link #maxPerPage(int)} items). An
 * organisation that has not approved the app is hidden from {@code /user/orgs} and {@code /user/teams}, as
 * GitHub's OAuth app access restrictions do.
 */
public final class TestingGitHub implements OAuth2Upstream {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An email address of an account. */
    public record Email(String email, boolean primary, boolean verified) { }

    /** An organisation the account belongs to; {@code approvedApp} false when it restricts OAuth apps and has not approved this one. */
    public record Org(String login, boolean approvedApp) { }

    /** A team the account is in. */
    public record Team(String org, String slug, String name) { }

    /** A GitHub account; {@code id} never changes, {@code login} can. */
    public record Account(long id, String login, String name, List<Email> emails, List<Org> orgs, List<Team> teams) {
        public Account withLogin(String newLogin) {
            return new Account(id, newLogin, name, emails, orgs, teams);
        }
    }

    private record Grant(Account account, String clientId, String redirectUri, String challenge) { }

    private record Scripted(Account account, String tokenError, String authorizeError) { }

    private final HttpServer server;
    private final String base;
    private final String redirectUri;
    private final String clientId = "Iv1." + HexFormat.of().formatHex(bytes(8));
    private final String clientSecret = HexFormat.of().formatHex(bytes(20));
    private final ConcurrentLinkedDeque<Scripted> next = new ConcurrentLinkedDeque<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Account> tokens = new ConcurrentHashMap<>();
    private final List<String> apiRequests = new CopyOnWriteArrayList<>();
    private volatile Map<String, String> lastAuthorization = Map.of();
    private volatile boolean lastExchangeProved;
    private volatile int maxPerPage = 100;

    private TestingGitHub(String redirectUri) throws IOException {
        this.redirectUri = redirectUri;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/login/oauth/authorize", this::authorize);
        server.createContext("/login/oauth/access_token", this::accessToken);
        server.createContext("/api/v3/user", this::api);
        server.createContext("/api/v3/meta", ex -> send(ex, 200, "application/json; charset=utf-8",
                "{\"verifiable_password_authentication\":false,\"installed_version\":\"3.14.0\"}"));
        server.start();
    }

    /** Starts the emulator with an OAuth app registered for the broker's {@code redirectUri}. */
    public static TestingGitHub start(String redirectUri) {
        try {
            return new TestingGitHub(redirectUri);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL of this GitHub Enterprise Server (its API is at /api/v3). */
    public String baseUrl() {
        return base;
    }

    @Override
    public String issuer() {
        return base;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public String clientSecret() {
        return clientSecret;
    }

    /** The most items GitHub puts on one page from now on (100 on github.com). */
    public void maxPerPage(int items) {
        maxPerPage = items;
    }

    /** The API requests received (path and query), oldest first. */
    public List<String> apiRequests() {
        return List.copyOf(apiRequests);
    }

    @Override
    public String subjectOf(TestPerson person) {
        return Long.toString(idOf(person));
    }

    /**
     * The account of a kit person: a numeric id derived from the person's id, the username as login, one primary
     * address verified as the person says, each group without {@code :} an organisation that approved the app and
     * each {@code org:team} a team (by slug and name alike).
     */
    public static Account accountOf(TestPerson person) {
        List<Org> orgs = new ArrayList<>();
        List<Team> teams = new ArrayList<>();
        for (String group : person.groups()) {
            int colon = group.indexOf(':');
            if (colon < 0) {
                orgs.add(new Org(group, true));
            } else {
                teams.add(new Team(group.substring(0, colon), group.substring(colon + 1), group.substring(colon + 1)));
            }
        }
        return new Account(idOf(person), person.username(), person.displayName(),
                List.of(new Email(person.email(), true, person.emailVerified())), orgs, teams);
    }

    private static long idOf(TestPerson person) {
        return 1_000_000L + Math.floorMod(person.id().hashCode(), 9_000_000);
    }

    @Override
    public void nextSignIn(TestPerson person) {
        nextSignIn(accountOf(person));
    }

    /** The next sign-in is this account. */
    public void nextSignIn(Account account) {
        next.add(new Scripted(account, null, null));
    }

    @Override
    public String nextSignInWithRefusedCode(TestPerson person) {
        next.add(new Scripted(accountOf(person), "bad_verification_code", null));
        return "bad_verification_code";
    }

    @Override
    public String nextSignInDeclined() {
        next.add(new Scripted(null, null, "access_denied"));
        return "access_denied";
    }

    @Override
    public Map<String, String> lastAuthorizationRequest() {
        return lastAuthorization;
    }

    @Override
    public boolean lastExchangeProvedTheChallenge() {
        return lastExchangeProved;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        lastAuthorization = Map.copyOf(query);
        if (!clientId.equals(query.get("client_id"))) {
            send(exchange, 404, "text/html", "<h1>404</h1><p>This is not the web page you are looking for.</p>");
            return;
        }
        if (!redirectUri.equals(query.get("redirect_uri"))) {
            redirect(exchange, redirectUri, Map.of("error", "redirect_uri_mismatch", "error_description",
                    "The redirect_uri MUST match the registered callback URL for this application.", "state", query.getOrDefault("state", "")));
            return;
        }
        Scripted scripted = next.poll();
        if (scripted == null) {
            send(exchange, 500, "text/plain", "the test scripted no sign-in");
            return;
        }
        if (scripted.authorizeError() != null) {
            redirect(exchange, redirectUri, Map.of("error", scripted.authorizeError(), "error_description",
                    "The user has denied your application access.", "state", query.getOrDefault("state", "")));
            return;
        }
        String code = HexFormat.of().formatHex(bytes(10));
        String challenge = "S256".equals(query.get("code_challenge_method")) ? query.get("code_challenge") : null;
        codes.put(code, new Grant(scripted.tokenError() == null ? scripted.account() : null, clientId, redirectUri, challenge));
        redirect(exchange, redirectUri, Map.of("code", code, "state", query.getOrDefault("state", "")));
    }

    private void accessToken(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        boolean json = exchange.getRequestHeaders().getOrDefault("Accept", List.of()).stream().anyMatch(a -> a.contains("application/json"));
        Grant grant = codes.remove(form.getOrDefault("code", ""));
        Map<String, Object> answer = new LinkedHashMap<>();
        lastExchangeProved = grant != null && grant.challenge() != null && form.get("code_verifier") != null
                && grant.challenge().equals(s256(form.get("code_verifier")));
        if (!clientId.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
            error(answer, "incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.");
        } else if (grant == null || grant.account() == null || (grant.challenge() != null && !lastExchangeProved)) {
            error(answer, "bad_verification_code", "The code passed is incorrect or expired.");
        } else if (form.get("redirect_uri") != null && !grant.redirectUri().equals(form.get("redirect_uri"))) {
            error(answer, "redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application.");
        } else {
            String token = "gho_" + HexFormat.of().formatHex(bytes(18));
            tokens.put(token, grant.account());
            answer.put("access_token", token);
            answer.put("token_type", "bearer");
            answer.put("scope", "read:org,read:user,user:email");
        }
        if (json) {
            send(exchange, 200, "application/json; charset=utf-8", JSON.writeValueAsString(answer));
        } else {
            StringBuilder text = new StringBuilder();
            answer.forEach((k, v) -> text.append(text.length() == 0 ? "" : "&").append(k).append('=').append(encode(v.toString())));
            send(exchange, 200, "application/x-www-form-urlencoded; charset=utf-8", text.toString());
        }
    }

    private static void error(Map<String, Object> answer, String code, String description) {
        answer.put("error", code);
        answer.put("error_description", description);
        answer.put("error_uri", "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#" + code.replace('_', '-'));
    }

    private void api(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        apiRequests.add(path + Optional.ofNullable(exchange.getRequestURI().getRawQuery()).map(q -> "?" + q).orElse(""));
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Account account = authorization == null ? null : tokens.get(authorization.replaceFirst("^(?i)(bearer|token) ", ""));
        if (account == null) {
            send(exchange, 401, "application/json; charset=utf-8",
                    "{\"message\":\"Bad credentials\",\"documentation_url\":\"https://docs.github.com/rest\"}");
            return;
        }
        switch (path) {
            case "/api/v3/user" -> {
                Map<String, Object> user = new LinkedHashMap<>();
                user.put("login", account.login());
                user.put("id", account.id());
                user.put("node_id", "U_" + account.id());
                user.put("type", "User");
                user.put("name", account.name());
                user.put("email", null); // the public address, often none
                send(exchange, 200, "application/json; charset=utf-8", JSON.writeValueAsString(user));
            }
            case "/api/v3/user/emails" -> page(exchange, account.emails(), e -> Map.of("email", e.email(), "primary", e.primary(),
                    "verified", e.verified(), "visibility", e.primary() ? "private" : "public"));
            case "/api/v3/user/orgs" -> page(exchange, account.orgs().stream().filter(Org::approvedApp).toList(),
                    o -> Map.of("login", o.login(), "id", Math.abs(o.login().hashCode()), "url", base + "/api/v3/orgs/" + o.login()));
            case "/api/v3/user/teams" -> page(exchange, account.teams().stream().filter(t -> approved(account, t.org())).toList(),
                    t -> Map.of("name", t.name(), "slug", t.slug(), "organization", Map.of("login", t.org())));
            default -> send(exchange, 404, "application/json; charset=utf-8", "{\"message\":\"Not Found\"}");
        }
    }

    private static boolean approved(Account account, String org) {
        return account.orgs().stream().noneMatch(o -> o.login().equals(org) && !o.approvedApp());
    }

    private <T> void page(HttpExchange exchange, List<T> items, Function<T, Map<String, Object>> view) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        int perPage = Math.min(maxPerPage, Integer.parseInt(query.getOrDefault("per_page", "30")));
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        int from = Math.min(items.size(), (page - 1) * perPage);
        int to = Math.min(items.size(), from + perPage);
        if (to < items.size()) {
            String path = exchange.getRequestURI().getPath();
            String nextUri = base + path + "?per_page=" + perPage + "&page=" + (page + 1);
            String last = base + path + "?per_page=" + perPage + "&page=" + ((items.size() + perPage - 1) / perPage);
            exchange.getResponseHeaders().add("Link", "<" + nextUri + ">; rel=\"next\", <" + last + ">; rel=\"last\"");
        }
        send(exchange, 200, "application/json; charset=utf-8",
                JSON.writeValueAsString(items.subList(from, to).stream().map(view).toList()));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
