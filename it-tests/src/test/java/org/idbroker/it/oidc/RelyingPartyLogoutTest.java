package org.idbroker.it.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.it.support.TestingIdp;
import org.idbroker.it.support.TestingRelyingParty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RP-initiated logout: openid-client's end-session request, and the requests the broker must refuse. */
class RelyingPartyLogoutTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private TestingIdp idp;
    private TestingBroker broker;
    private TestingRelyingParty rp;
    private final TestingBrowser browser = new TestingBrowser();
    private JsonNode signedIn;

    @BeforeEach
    void start() throws Exception {
        idp = TestingIdp.start();
        broker = TestingBroker.start();
        broker.configureAsTheGuideSays(idp);
        int port = TestingRelyingParty.freePort();
        String secret = broker.createClient("wiki", "--redirect-uri", TestingRelyingParty.redirectUri(port),
                "--post-logout-redirect-uri", "http://127.0.0.1:" + port + "/logged-out");
        rp = TestingRelyingParty.start(broker.baseUri().toString(), "wiki", secret, "basic", port);
        idp.nextSignIn("sub-alice", OpenIdClientTest.alice());
        List<HttpResponse<String>> hops = browser.follow(rp.uri("/login"));
        signedIn = JSON.readTree(hops.get(hops.size() - 1).body());
        assertThat(signedIn.has("idToken")).as(signedIn.toString()).isTrue();
    }

    @AfterEach
    void stop() {
        rp.close();
        broker.close();
        idp.close();
    }

    @Test
    void theApplicationEndsTheBrokerSessionAndTheBrowserComesBackWithItsState() throws Exception {
        List<HttpResponse<String>> hops = browser.follow(rp.uri("/logout?idToken=" + enc(signedIn.get("idToken").asText())));

        JsonNode back = JSON.readTree(hops.get(hops.size() - 1).body());
        assertThat(back.get("loggedOut").asBoolean()).as(back.toString()).isTrue();
        assertThat(back.get("params").has("state")).isTrue();
        assertThat(signedInAtBroker()).isFalse();
        assertThat(broker.count("select count(*) from refresh_families")).isZero();
        assertThat(broker.strings("select details->>'clientId' from events where type = 'sign-out'")).containsExactly("wiki");
    }

    @Test
    void withoutAHintThePersonConfirmsWithAPostThatAnotherSiteCannotForge() throws Exception {
        // signing out at the IdP too is UpstreamHandOffTest's; here the broker's own page ends the sign-out
        broker.configure("--provider", "GenericOidc", "--set", "signOutAtIdp=false");
        HttpResponse<String> page = browser.navigate(broker.uri("/oauth2/logout?client_id=wiki"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("logout-form").contains("wiki");
        assertThat(signedInAtBroker()).isTrue();

        HttpResponse<String> forged = postForm("client_id=wiki&confirm=guessed");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(signedInAtBroker()).isTrue();

        Matcher confirm = Pattern.compile("name=\"confirm\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(confirm.find()).isTrue();
        HttpResponse<String> confirmed = postForm("client_id=wiki&confirm=" + enc(confirm.group(1)));
        assertThat(confirmed.statusCode()).isEqualTo(200);
        assertThat(confirmed.body()).contains("You are signed out");
        assertThat(signedInAtBroker()).isFalse();
    }

    @Test
    void refusesAnUnregisteredPostLogoutRedirectAndAHintFromAnotherIssuer() {
        String hint = signedIn.get("idToken").asText();
        for (String bad : List.of("https://evil.example.com/", rp.uri("/logged-out/").toString(), rp.uri("/other").toString())) {
            HttpResponse<String> refused = browser.navigate(broker.uri("/oauth2/logout?id_token_hint=" + enc(hint)
                    + "&post_logout_redirect_uri=" + enc(bad)));
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.headers().firstValue("Location")).isEmpty();
        }
        // without a client, no post-logout redirect is acceptable
        assertThat(browser.navigate(broker.uri("/oauth2/logout?post_logout_redirect_uri=" + enc(rp.uri("/logged-out").toString())))
                .statusCode()).isEqualTo(400);
        String foreign = idp.logoutToken("sub-alice", java.util.Map.of());
        HttpResponse<String> otherIssuer = browser.navigate(broker.uri("/oauth2/logout?id_token_hint=" + enc(foreign)));
        assertThat(otherIssuer.statusCode()).isEqualTo(400);
        assertThat(otherIssuer.body()).contains("did not sign");
        assertThat(signedInAtBroker()).isTrue();
    }

    private boolean signedInAtBroker() {
        return browser.getJson(broker.uri("/api/users/me")).statusCode() == 200;
    }

    private HttpResponse<String> postForm(String form) {
        return browser.send(HttpRequest.newBuilder(broker.uri("/oauth2/logout")).header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
