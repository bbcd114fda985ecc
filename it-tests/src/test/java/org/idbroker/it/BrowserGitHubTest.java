package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.it.support.TestingChrome;
import org.idbroker.it.support.TestingLauncher;
import org.idbroker.testkit.github.TestingGitHub;
import org.idbroker.testkit.github.TestingGitHub.Account;
import org.idbroker.testkit.github.TestingGitHub.Email;
import org.idbroker.testkit.github.TestingGitHub.Org;
import org.idbroker.testkit.github.TestingGitHub.Team;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The GitHub type as an operator gets it: shipped in the built distribution's providers/ folder, configured with
 * {@code bin/idbroker configure --type github --set ...}, signed in through with a real browser against a GitHub
 * emulator, a second instance made on the Authentication page and a third with the API.
 */
class BrowserGitHubTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Account OCTOCAT = new Account(583231, "octocat", "The Octocat",
            List.of(new Email("octocat@github.com", true, true)),
            List.of(new Org("acme", true)), List.of(new Team("acme", "site-reliability", "Site Reliability")));

    @TempDir
    Path work;

    private TestingLauncher broker;
    private TestingGitHub github;
    private TestingChrome chrome;

    @BeforeEach
    void start() {
        assumeTrue(TestingLauncher.built(), "the distribution is built by 'mvn package' in the distribution module: " + TestingLauncher.HOME);
        chrome = TestingChrome.start();
        broker = TestingLauncher.start(work);
        github = TestingGitHub.start(broker.baseUri() + "/api/users/authenticatedToken/GitHub");
    }

    @AfterEach
    void stop(TestInfo test) throws Exception {
        TestingChrome.finish(chrome, test, github, broker);
    }

    @Test
    void anAdministratorSignsInWithGitHubAndConfiguresAnotherInstanceOnThePageAndWithTheApi() throws Exception {
        assertThat(TestingLauncher.HOME.resolve("providers").resolve("idbroker-providers-github.jar")).isRegularFile();
        assertThat(broker.cli("admin", "--username", "octo-admin", "--email", "octocat@github.com").exitCode()).isZero();
        String configured = broker.configure("--provider", "GitHub", "--type", "github", "--enabled", "true",
                "--display-name", "GitHub", "--client-id", github.clientId(),
                "--client-secret-file", org.idbroker.testkit.TestingBroker.writeTemp(github.clientSecret()).toString(),
                "--set", "baseUrl=" + github.baseUrl(), "--set", "allowedOrganizations=acme");
        assertThat(configured).contains(broker.baseUri() + "/api/users/authenticatedToken/GitHub");
        broker.awaitProvider("GitHub");

        // the administrator's first sign-in links by the verified primary address
        github.nextSignIn(OCTOCAT);
        chrome.open(broker.uri("/app/sign-in").toString());
        chrome.click(By.linkText("Sign in with GitHub"));
        chrome.waitForText(By.id("username"), "octo-admin");
        assertThat(texts(By.cssSelector("#external-groups li"))).containsExactly("acme", "acme:site-reliability");
        assertThat(texts(By.cssSelector("#identities tbody td"))).contains("GitHub", github.baseUrl(), "583231");

        // Configuration > Authentication: an instance of the type through its generated form
        chrome.click(By.linkText("Authentication"));
        chrome.waitForPage();
        chrome.type(By.id("new-provider-id"), "Enterprise");
        new Select(chrome.find(By.id("new-provider-type"))).selectByValue("github");
        chrome.click(By.id("add-provider-button"));
        chrome.waitFor(By.id("setting-baseUrl"));
        assertThat(chrome.find(By.id("help-teamNameField")).getText()).contains("slug");
        chrome.type(By.id("setting-baseUrl"), "http://github.example.com");
        chrome.type(By.id("setting-clientId"), "Iv1.enterprise");
        chrome.type(By.id("setting-clientSecret"), "enterprise-secret");
        chrome.click(By.id("save"));
        assertThat(chrome.waitFor(By.id("error-baseUrl")).getText()).contains("https");
        chrome.find(By.id("setting-baseUrl")).clear();
        chrome.type(By.id("setting-baseUrl"), "https://github.example.com");
        chrome.click(By.id("save"));
        chrome.waitForText(By.id("save-status"), "Saved.");
        chrome.screenshot(getClass().getSimpleName() + "-authentication");

        // the API, with a session of the administrator
        TestingBrowser api = new TestingBrowser();
        github.nextSignIn(OCTOCAT);
        api.follow(broker.uri("/api/users/authenticate/GitHub"));
        HttpResponse<String> refused = api.putJson(broker.uri("/api/configuration/providers/Api"),
                "{\"type\": \"github\", \"settings\": {\"clientId\": \"x\", \"teamNameField\": \"login\"}, \"secrets\": {\"clientSecret\": \"y\"}}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).get("fields").get("teamNameField").asText()).contains("slug, name");
        HttpResponse<String> saved = api.putJson(broker.uri("/api/configuration/providers/Api"),
                "{\"type\": \"github\", \"settings\": {\"clientId\": \"x\", \"teamNameField\": \"name\"}, \"secrets\": {\"clientSecret\": \"y\"}}");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(201);
        JsonNode types = JSON.readTree(api.getJson(broker.uri("/api/configuration/provider-types")).body());
        assertThat(types.findValuesAsText("type")).contains("github", "oidc", "authentik");
    }

    @Test
    void aPersonInNoAllowedOrganisationSeesThatTheOrganisationMayNeedToApproveTheApplication() {
        broker.configure("--provider", "GitHub", "--type", "github", "--enabled", "true", "--display-name", "GitHub",
                "--client-id", github.clientId(), "--client-secret-file", org.idbroker.testkit.TestingBroker.writeTemp(github.clientSecret()).toString(),
                "--set", "baseUrl=" + github.baseUrl(), "--set", "allowedOrganizations=strict-corp", "--allow-auto-user-creation", "true");
        broker.awaitProvider("GitHub");
        github.nextSignIn(new Account(11, "newbie", "New Bie", List.of(new Email("newbie@example.com", true, true)),
                List.of(new Org("strict-corp", false)), List.of()));

        chrome.open(broker.uri("/app/sign-in").toString());
        chrome.click(By.linkText("Sign in with GitHub"));

        assertThat(chrome.waitFor(By.id("error-code")).getText()).isEqualTo("not_permitted");
        assertThat(chrome.find(By.tagName("body")).getText()).contains("strict-corp").contains("may need to approve this application");
    }

    private List<String> texts(By by) {
        return chrome.findAll(by).stream().map(e -> e.getText().strip()).toList();
    }
}
