package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingChrome;
import org.idbroker.it.support.TestingIdp;
import org.idbroker.it.support.TestingLdap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The admin portal in a real browser: an administrator signs in through the OpenID provider's
 * login form and works through Configuration > Authentication, Teams, Users and Events.
 */
class BrowserAdministrationTest {

    private TestingIdp idp;
    private TestingIdp partner;
    private TestingBroker broker;
    private TestingChrome chrome;

    @BeforeEach
    void start() {
        chrome = TestingChrome.start();
        idp = TestingIdp.start("idp", true);
        partner = TestingIdp.start("partner", true);
        broker = TestingBroker.start();
        broker.configureOidc("GenericOidc", idp, "--role-claim-type", "groups", "--allow-auto-user-creation", "true");
        assertThat(broker.cli("admin", "--username", "boss", "--email", "boss@example.com").exitCode()).isZero();
    }

    @AfterEach
    void stop(TestInfo test) throws Exception {
        TestingChrome.finish(chrome, test, broker, partner, idp);
    }

    @Test
    void anAdministratorConfiguresAProviderAndGrantsATeamToAGroupThatASecondPersonThenSees() {
        signInAsAdministrator();

        // Configuration > Authentication: a new provider through the generated form
        chrome.click(By.linkText("Authentication"));
        chrome.waitForPage();
        chrome.type(By.id("new-provider-id"), "Partner");
        chrome.click(By.id("add-provider-button"));
        chrome.waitFor(By.id("setting-issuer"));
        assertThat(chrome.find(By.cssSelector("label[for='setting-displayName']")).getText()).isEqualTo("Display Name");
        assertThat(chrome.find(By.id("help-scopes")).getText()).contains("Default: openid profile email");
        assertThat(chrome.find(By.id("redirect-uri")).getText())
                .isEqualTo(broker.baseUri() + "/api/users/authenticatedToken/Partner");
        chrome.click(By.id("setting-enabled"));
        chrome.type(By.id("setting-displayName"), "Partner IdP");
        chrome.type(By.id("setting-issuer"), "partner.example.com");
        chrome.type(By.id("setting-clientId"), partner.clientId());
        chrome.type(By.id("setting-clientSecret"), partner.clientSecret());
        chrome.click(By.id("save"));

        WebElement issuerError = chrome.waitFor(By.id("error-issuer"));
        assertThat(issuerError.getText()).isNotBlank();
        assertThat(chrome.find(By.id("setting-issuer")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(chrome.find(By.id("save-status")).getText()).startsWith("Not saved");
        assertThat(broker.count("select count(*) from providers where id = 'Partner'")).isZero();

        chrome.type(By.id("setting-issuer"), partner.issuer());
        chrome.click(By.id("save"));

        chrome.waitForText(By.id("save-status"), "Saved.");
        assertThat(chrome.visible(By.id("error-issuer"))).isEmpty();
        assertThat(chrome.find(By.id("secret-state-clientSecret")).getText()).isEqualTo("set");
        assertThat(chrome.find(By.id("setting-clientSecret")).isDisplayed()).isFalse();
        assertThat(chrome.find(By.id("replace-clientSecret")).isDisplayed()).isTrue();
        assertThat(chrome.driver().getPageSource()).doesNotContain(partner.clientSecret());
        assertThat(chrome.find(By.id("test-sign-in")).getAttribute("href"))
                .isEqualTo(broker.baseUri() + "/api/users/authenticate/Partner?mode=test");

        // a stored secret is replaced only on request
        chrome.click(By.id("replace-clientSecret"));
        assertThat(chrome.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("setting-clientSecret");
        chrome.find(By.id("setting-clientSecret")).sendKeys(partner.clientSecret());
        chrome.click(By.id("save"));
        chrome.waitForText(By.id("save-status"), "Saved.");
        assertThat(chrome.find(By.id("secret-state-clientSecret")).getText()).isEqualTo("set");
        assertThat(broker.strings("select details->>'secretsChanged' from events where type = 'provider-saved' order by id"))
                .containsExactly("[\"clientSecret\"]", "[\"clientSecret\"]");

        chrome.click(By.id("test"));
        chrome.waitFor(By.cssSelector("#findings li"));
        List<String> findings = texts(By.cssSelector("#findings li"));
        assertThat(findings).isNotEmpty().noneMatch(f -> f.startsWith("FAIL"));
        assertThat(chrome.find(By.id("test-summary")).getText()).doesNotContain("problem");
        chrome.screenshot(getClass().getSimpleName() + "-authentication");
        chrome.resize(375, 900);
        assertThat(chrome.overflowingElements()).isEmpty();
        chrome.resize(1280, 1000);

        // Test sign-in: the claims preview, nothing stored
        long users = broker.count("select count(*) from users");
        chrome.click(By.id("test-sign-in"));
        chrome.signInAtIdp("sub-preview", """
                {"preferred_username": "previewed", "email": "preview@partner.example", "groups": ["octopusTesters"]}""");
        assertThat(chrome.waitFor(By.id("decision")).getText()).contains("a new user").contains("previewed");
        assertThat(chrome.find(By.id("claims")).getText()).contains("octopusTesters");
        assertThat(chrome.overflowingElements()).isEmpty();
        chrome.screenshot(getClass().getSimpleName() + "-claims-preview");
        assertThat(broker.count("select count(*) from users")).isEqualTo(users);

        // Configuration > Teams: a team for the partner's group
        chrome.open(broker.uri("/app/teams").toString());
        chrome.waitForPage();
        chrome.type(By.id("new-team-name"), "Octopus Testers");
        chrome.type(By.id("new-team-description"), "People who test the octopus");
        chrome.click(By.id("create-team-button"));
        chrome.waitForText(By.id("team-title"), "Octopus Testers");
        chrome.click(By.id("add-group-toggle"));
        chrome.type(By.id("group-id"), "octopusTesters");
        chrome.type(By.id("group-display-name"), "Octopus testers at the partner");
        chrome.click(By.id("add-group-button"));
        chrome.waitFor(By.cssSelector("#external-groups tr[data-group='octopusTesters']"));
        assertThat(texts(By.cssSelector("#external-groups tbody td")))
                .contains("octopusTesters", "Octopus testers at the partner");
        chrome.type(By.id("member-search"), "boss");
        chrome.click(By.id("member-search-button"));
        chrome.click(By.cssSelector("#member-candidates button[data-add-user='boss']"));
        chrome.waitFor(By.cssSelector("#members li[data-member]"));
        assertThat(texts(By.cssSelector("#members li"))).singleElement().asString().startsWith("boss");
        chrome.click(By.id("role-event-viewer"));
        chrome.waitForText(By.id("team-status"), "Granted the role Event viewer");
        assertThat(chrome.find(By.id("role-event-viewer")).isSelected()).isTrue();
        chrome.screenshot(getClass().getSimpleName() + "-teams");

        chrome.click(By.id("sign-out"));
        chrome.waitUntilUrlContains("/app/sign-in");

        // a second person signs in through the new provider with that group, and is in the team
        chrome.click(By.linkText("Sign in with Partner IdP"));
        chrome.signInAtIdp("sub-carol", """
                {"preferred_username": "carol", "name": "Carol Partner", "email": "carol@partner.example",
                 "email_verified": true, "groups": ["octopusTesters"]}""");
        chrome.waitForPage();
        assertThat(chrome.find(By.id("display-name")).getText()).isEqualTo("Carol Partner");
        assertThat(texts(By.cssSelector("#teams li"))).containsExactly("Everyone", "Octopus Testers");
        assertThat(texts(By.cssSelector("#identities tbody td"))).contains("Partner", partner.issuer(), "sub-carol");
        // the team's role lets her see the events, and nothing else of the configuration
        assertThat(texts(By.cssSelector("#permissions li"))).containsExactly("View events");
        assertThat(chrome.findAll(By.cssSelector("nav a")).stream().map(WebElement::getText).toList())
                .containsExactly("Home", "Events");
    }

    @Test
    void anAdministratorSeesARefusalInTheEventsAndDisablesAUser() {
        // someone signs in, and later someone is refused
        chrome.open(broker.uri("/app/sign-in").toString());
        chrome.click(By.linkText("Sign in with Test IdP"));
        chrome.signInAtIdp("sub-dave", "{\"preferred_username\": \"dave\", \"name\": \"Dave\"}");
        chrome.waitForPage();
        chrome.click(By.id("sign-out"));
        chrome.waitUntilUrlContains("/app/sign-in");
        broker.configure("--provider", "GenericOidc", "--allow-auto-user-creation", "false");
        chrome.click(By.linkText("Sign in with Test IdP"));
        chrome.signInAtIdp("sub-mallory", "{\"preferred_username\": \"mallory\"}");
        chrome.waitFor(By.id("error-code"));

        signInAsAdministrator();

        chrome.click(By.linkText("Events"));
        chrome.waitForPage();
        new org.openqa.selenium.support.ui.Select(chrome.find(By.id("filter-outcome"))).selectByValue("failure");
        chrome.click(By.id("apply-filters"));
        chrome.waitUntilLoaded(By.id("events"));
        assertThat(chrome.findAll(By.cssSelector("#events tbody tr[data-outcome='success']"))).isEmpty();
        assertThat(chrome.find(By.cssSelector("#events tbody tr[data-outcome='failure']")).getText())
                .contains("no_matching_account").contains("No user account matches").contains("GenericOidc")
                .contains("127.0.0.1").contains("Chrome");
        // where a request came from is filterable
        chrome.type(By.id("filter-agent"), "no-such-browser");
        chrome.click(By.id("apply-filters"));
        chrome.waitFor(By.cssSelector("#no-events:not([hidden])"));
        chrome.type(By.id("filter-agent"), "chrome");
        chrome.type(By.id("filter-client"), "127.0.0.1");
        chrome.click(By.id("apply-filters"));
        chrome.waitFor(By.cssSelector("#events tbody tr[data-outcome='failure']"));
        chrome.screenshot(getClass().getSimpleName() + "-events");
        chrome.resize(375, 900);
        assertThat(chrome.overflowingElements()).isEmpty();
        chrome.resize(1280, 1000);

        chrome.click(By.linkText("Users"));
        chrome.waitForPage();
        chrome.type(By.id("search"), "dave");
        chrome.click(By.id("search-button"));
        chrome.waitUntilLoaded(By.id("user-list"));
        assertThat(texts(By.cssSelector("#user-list li"))).hasSize(1);
        chrome.click(By.cssSelector("#user-list button[data-username='dave']"));
        chrome.waitForText(By.id("user-title"), "Dave");
        assertThat(texts(By.cssSelector("#user-identities tbody td"))).contains("GenericOidc", "sub-dave");
        assertThat(texts(By.cssSelector("#user-teams li"))).contains("Everyone");
        chrome.click(By.id("toggle-active"));
        chrome.driver().switchTo().alert().accept();

        chrome.waitForText(By.id("user-status"), "Disabled Dave");
        assertThat(chrome.find(By.id("user-active")).getText()).isEqualTo("disabled");
        assertThat(chrome.find(By.id("toggle-active")).getText()).isEqualTo("Enable");
        assertThat(broker.strings("select active::text from users where username = 'dave'")).containsExactly("false");

        // a new account for someone who has not signed in yet; a taken username is refused at its field
        chrome.type(By.id("new-username"), "dave");
        chrome.type(By.id("new-email"), "erin@example.com");
        chrome.click(By.id("create-user-button"));
        assertThat(chrome.waitFor(By.id("new-username-error")).getText()).contains("dave");
        chrome.type(By.id("new-username"), "erin");
        chrome.type(By.id("new-display-name"), "Erin");
        chrome.click(By.id("create-user-button"));
        chrome.waitForText(By.id("user-status"), "Created Erin (erin)");
        assertThat(chrome.find(By.id("user-email")).getText()).isEqualTo("erin@example.com");
        assertThat(chrome.find(By.id("user-no-identities")).isDisplayed()).isTrue();
    }

    @Test
    void anAdministratorConfiguresAnLdapDirectoryOnTheAuthenticationPageAndTriesItsPasswordForm() throws Exception {
        try (TestingLdap directory = TestingLdap.start()) {
            signInAsAdministrator();
            chrome.click(By.linkText("Authentication"));
            chrome.waitForPage();
            chrome.type(By.id("new-provider-id"), "Corp");
            new org.openqa.selenium.support.ui.Select(chrome.find(By.id("new-provider-type"))).selectByValue("ldap");
            chrome.click(By.id("add-provider-button"));
            chrome.waitFor(By.id("setting-bindDn"));
            assertThat(chrome.find(By.id("setting-caCertificate")).getTagName()).isEqualTo("textarea");
            List<String> settings = directory.settings("unused");
            for (int i = 0; i < settings.size(); i += 2) {
                if (settings.get(i).equals("--set")) {
                    String pair = settings.get(i + 1);
                    chrome.type(By.id("setting-" + pair.substring(0, pair.indexOf('='))), pair.substring(pair.indexOf('=') + 1));
                }
            }
            chrome.type(By.id("setting-bindPassword"), TestingLdap.SERVICE_PASSWORD);
            chrome.type(By.id("setting-displayName"), "Company directory");
            chrome.click(By.id("setting-enabled"));
            chrome.find(By.id("setting-caCertificate")).sendKeys("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----");
            chrome.click(By.id("save"));
            assertThat(chrome.waitFor(By.id("error-caCertificate")).getText()).contains("not a readable PEM certificate");

            chrome.find(By.id("setting-caCertificate")).clear();
            chrome.click(By.id("save"));
            chrome.waitForText(By.id("save-status"), "Saved.");
            assertThat(broker.strings("select type from providers where id = 'Corp'")).containsExactly("ldap");
            assertThat(chrome.driver().getPageSource()).doesNotContain(TestingLdap.SERVICE_PASSWORD);
            chrome.click(By.id("test"));
            chrome.waitFor(By.cssSelector("#findings li"));
            assertThat(texts(By.cssSelector("#findings li"))).noneMatch(f -> f.startsWith("FAIL")).anyMatch(f -> f.contains("service-bind"));

            broker.kit().refreshProviders();
            chrome.open(chrome.find(By.id("test-sign-in")).getAttribute("href"));
            chrome.type(By.id("username"), "alice");
            chrome.type(By.id("password"), TestingLdap.ALICE_PASSWORD);
            chrome.click(By.id("sign-in"));
            assertThat(chrome.waitFor(By.id("claims-preview")).getText()).contains("would sign this person in").contains("alice");
            assertThat(broker.count("select count(*) from users where username = 'alice'")).isZero();
        }
    }

    private void signInAsAdministrator() {
        chrome.open(broker.uri("/app/sign-in").toString());
        chrome.click(By.linkText("Sign in with Test IdP"));
        chrome.signInAtIdp("sub-boss", """
                {"preferred_username": "boss", "name": "The Boss", "email": "boss@example.com", "email_verified": true}""");
        chrome.waitForPage();
        assertThat(chrome.find(By.id("signed-in-as")).getText()).isEqualTo("boss");
        assertThat(texts(By.cssSelector("#permissions li")))
                .contains("Configure authentication", "Edit teams", "Edit users", "View events");
    }

    private List<String> texts(By by) {
        return chrome.findAll(by).stream().map(WebElement::getText).toList();
    }
}
