package org.idbroker.it.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.idbroker.core.crypto.SecretCipher;
import org.idbroker.core.signin.LoginState;
import org.idbroker.core.signin.LoginStateException;
import org.idbroker.core.signin.LoginStates;
import org.idbroker.it.support.BrokerState;
import org.idbroker.it.support.HostileIdp;
import org.idbroker.it.support.HostileIdp.Answer;
import org.idbroker.it.support.HostileScene;
import org.idbroker.it.support.HostileScene.SignInAttempt;
import org.idbroker.it.support.TestingBrowser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The flow around the tokens: the state that ties a callback to one sign-in in one browser, and a
 * provider whose endpoints fail, stall, flood, or contradict each other.
 */
class HostileFlowTest {

    private static HostileScene scene;
    private HostileIdp idp;
    private BrokerState before;

    @BeforeAll
    static void startBroker() {
        scene = HostileScene.startEmpty();
    }

    @AfterAll
    static void stopBroker() {
        scene.close();
    }

    @BeforeEach
    void newProvider() {
        idp = scene.newIdp(true);
        before = scene.state();
    }

    private SignInAttempt navigate(TestingBrowser browser, URI uri) {
        return new SignInAttempt(browser, List.of(browser.navigate(uri)));
    }

    @Test
    void refusesACallbackWithoutState() {
        TestingBrowser browser = new TestingBrowser();
        URI callback = scene.callbackOf(browser);

        SignInAttempt attempt = navigate(browser, URI.create(callback.toString().replaceFirst("state=[^&]+&?", "")));

        scene.assertRefused(attempt, before, "state_missing");
    }

    @Test
    void refusesAnUnknownState() {
        TestingBrowser browser = new TestingBrowser();
        URI callback = scene.callbackOf(browser);

        SignInAttempt attempt = navigate(browser, URI.create(callback.toString().replaceFirst("state=[^&]+", "state=forged")));

        scene.assertRefused(attempt, before, "state_unknown");
    }

    @Test
    void refusesAnExpiredState() throws Exception {
        TestingBrowser browser = new TestingBrowser();
        URI callback = expired(browser, scene.callbackOf(browser));

        SignInAttempt attempt = navigate(browser, callback);

        scene.assertRefused(attempt, before, "state_expired");
        assertThat(idp.tokenRequests()).as("no code exchanged for an expired sign-in").isEqualTo(1);
    }

    /** The callback with its state sealed again as the broker sealed it, but 10 minutes and a second earlier. */
    private static URI expired(TestingBrowser browser, URI callback) throws LoginStateException {
        String state = Arrays.stream(callback.getRawQuery().split("&")).filter(p -> p.startsWith("state="))
                .map(p -> URLDecoder.decode(p.substring(6), StandardCharsets.UTF_8)).findFirst().orElseThrow();
        String binding = browser.cookie("idb_login").orElseThrow();
        SecretCipher cipher = new SecretCipher(Base64.getDecoder().decode(scene.broker().masterKey()));
        LoginState opened = new LoginStates(scene.broker().jdbi(), cipher, Clock.systemUTC())
                .open(state, binding, HostileScene.PROVIDER, null);
        Clock earlier = Clock.offset(Clock.systemUTC(), LoginStates.LIFETIME.plusSeconds(1).negated());
        String sealed = new LoginStates(scene.broker().jdbi(), cipher, earlier).seal(opened.id(), binding, opened.providerId(),
                opened.remembered(), opened.redirectAfter(), opened.mode(), opened.startedBy(), null);
        return URI.create(callback.toString().replace("state=" + state, "state=" + sealed));
    }

    @Test
    void refusesAReplayedCallbackEvenWithTheLoginCookie() {
        TestingBrowser browser = new TestingBrowser();
        URI callback = scene.callbackOf(browser);
        assertThat(browser.navigate(callback).statusCode()).isEqualTo(303);
        BrokerState afterSignIn = scene.state();
        TestingBrowser thief = new TestingBrowser();
        thief.setCookie(scene.broker().baseUri(), "idb_login", browser.cookie("idb_login").orElseThrow());

        SignInAttempt replay = navigate(thief, callback);

        scene.assertRefused(replay, afterSignIn, "state_unknown");
    }

    @Test
    void refusesACallbackCarriedToAnotherBrowser() {
        URI callback = scene.callbackOf(new TestingBrowser());

        SignInAttempt attempt = navigate(new TestingBrowser(), callback);

        scene.assertRefused(attempt, before, "state_other_browser");
    }

    @Test
    void refusesACallbackForAnotherProviderId() {
        TestingBrowser browser = new TestingBrowser();
        URI callback = scene.callbackOf(browser);

        SignInAttempt attempt = navigate(browser, URI.create(callback.toString().replace("/GenericOidc?", "/OtherProvider?")));

        scene.assertRefused(attempt, before, "state_unknown");
    }

    @Test
    void showsAnErrorFromTheProviderAsAPlainMessage() {
        idp.answerAuthorizeRequests(grant -> "error=access_denied&error_description=The+user+said+no&state="
                + HostileIdp.encode(grant.request().state()));

        SignInAttempt attempt = scene.signIn();

        scene.assertRefused(attempt, before, "idp_error");
        assertThat(attempt.landing().body()).contains("access_denied").contains("The user said no");
        assertThat(idp.tokenRequests()).as("nothing exchanged").isEqualTo(1);
    }

    @Test
    void escapesMarkupInTheProvidersErrorDescription() {
        idp.answerAuthorizeRequests(grant -> "error=access_denied&error_description="
                + HostileIdp.encode("<script>alert('x')</script>\r\nINFO forged log line") + "&state="
                + HostileIdp.encode(grant.request().state()));

        SignInAttempt attempt = scene.signIn();

        scene.assertRefused(attempt, before, "idp_error");
        assertThat(attempt.landing().body()).doesNotContain("<script>").contains("&lt;script&gt;");
        assertThat(scene.logs().lines()).noneMatch(line -> line.contains("\n") || line.contains("\r"));
    }

    @Test
    void refusesACallbackFromAnotherIssuer() {
        idp.answerAuthorizeRequests(grant -> "code=" + grant.code() + "&state=" + HostileIdp.encode(grant.request().state())
                + "&iss=" + HostileIdp.encode("https://evil.example.com/"));

        scene.assertRefused(scene.signIn(), before, "invalid_callback");
    }

    @Test
    void refusesACallbackWithoutCode() {
        idp.answerAuthorizeRequests(grant -> "state=" + HostileIdp.encode(grant.request().state()));

        scene.assertRefused(scene.signIn(), before, "invalid_callback");
    }

    @Test
    void refusesACallbackWithTwoCodes() {
        idp.answerAuthorizeRequests(grant -> "code=" + grant.code() + "&code=another&state=" + HostileIdp.encode(grant.request().state()));

        scene.assertRefused(scene.signIn(), before, "invalid_callback");
    }

    @Test
    void refusesWhenTheTokenEndpointRefusesTheCode() {
        idp.answerTokenRequests(grant -> Answer.json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"code expired\"}"));

        SignInAttempt attempt = scene.signIn();

        scene.assertRefused(attempt, before, "code_rejected");
        assertThat(attempt.landing().body()).contains("invalid_grant");
    }

    @Test
    void refusesWhenTheTokenEndpointIsDown() {
        idp.tokenEndpointDown();
        scene.rebuildProvider();

        SignInAttempt attempt = scene.signIn();

        scene.assertRefused(attempt, before, "idp_unavailable");
        assertThat(attempt.landing().statusCode()).isEqualTo(502);
    }

    @Test
    void givesUpOnASlowTokenEndpointWithinTheTimeLimit() {
        idp.answerTokenRequests(grant -> new Answer(200, "application/json", "{}", Duration.ofSeconds(8)));

        long started = System.nanoTime();
        SignInAttempt attempt = scene.signIn();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        scene.assertRefused(attempt, before, "idp_unavailable");
        assertThat(took).isLessThan(Duration.ofMillis(7_500));
    }

    @Test
    void theIdpTimeoutSettingBoundsTheWait() {
        scene.configure(HostileScene.PROVIDER, idp, "Hostile IdP", "--set", "idpTimeoutSeconds=1");
        idp.answerTokenRequests(grant -> new Answer(200, "application/json", "{}", Duration.ofSeconds(4)));

        long started = System.nanoTime();
        SignInAttempt attempt = scene.signIn();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        scene.assertRefused(attempt, before, "idp_unavailable");
        assertThat(attempt.landing().body()).contains("no complete answer within 1 s");
        assertThat(took).as("one second for the token request, not the default five").isLessThan(Duration.ofMillis(3_500));
    }

    @Test
    void givesUpOnATokenEndpointDrippingItsAnswerWithinTheTimeLimit() {
        idp.answerTokenRequests(grant -> new Answer(200, "application/json", "{\"access_token\":\"" + "x".repeat(40) + "\"}",
                Duration.ZERO, Duration.ofMillis(500)));

        long started = System.nanoTime();
        SignInAttempt attempt = scene.signIn();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        scene.assertRefused(attempt, before, "idp_unavailable");
        assertThat(took).as("each byte arrives within the read timeout, the whole answer does not").isLessThan(Duration.ofMillis(7_500));
    }

    @Test
    void refusesATokenEndpointAnswerLargerThanOneMebibyte() {
        idp.answerTokenRequests(grant -> Answer.json(200, "{\"padding\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}"));

        SignInAttempt attempt = scene.signIn();

        scene.assertRefused(attempt, before, "idp_unavailable");
        assertThat(attempt.landing().body()).contains("larger than");
    }

    @Test
    void refusesATokenEndpointAnsweringSomethingOtherThanJson() {
        idp.answerTokenRequests(grant -> new Answer(200, "text/html", "<html><body>Maintenance</body></html>", Duration.ZERO));

        scene.assertRefused(scene.signIn(), before, "idp_unavailable");
    }

    @Test
    void refusesATokenEndpointFailingWithAServerError() {
        idp.answerTokenRequests(grant -> new Answer(500, "text/html", "<html>java.lang.NullPointerException</html>", Duration.ZERO));

        scene.assertRefused(scene.signIn(), before, "idp_unavailable");
    }

    @Test
    void refusesATokenAnswerWithoutAnIdToken() {
        idp.answerTokenRequests(grant -> Answer.json(200, "{\"access_token\":\"at\",\"token_type\":\"Bearer\"}"));

        scene.assertRefused(scene.signIn(), before, "token_malformed");
    }

    @Test
    void refusesUserInfoAboutAnotherSubject() {
        // Alice's ID token carries every claim the settings use, so userinfo is read only when set to always
        scene.configure(HostileScene.PROVIDER, idp, "Hostile IdP", "--set", "userInfo=always");
        idp.answerUserInfo(subject -> Map.of("sub", "sub-mallory", "email", "mallory@example.com", "groups", List.of("administrators")));

        SignInAttempt attempt = scene.signIn();

        scene.assertRefused(attempt, before, "userinfo_subject_mismatch");
        assertThat(idp.userInfoRequests()).isEqualTo(1);
    }

    @Test
    void refusesUserInfoAboutAnotherSubjectWhenTheIdTokenLacksGroups() {
        idp.tweakClaims(claims -> claims.claim("groups", null));
        idp.answerUserInfo(subject -> Map.of("sub", "sub-mallory", "email", "mallory@example.com", "groups", List.of("administrators")));

        scene.assertRefused(scene.signIn(), before, "userinfo_subject_mismatch");
        assertThat(idp.userInfoRequests()).isEqualTo(1);
    }

    @Test
    void refusesUserInfoWithoutSubject() {
        scene.configure(HostileScene.PROVIDER, idp, "Hostile IdP", "--set", "userInfo=always");
        idp.answerUserInfo(subject -> Map.of("email", "mallory@example.com"));

        scene.assertRefused(scene.signIn(), before, "userinfo_subject_mismatch");
    }

    @Test
    void aRefusalPageIsNeverCached() {
        HttpResponse<String> response = new TestingBrowser().navigate(scene.broker().uri("/api/users/authenticatedToken/GenericOidc?state=x"));

        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }
}
