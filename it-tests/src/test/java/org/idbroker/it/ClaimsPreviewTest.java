package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.idbroker.it.support.TestingAdmin.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.idbroker.it.support.BrokerScene;
import org.idbroker.it.support.TestingAdmin;
import org.idbroker.it.support.TestingBrowser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An administrator's test sign-in: the real flow, the claims and the broker's decision shown, nothing stored. */
class ClaimsPreviewTest {

    private static final String TEST_START = "/api/users/authenticate/GenericOidc?mode=test";

    @RegisterExtension
    final BrokerScene scene = BrokerScene.configured("--scopes", "openid profile email groups");

    private TestingAdmin admin;

    @BeforeEach
    void start() {
        admin = TestingAdmin.signIn(scene.broker(), scene.idp(), "GenericOidc");
        scene.broker().jdbi().useHandle(h -> {
            h.execute("insert into teams (name) values ('Developers')");
            h.execute("insert into team_external_groups (team_id, group_id, display_name) "
                    + "select id, 'developers', 'Developers' from teams where name = 'Developers'");
        });
    }

    /** Everything a sign-in could leave behind, as text. */
    private String traces() {
        return String.join("\n", scene.broker().strings("select u::text from users u order by id"))
                + String.join("\n", scene.broker().strings("select e::text from external_identities e order by id"))
                + String.join("\n", scene.broker().strings("select s.id::text from sessions s order by id"))
                + String.join("\n", scene.broker().strings("select e::text from events e where type <> 'test-sign-in' order by id"))
                + String.join("\n", scene.broker().strings("select m::text from team_members m order by team_id, user_id"));
    }

    /** Runs the flow to the IdP and back; the callback is asked for JSON. */
    private HttpResponse<String> testSignInAsJson(TestingBrowser browser) {
        List<HttpResponse<String>> hops = new java.util.ArrayList<>();
        URI next = scene.broker().uri(TEST_START);
        for (int i = 0; i < 5; i++) {
            boolean callback = next.getPath().startsWith("/api/users/authenticatedToken/");
            HttpResponse<String> response = callback ? browser.getJson(next) : browser.navigate(next);
            hops.add(response);
            if (callback || response.statusCode() / 100 != 3) {
                return response;
            }
            next = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
        }
        throw new IllegalStateException("no callback in " + hops);
    }

    @Test
    void showsTheClaimsAndWhatTheBrokerWouldDoWithoutLeavingATrace() {
        String before = traces();
        String adminSession = admin.browser().cookie("idb_session").orElseThrow();
        scene.idp().nextSignIn("sub-carol", Map.of("preferred_username", "carol", "name", "Carol <b>Doe</b>", "email", "carol@example.com",
                "email_verified", true, "groups", List.of("developers", "testers")));

        HttpResponse<String> page = last(admin.browser().follow(scene.broker().uri(TEST_START)));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("The broker would sign this person in").contains("a new user <strong>carol</strong>")
                .contains("Developers").contains("from the group &#39;developers&#39;").contains("Everyone")
                .contains("Carol &lt;b&gt;Doe&lt;/b&gt;").doesNotContain("<b>Doe</b>").contains("sub-carol");
        assertThat(page.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("idb_session"));
        assertThat(admin.browser().cookie("idb_session")).hasValue(adminSession);
        assertThat(traces()).isEqualTo(before);
        assertThat(scene.broker().strings("select outcome || ':' || coalesce(details->>'wouldMatchBy', '') from events where type = 'test-sign-in'"))
                .containsExactly("success:created");
    }

    @Test
    void answersJsonWithTheMatchedUserTheRuleAndTheTeams() {
        String before = traces();
        scene.idp().nextSignIn("sub-boss-2", Map.of("preferred_username", "someone", "email", "boss@example.com", "email_verified", true,
                "groups", List.of("DEVELOPERS")));

        HttpResponse<String> answer = testSignInAsJson(admin.browser());

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode preview = json(answer);
        assertThat(preview.get("mode").asText()).isEqualTo("test");
        assertThat(preview.get("outcome").asText()).isEqualTo("would-sign-in");
        assertThat(preview.get("user").get("username").asText()).isEqualTo("boss");
        assertThat(preview.get("user").get("exists").asBoolean()).isTrue();
        assertThat(preview.get("matchedBy").asText()).isEqualTo("email");
        assertThat(preview.get("claims").get("sub").asText()).isEqualTo("sub-boss-2");
        assertThat(preview.get("claims").get("groups").get(0).asText()).isEqualTo("DEVELOPERS");
        assertThat(preview.get("teams")).extracting(t -> t.get("name").asText() + "/" + t.get("via").asText())
                .contains("Administrators/member", "Developers/group", "Everyone/everyone");
        assertThat(preview.get("permissions")).extracting(JsonNode::asText).contains("configure-authentication");
        assertThat(answer.body()).doesNotContain("eyJ");
        assertThat(traces()).isEqualTo(before);
    }

    @Test
    void saysWhyTheBrokerWouldRefuse() {
        scene.broker().configure("--provider", "GenericOidc", "--allow-auto-user-creation", "false");
        String before = traces();
        scene.idp().nextSignIn("sub-stranger", Map.of("preferred_username", "stranger", "email", "stranger@example.com", "email_verified", true));

        JsonNode preview = json(testSignInAsJson(admin.browser()));

        assertThat(preview.get("outcome").asText()).isEqualTo("would-refuse");
        assertThat(preview.get("refusal").get("code").asText()).isEqualTo("no_matching_account");
        assertThat(preview.get("refusal").get("by").asText()).isEqualTo("broker");
        assertThat(preview.get("claims").get("email").asText()).isEqualTo("stranger@example.com");
        assertThat(traces()).isEqualTo(before);
    }

    @Test
    void refusesToStartForSomeoneWithoutThePermission() {
        TestingBrowser anonymous = new TestingBrowser();
        HttpResponse<String> page = anonymous.navigate(scene.broker().uri(TEST_START));
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).contains("test_sign_in_forbidden");

        scene.idp().nextSignIn("sub-dave", Map.of("preferred_username", "dave", "email", "dave@example.com", "email_verified", true));
        TestingBrowser dave = new TestingBrowser();
        dave.signIn(scene.broker(), "GenericOidc");
        HttpResponse<String> json = dave.getJson(scene.broker().uri(TEST_START));
        assertThat(json.statusCode()).isEqualTo(403);
        assertThat(json(json).get("error").asText()).isEqualTo("test_sign_in_forbidden");
    }

    @Test
    void refusesTheResultToASessionOtherThanTheAdministratorWhoStartedIt() {
        scene.idp().nextSignIn("sub-carol", Map.of("preferred_username", "carol", "email", "carol@example.com"));
        HttpResponse<String> toIdp = admin.browser().navigate(scene.broker().uri(TEST_START));
        HttpResponse<String> fromIdp = admin.browser().navigate(URI.create(toIdp.headers().firstValue("Location").orElseThrow()));
        URI callback = fromIdp.uri().resolve(fromIdp.headers().firstValue("Location").orElseThrow());
        admin.post("/api/users/sign-out", null);

        HttpResponse<String> result = admin.browser().navigate(callback);

        assertThat(result.statusCode()).isEqualTo(403);
        assertThat(result.body()).contains("test_sign_in_not_yours").doesNotContain("carol@example.com");
        assertThat(admin.browser().cookie("idb_session").filter(v -> !v.isEmpty())).isEmpty();
    }

    private static HttpResponse<String> last(List<HttpResponse<String>> hops) {
        return hops.get(hops.size() - 1);
    }
}
