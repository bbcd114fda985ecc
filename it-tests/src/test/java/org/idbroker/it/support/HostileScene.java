package org.idbroker.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A broker on a fresh database with provider {@code GenericOidc} pointing at a {@link HostileIdp},
 * where Alice has already signed in once (so a refused sign-in has an account, an identity, groups
 * and a session it must leave alone), and every log line is captured.
 */
public final class HostileScene implements AutoCloseable {

    public static final String PROVIDER = "GenericOidc";
    private static final Pattern ERROR_CODE = Pattern.compile("<code id=\"error-code\">([^<]*)</code>");

    private final TestingBroker broker;
    private final LogCapture logs;
    private final List<HostileIdp> retired = new ArrayList<>();
    private HostileIdp idp;
    private int rebuilds;

    private HostileScene(TestingBroker broker, LogCapture logs) {
        this.broker = broker;
        this.logs = logs;
    }

    /**
     * A broker on a fresh database with a provider whose Alice has signed in once; the provider is
     * scripted to present her again, asking for more groups.
     */
    public static HostileScene start() {
        HostileScene scene = startEmpty();
        scene.newIdp(true);
        return scene;
    }

    /** A broker on a fresh database, with provider {@link #PROVIDER} pointing at a new provider nobody used yet. */
    public static HostileScene startEmpty() {
        LogCapture logs = LogCapture.start();
        TestingBroker broker = TestingBroker.start();
        HostileScene scene = new HostileScene(broker, logs);
        scene.newIdp(false);
        return scene;
    }

    /**
     * Points {@link #PROVIDER} at a new provider (another issuer, fresh keys and counters), so the
     * broker builds a new provider instance with empty caches; with {@code aliceFirst}, Alice signs
     * in through it once (linked by her verified email to her account after the first time).
     */
    public HostileIdp newIdp(boolean aliceFirst) {
        if (idp != null) {
            retired.add(idp);
        }
        idp = HostileIdp.start("hostile");
        configure(PROVIDER, idp, "Hostile IdP");
        if (aliceFirst) {
            idp.signsIn("sub-alice", alice(List.of("staff")));
            List<HttpResponse<String>> hops = new TestingBrowser().signIn(broker, PROVIDER);
            assertThat(callback(hops).statusCode()).as("Alice's sign-in: " + hops.get(hops.size() - 1).body()).isEqualTo(303);
            idp.signsIn("sub-alice", alice(List.of("staff", "administrators")));
        }
        return idp;
    }

    /** Configures provider {@code id} for {@code provider}, enabled, with automatic user creation. */
    public void configure(String id, HostileIdp provider, String displayName, String... extra) {
        Path secret = TestingBroker.writeTemp(provider.clientSecret());
        List<String> args = new ArrayList<>(List.of("--provider", id, "--enabled", "true", "--issuer", provider.issuer(),
                "--client-id", provider.clientId(), "--client-secret-file", secret.toString(), "--display-name", displayName,
                "--scopes", "openid profile email groups", "--role-claim-type", "groups"));
        if (!List.of(extra).contains("--allow-auto-user-creation")) {
            args.addAll(List.of("--allow-auto-user-creation", "true"));
        }
        args.addAll(List.of(extra));
        broker.configure(args.toArray(String[]::new));
        if (provider != idp && !retired.contains(provider)) {
            retired.add(provider);
        }
    }

    /** Saves the provider's settings again (a new version), so the broker builds it anew and re-reads discovery. */
    public void rebuildProvider() {
        configure(PROVIDER, idp, "Hostile IdP " + (++rebuilds));
    }

    public HostileIdp idp() {
        return idp;
    }

    public TestingBroker broker() {
        return broker;
    }

    public LogCapture logs() {
        return logs;
    }

    public BrokerState state() {
        return BrokerState.of(broker);
    }

    /** A sign-in through {@link #PROVIDER} in a new browser; every hop, the last one the landing page. */
    public SignInAttempt signIn() {
        return signIn(new TestingBrowser(), PROVIDER);
    }

    public SignInAttempt signIn(TestingBrowser browser, String providerId) {
        return new SignInAttempt(browser, browser.signIn(broker, providerId));
    }

    /** Starts a sign-in and stops at the callback address the provider sent the browser to. */
    public URI callbackOf(TestingBrowser browser) {
        HttpResponse<String> start = browser.navigate(broker.uri("/api/users/authenticate/" + PROVIDER));
        assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
        HttpResponse<String> atIdp = browser.navigate(URI.create(start.headers().firstValue("Location").orElseThrow()));
        return URI.create(atIdp.headers().firstValue("Location").orElseThrow());
    }

    /**
     * Checks what a refused sign-in must look like: the refusal page with this reason code and no
     * server error, no session cookie, nothing changed in the database, and no code or token the
     * provider handed out in the page, the logs or the events.
     */
    public void assertRefused(SignInAttempt attempt, BrokerState before, String reason) {
        HttpResponse<String> landing = attempt.landing();
        assertThat(landing.statusCode()).as("status of " + landing.uri() + ": " + landing.body()).isBetween(400, 599)
                .isNotEqualTo(500);
        assertThat(errorCode(landing)).as(landing.body()).hasValue(reason);
        assertThat(landing.body()).doesNotContain("Exception").doesNotContain("\tat ");
        assertNoSessionCookie(attempt);
        assertThat(state()).as("users, identities, groups and sessions").isEqualTo(before);
        assertNoSecretLeaked(landing.body());
    }

    /** No hop set a session cookie, and the browser holds none. */
    public static void assertNoSessionCookie(SignInAttempt attempt) {
        for (HttpResponse<String> hop : attempt.hops()) {
            assertThat(hop.headers().allValues("Set-Cookie")).as("Set-Cookie of " + hop.uri())
                    .noneMatch(c -> c.startsWith("idb_session=") && !c.startsWith("idb_session=;"));
        }
        assertThat(attempt.browser().cookie("idb_session")).isEmpty();
    }

    /** No code or token the providers handed out is in this text, in the logs, or in the events. */
    public void assertNoSecretLeaked(String page) {
        List<String> secrets = new ArrayList<>(idp.secretsHandedOut());
        retired.forEach(o -> secrets.addAll(o.secretsHandedOut()));
        List<String> events = broker.strings("select coalesce(reason, '') || ' ' || coalesce(message, '') || ' ' || details::text"
                + " from events");
        for (String secret : secrets) {
            String probe = secret.length() > 40 ? secret.substring(secret.length() - 40) : secret;
            assertThat(page).as("the page").doesNotContain(probe);
            assertThat(logs.lines()).as("the logs").noneMatch(line -> line.contains(probe));
            assertThat(events).as("the events").noneMatch(line -> line.contains(probe));
        }
    }

    /** The reason code shown on a refusal page, or in a JSON error. */
    public static Optional<String> errorCode(HttpResponse<String> response) {
        Matcher html = ERROR_CODE.matcher(response.body());
        if (html.find()) {
            return Optional.of(html.group(1));
        }
        Matcher json = Pattern.compile("\"error\"\\s*:\\s*\"([^\"]*)\"").matcher(response.body());
        return json.find() ? Optional.of(json.group(1)) : Optional.empty();
    }

    /** The broker's answer to the provider's redirect back. */
    public static HttpResponse<String> callback(List<HttpResponse<String>> hops) {
        return hops.stream().filter(h -> h.uri().getPath().startsWith("/api/users/authenticatedToken/")).findFirst().orElseThrow();
    }

    public static Map<String, Object> alice(List<String> groups) {
        return Map.of("preferred_username", "alice", "name", "Alice Doe", "email", "alice@example.com",
                "email_verified", true, "groups", groups);
    }

    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            idp.close();
            retired.forEach(HostileIdp::close);
            logs.close();
        }
    }

    /** One sign-in: the browser and every hop. */
    public record SignInAttempt(TestingBrowser browser, List<HttpResponse<String>> hops) {
        public HttpResponse<String> landing() {
            return hops.get(hops.size() - 1);
        }
    }
}
