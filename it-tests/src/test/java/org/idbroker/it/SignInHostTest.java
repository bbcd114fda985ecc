package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.idbroker.it.support.BrokerScene;
import org.idbroker.it.support.TestingBrowser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A sign-in started at another name of the broker than its public URL ({@code 127.0.0.1} while the public URL is
 * {@code http://localhost:PORT}, as with start-dev): the IdP sends the browser back to the public URL, whose cookie
 * jar is another one. The broker sends the start to the public host first; a callback that still lost its cookie
 * that way is told so, with the address to use.
 */
class SignInHostTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    final BrokerScene scene = BrokerScene.asTheGuideSays();

    private final TestingBrowser browser = new TestingBrowser();

    @Test
    void aSignInStartedAtAnotherHostNameGoesToThePublicHostFirstAndSucceeds() throws Exception {
        assertThat(scene.broker().baseUri().getHost()).isEqualTo("localhost");
        scene.idp().nextSignIn("sub-alice", alice());

        HttpResponse<String> first = browser.navigate(otherHost("/api/users/authenticate/GenericOidc?redirectAfterLoginTo=/app/teams"));

        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(first.headers().firstValue("Location"))
                .hasValue(scene.broker().baseUri() + "/api/users/authenticate/GenericOidc?redirectAfterLoginTo=%2Fapp%2Fteams&hostChecked=1");
        assertThat(first.headers().allValues("Set-Cookie")).isEmpty();

        List<HttpResponse<String>> hops = browser.follow(URI.create(first.headers().firstValue("Location").orElseThrow()));

        HttpResponse<String> callback = hops.stream().filter(h -> h.uri().getPath().startsWith("/api/users/authenticatedToken/"))
                .findFirst().orElseThrow();
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(303);
        assertThat(callback.headers().firstValue("Location")).hasValue(scene.broker().baseUri() + "/app/teams");
        HttpResponse<String> me = browser.getJson(scene.broker().uri("/api/users/me"));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(me.body()).get("username").asText()).isEqualTo("alice");
        assertThat(scene.broker().strings("select outcome from events where type = 'sign-in'")).containsExactly("success");
    }

    @Test
    void theTestModeAndItsTargetAreKeptAndAStartOnThePublicHostIsNotRedirected() {
        HttpResponse<String> test = browser.navigate(otherHost("/api/users/authenticate/GenericOidc?mode=test&redirectAfterLoginTo=/a%20b?c=d%26e"));
        assertThat(test.statusCode()).isEqualTo(302);
        assertThat(test.headers().firstValue("Location")).hasValue(scene.broker().baseUri()
                + "/api/users/authenticate/GenericOidc?redirectAfterLoginTo=%2Fa+b%3Fc%3Dd%26e&mode=test&hostChecked=1");

        HttpResponse<String> onPublic = browser.navigate(scene.broker().uri("/api/users/authenticate/GenericOidc"));
        assertThat(onPublic.statusCode()).isEqualTo(302);
        assertThat(onPublic.headers().firstValue("Location").orElseThrow()).startsWith(scene.idp().issuer());
    }

    @Test
    void aStartAlreadySentToThePublicHostIsNeverSentAgain() {
        // as behind a proxy that rewrites Host to the broker's own address: one hop, then the sign-in starts
        HttpResponse<String> start = browser.navigate(otherHost("/api/users/authenticate/GenericOidc?hostChecked=1"));

        assertThat(start.statusCode()).isEqualTo(302);
        assertThat(start.headers().firstValue("Location").orElseThrow()).startsWith(scene.idp().issuer());
        assertThat(browser.cookie("idb_login")).as("the sign-in started: its state is in the address").isPresent();
    }

    @Test
    void aCallbackThatLostItsCookieToAnotherHostNameSaysSoAndNamesTheAddressToUse() {
        scene.idp().nextSignIn("sub-alice", alice());
        // a sign-in that did start at 127.0.0.1 (its cookie kept for 127.0.0.1), back from the IdP at the public URL
        HttpResponse<String> start = browser.navigate(otherHost("/api/users/authenticate/GenericOidc?hostChecked=1"));
        assertThat(browser.cookie("idb_login")).isPresent();
        HttpResponse<String> atIdp = browser.navigate(URI.create(start.headers().firstValue("Location").orElseThrow()));
        URI callback = URI.create(atIdp.headers().firstValue("Location").orElseThrow());
        assertThat(callback.getHost()).isEqualTo("localhost");

        HttpResponse<String> refused = browser.navigate(callback);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("state_other_host")
                .contains("started at 127.0.0.1:" + scene.broker().baseUri().getPort())
                .contains("Open " + scene.broker().baseUri() + "/app/sign-in and sign in from there")
                .doesNotContain("another browser");
        assertThat(browser.cookie("idb_session")).isEmpty();
        assertThat(scene.broker().strings("select reason from events where type = 'sign-in'")).containsExactly("state_other_host");
    }

    @Test
    void aCallbackCarriedToAnotherBrowserAtTheSameHostIsStillToldItIsAnotherBrowser() {
        scene.idp().nextSignIn("sub-alice", alice());
        HttpResponse<String> start = browser.navigate(scene.broker().uri("/api/users/authenticate/GenericOidc"));
        HttpResponse<String> atIdp = browser.navigate(URI.create(start.headers().firstValue("Location").orElseThrow()));
        URI callback = URI.create(atIdp.headers().firstValue("Location").orElseThrow());

        HttpResponse<String> stolen = new TestingBrowser().navigate(callback);

        assertThat(stolen.statusCode()).isEqualTo(400);
        assertThat(stolen.body()).contains("state_other_browser").doesNotContain("state_other_host");
    }

    private URI otherHost(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + scene.broker().baseUri().getPort() + pathAndQuery);
    }

    private static Map<String, Object> alice() {
        return Map.of("preferred_username", "alice", "name", "Alice Doe", "email", "alice@example.com",
                "email_verified", true, "groups", List.of("developers"));
    }
}
