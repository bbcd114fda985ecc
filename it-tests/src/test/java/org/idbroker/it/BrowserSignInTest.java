package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingChrome;
import org.idbroker.it.support.TestingIdp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The sign-in pages in a real browser: the broker's sign-in page, the OpenID provider's own login
 * form, the home page, the refusal page.
 */
class BrowserSignInTest {

    private TestingIdp idp;
    private TestingBroker broker;
    private TestingChrome chrome;

    @BeforeEach
    void start() {
        chrome = TestingChrome.start();
        idp = TestingIdp.start("idp", true);
        broker = TestingBroker.start();
        broker.configureOidc("GenericOidc", idp, "--role-claim-type", "groups", "--allow-auto-user-creation", "true");
    }

    @AfterEach
    void stop(TestInfo test) throws Exception {
        TestingChrome.finish(chrome, test, broker, idp);
    }

    @Test
    void signsInThroughTheProvidersLoginFormAndShowsWhoYouAreAndYourTeams() {
        broker.jdbi().useHandle(h -> {
            h.execute("insert into teams (name, description) values ('Developers', 'People who build things')");
            h.execute("insert into team_external_groups (team_id, group_id, display_name) "
                    + "select id, 'developers', 'Developers' from teams where name = 'Developers'");
        });

        chrome.open(broker.uri("/app/").toString());
        chrome.waitUntilUrlContains("/app/sign-in");
        chrome.click(By.linkText("Sign in with Test IdP"));
        chrome.signInAtIdp("sub-alice", """
                {"preferred_username": "alice", "name": "Alice Doe", "email": "alice@example.com",
                 "email_verified": true, "groups": ["developers"]}""");

        chrome.waitForPage();
        assertThat(chrome.currentUrl()).isEqualTo(broker.baseUri() + "/app/");
        assertThat(chrome.find(By.id("display-name")).getText()).isEqualTo("Alice Doe");
        assertThat(chrome.find(By.id("username")).getText()).isEqualTo("alice");
        assertThat(chrome.find(By.id("email")).getText()).isEqualTo("alice@example.com");
        assertThat(texts(By.cssSelector("#teams li"))).containsExactly("Developers", "Everyone");
        assertThat(texts(By.cssSelector("#external-groups li"))).containsExactly("developers");
        assertThat(texts(By.cssSelector("#identities tbody td"))).contains("GenericOidc", idp.issuer(), "sub-alice");
        assertThat(chrome.find(By.id("no-permissions")).isDisplayed()).isTrue();
        // no administrative permission: no Configuration menu, and its pages say what is missing
        assertThat(chrome.findAll(By.linkText("Teams"))).isEmpty();
        chrome.open(broker.uri("/app/teams").toString());
        assertThat(chrome.waitFor(By.id("forbidden")).getText()).contains("view-teams");
        chrome.open(broker.uri("/app/").toString());
        chrome.waitForPage();
        // readable on a phone: nothing wider than the screen
        chrome.resize(375, 800);
        assertThat(chrome.overflowingElements()).isEmpty();
    }

    @Test
    void aSignInStartedAtAnotherHostNameThanThePublicUrlEndsSignedInAtThePublicUrl() {
        // start-dev's public URL is http://localhost:PORT; this person typed 127.0.0.1
        String otherHost = "http://127.0.0.1:" + broker.baseUri().getPort();
        chrome.open(otherHost + "/app/sign-in");
        chrome.click(By.linkText("Sign in with Test IdP"));
        chrome.signInAtIdp("sub-carol", "{\"preferred_username\": \"carol\", \"name\": \"Carol\"}");

        chrome.waitForPage();
        assertThat(chrome.currentUrl()).isEqualTo(broker.baseUri() + "/app/");
        assertThat(chrome.find(By.id("display-name")).getText()).isEqualTo("Carol");
    }

    @Test
    void signingOutEndsTheSessionAndReturnsToTheSignInPage() {
        chrome.open(broker.uri("/app/sign-in").toString());
        chrome.waitForPage();
        // keyboard only: the first Tab reaches the provider's button, Enter follows it
        chrome.find(By.tagName("body")).sendKeys(Keys.TAB);
        WebElement focused = chrome.driver().switchTo().activeElement();
        assertThat(focused.getText()).isEqualTo("Sign in with Test IdP");
        focused.sendKeys(Keys.ENTER);
        chrome.signInAtIdp("sub-bob", "{\"preferred_username\": \"bob\", \"name\": \"Bob\"}");
        chrome.waitForPage();
        assertThat(chrome.find(By.id("signed-in-as")).getText()).isEqualTo("Bob");

        chrome.click(By.id("sign-out"));

        chrome.waitUntilUrlContains("/app/sign-in");
        chrome.waitFor(By.linkText("Sign in with Test IdP"));
        assertThat(broker.count("select count(*) from sessions")).isZero();
        chrome.open(broker.uri("/app/").toString());
        chrome.waitUntilUrlContains("/app/sign-in");
    }

    @Test
    void aRefusedSignInExplainsWhatWentWrongAndWhatToDo() {
        broker.configure("--provider", "GenericOidc", "--allow-auto-user-creation", "false");

        chrome.open(broker.uri("/app/sign-in").toString());
        chrome.click(By.linkText("Sign in with Test IdP"));
        chrome.signInAtIdp("sub-stranger", """
                {"preferred_username": "stranger", "email": "stranger@example.com", "email_verified": true}""");

        WebElement message = chrome.waitFor(By.id("error-message"));
        assertThat(chrome.driver().getTitle()).contains("Sign-in refused");
        assertThat(message.getText()).contains("No user account matches").contains("automatic user creation is off");
        assertThat(chrome.find(By.id("error-code")).getText()).isEqualTo("no_matching_account");
        assertThat(chrome.find(By.linkText("Back to the sign-in page")).getAttribute("href"))
                .isEqualTo(broker.baseUri() + "/app/sign-in");
        assertThat(broker.count("select count(*) from users")).isZero();
    }

    private List<String> texts(By by) {
        return chrome.findAll(by).stream().map(WebElement::getText).toList();
    }
}
