package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingChrome;
import org.idbroker.it.support.TestingIdp;
import org.idbroker.it.support.TestingRelyingParty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Configuration > Applications in a real browser: an administrator registers an application (a bad
 * redirect URI refused at its field, nothing stored), copies its secret shown once, restricts it to a
 * team, and the application (the certified relying party openid-client) then signs people in with that
 * secret only while they are in the team; rotating the secret and deleting the application.
 */
class BrowserApplicationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private TestingIdp idp;
    private TestingBroker broker;
    private TestingChrome chrome;
    private TestingRelyingParty rp;

    @BeforeEach
    void start() throws Exception {
        chrome = TestingChrome.start();
        idp = TestingIdp.start("idp", true);
        broker = TestingBroker.start();
        broker.configureOidc("GenericOidc", idp, "--role-claim-type", "groups", "--allow-auto-user-creation", "true");
        assertThat(broker.cli("admin", "--username", "boss", "--email", "boss@example.com").exitCode()).isZero();
        Path teams = Files.createTempFile("teams", ".yaml");
        Files.writeString(teams, """
                version: 1
                teams:
                  Operators:
                    externalGroups:
                      - id: ops
                        displayName: Operations
                  Auditors:
                    description: People who audit
                """);
        assertThat(broker.cli("apply", teams.toString()).exitCode()).isZero();
    }

    @AfterEach
    void stop(TestInfo test) throws Exception {
        TestingChrome.finish(chrome, test, rp, broker, idp);
    }

    @Test
    void anAdministratorRegistersAnApplicationWhoseCopiedSecretSignsInOnlyTheTeamItIsRestrictedTo() throws Exception {
        int port = TestingRelyingParty.freePort();
        signInAsAdministratorInOperators();
        chrome.click(By.linkText("Applications"));
        chrome.waitForPage();
        assertThat(chrome.find(By.id("discovery-url")).getText())
                .isEqualTo(broker.baseUri() + "/.well-known/openid-configuration");
        assertThat(chrome.find(By.id("no-client")).isDisplayed()).isTrue();

        chrome.click(By.id("new-client"));
        chrome.type(By.id("client-id"), "wiki");
        chrome.type(By.id("client-name"), "Wiki");
        chrome.type(By.id("redirect-uris-0"), "http://wiki.example.com/callback");
        chrome.click(By.id("add-redirect-uri"));
        chrome.type(By.id("redirect-uris-1"), TestingRelyingParty.redirectUri(port));
        chrome.click(By.cssSelector("#team-choices input[data-team='Operators']"));
        chrome.click(By.id("save"));

        // a redirect URI that may not be registered: refused at its field, nothing stored
        WebElement error = chrome.waitFor(By.id("redirect-uris-error"));
        assertThat(error.getText()).contains("http://wiki.example.com/callback").contains("https");
        assertThat(chrome.find(By.id("redirect-uris-0")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(chrome.find(By.id("redirect-uris-1")).getAttribute("aria-invalid")).isNull();
        assertThat(chrome.find(By.id("editor-status")).getText()).startsWith("Not saved");
        assertThat(broker.count("select count(*) from clients")).isZero();

        chrome.click(By.cssSelector("button[aria-label='Remove Redirect URI 1']"));
        chrome.click(By.id("save"));
        chrome.waitForText(By.id("editor-status"), "Registered Wiki.");
        assertThat(chrome.visible(By.id("redirect-uris-error"))).isEmpty();

        // the secret, once, with a copy button
        String secret = chrome.waitFor(By.id("client-secret")).getText();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
        chrome.click(By.id("copy-secret"));
        chrome.waitForText(By.id("copy-secret-status"), "Copied.");
        chrome.screenshot(getClass().getSimpleName() + "-secret");
        assertThat(broker.strings("select t.name from client_teams ct join teams t on t.id = ct.team_id"))
                .containsExactly("Operators");
        assertThat(broker.strings("select unnest(redirect_uris) from clients")).containsExactly(TestingRelyingParty.redirectUri(port));
        chrome.click(By.id("secret-stored"));
        assertThat(chrome.find(By.id("secret-box")).isDisplayed()).isFalse();
        chrome.open(broker.uri("/app/applications?client=wiki").toString());
        chrome.waitForPage();
        chrome.waitForText(By.id("editor-title"), "Wiki");
        assertThat(chrome.driver().getPageSource()).doesNotContain(secret);
        assertThat(chrome.find(By.id("client-id")).getAttribute("readonly")).isNotNull();
        assertThat(texts(By.cssSelector("#client-list li"))).containsExactly("Wiki (wiki, confidential)");
        chrome.resize(375, 900);
        assertThat(chrome.overflowingElements()).isEmpty();
        chrome.resize(1280, 1000);

        // the application signs the administrator in with the secret the page showed
        rp = TestingRelyingParty.start(broker.baseUri().toString(), "wiki", secret, "basic", port);
        JsonNode signedIn = signInAtTheApplication();
        assertThat(signedIn.path("claims").path("preferred_username").asText()).as(signedIn.toString()).isEqualTo("boss");
        assertThat(signedIn.path("claims").path("groups")).extracting(JsonNode::asText).contains("Operators");

        // restricted to another team, it no longer lets the administrator in
        chrome.open(broker.uri("/app/applications?client=wiki").toString());
        chrome.waitForPage();
        chrome.waitForText(By.id("editor-title"), "Wiki");
        chrome.click(By.cssSelector("#team-choices input[data-team='Operators']"));
        chrome.click(By.cssSelector("#team-choices input[data-team='Auditors']"));
        chrome.click(By.id("save"));
        chrome.waitForText(By.id("editor-status"), "Saved.");
        assertThat(signInAtTheApplication().path("error").asText()).isEqualTo("access_denied");
        assertThat(broker.strings("select reason from events where type = 'client-sign-in' and outcome = 'failure'"))
                .containsExactly("not_in_allowed_team");
    }

    @Test
    void anAdministratorAddsARedirectUriRotatesTheSecretAndDeletesTheApplication() throws Exception {
        signInAsAdministratorInOperators();
        chrome.open(broker.uri("/app/applications").toString());
        chrome.waitForPage();
        chrome.click(By.id("new-client"));
        chrome.type(By.id("client-id"), "grafana");
        chrome.type(By.id("client-name"), "Grafana");
        chrome.type(By.id("redirect-uris-0"), "https://grafana.example.com/login/generic_oauth");
        chrome.click(By.id("save"));
        chrome.waitForText(By.id("editor-status"), "Registered Grafana.");
        String first = chrome.find(By.id("client-secret")).getText();
        assertThat(introspectionStatus("grafana", first)).isEqualTo(200);

        // another redirect URI, one with a fragment first: its field says why
        chrome.click(By.id("add-redirect-uri"));
        chrome.type(By.id("redirect-uris-1"), "https://grafana.example.com/other#part");
        chrome.click(By.id("add-post-logout-uri"));
        chrome.type(By.id("post-logout-uris-0"), "https://grafana.example.com/logged-out");
        chrome.click(By.id("save"));
        assertThat(chrome.waitFor(By.id("redirect-uris-error")).getText()).contains("fragment");
        assertThat(chrome.find(By.id("redirect-uris-1")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(broker.strings("select unnest(redirect_uris) from clients"))
                .containsExactly("https://grafana.example.com/login/generic_oauth");
        chrome.type(By.id("redirect-uris-1"), "https://grafana.example.com/other");
        new org.openqa.selenium.support.ui.Select(chrome.find(By.id("signing-algorithm"))).selectByValue("ES256");
        chrome.click(By.id("save"));
        chrome.waitForText(By.id("editor-status"), "Saved.");
        assertThat(broker.strings("select unnest(redirect_uris) from clients"))
                .containsExactly("https://grafana.example.com/login/generic_oauth", "https://grafana.example.com/other");
        assertThat(broker.strings("select unnest(post_logout_redirect_uris) from clients"))
                .containsExactly("https://grafana.example.com/logged-out");
        assertThat(broker.strings("select signing_algorithm from clients")).containsExactly("ES256");
        assertThat(chrome.visible(By.id("secret-box"))).isEmpty();

        // a new secret without overlap: the old one stops at once
        chrome.type(By.id("overlap-minutes"), "0");
        chrome.click(By.id("rotate-secret"));
        chrome.waitForText(By.id("editor-status"), "the old one no longer works");
        String second = chrome.waitFor(By.id("client-secret")).getText();
        assertThat(second).isNotEqualTo(first).hasSizeGreaterThanOrEqualTo(32);
        assertThat(introspectionStatus("grafana", first)).isEqualTo(401);
        assertThat(introspectionStatus("grafana", second)).isEqualTo(200);

        chrome.click(By.id("delete-client"));
        chrome.driver().switchTo().alert().accept();
        chrome.waitForText(By.id("page-status"), "Deleted the application Grafana.");
        assertThat(chrome.find(By.id("no-client")).isDisplayed()).isTrue();
        assertThat(broker.count("select count(*) from clients")).isZero();
        assertThat(broker.strings("select type from events where type like 'client-%' order by id"))
                .containsExactly("client-created", "client-changed", "client-secret-rotated", "client-deleted");
    }

    private void signInAsAdministratorInOperators() {
        chrome.open(broker.uri("/app/sign-in").toString());
        chrome.click(By.linkText("Sign in with Test IdP"));
        chrome.signInAtIdp("sub-boss", """
                {"preferred_username": "boss", "name": "The Boss", "email": "boss@example.com", "email_verified": true,
                 "groups": ["ops"]}""");
        chrome.waitForPage();
        assertThat(texts(By.cssSelector("#teams li"))).contains("Administrators", "Operators");
    }

    /** The browser goes to the application's sign-in, and the application answers what it learned (or its error). */
    private JsonNode signInAtTheApplication() throws Exception {
        chrome.open(rp.uri("/login").toString());
        chrome.waitUntilUrlContains("/callback");
        return JSON.readTree(chrome.find(By.tagName("body")).getText());
    }

    private int introspectionStatus(String clientId, String secret) throws Exception {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(broker.uri("/oauth2/introspect")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=not-a-token")).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private List<String> texts(By by) {
        return chrome.findAll(by).stream().map(WebElement::getText).toList();
    }
}
