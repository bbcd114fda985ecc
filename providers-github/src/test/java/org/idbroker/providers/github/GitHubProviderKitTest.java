package org.idbroker.providers.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.idbroker.testkit.ExpectedRefusal;
import org.idbroker.testkit.OAuth2ProviderKit;
import org.idbroker.testkit.ProviderFeature;
import org.idbroker.testkit.TestingBrowser;
import org.idbroker.testkit.github.TestingGitHub;
import org.idbroker.testkit.github.TestingGitHub.Account;
import org.idbroker.testkit.github.TestingGitHub.Email;
import org.idbroker.testkit.github.TestingGitHub.Org;
import org.idbroker.testkit.github.TestingGitHub.Team;
import org.junit.jupiter.api.Test;

/** The provider test kit (neutral core and OAuth 2.0 part) for the GitHub type, against a GitHub emulator over HTTP. */
class GitHubProviderKitTest extends OAuth2ProviderKit<TestingGitHub> {

    private static final Account OCTOCAT = new Account(583231, "octocat", "The Octocat",
            List.of(new Email("octocat@github.com", true, true)),
            List.of(new Org("acme", true)), List.of(new Team("acme", "site-reliability", "Site Reliability")));

    @Override
    protected String providerType() {
        return "github";
    }

    /** GitHub marks each address verified or not. */
    @Override
    protected Set<ProviderFeature> supportedFeatures() {
        return EnumSet.of(ProviderFeature.VERIFIED_EMAIL);
    }

    @Override
    protected TestingGitHub startUpstream(String redirectUri) {
        return TestingGitHub.start(redirectUri);
    }

    /** The Enterprise base URL; everything else is the type's defaults. */
    @Override
    protected List<String> connectionArguments(TestingGitHub github) {
        return List.of("--set", "baseUrl=" + github.baseUrl());
    }

    @Test
    void theSubjectIsTheNumericIdSoARenamedLoginIsTheSameAccount() {
        useStandardUpstream();
        upstream.nextSignIn(OCTOCAT);
        browser.signIn(broker, PROVIDER_ID);
        String id = me(browser).get("id").asText();

        upstream.nextSignIn(OCTOCAT.withLogin("octocat-renamed"));
        TestingBrowser later = new TestingBrowser();
        later.signIn(broker, PROVIDER_ID);

        JsonNode me = me(later);
        assertThat(me.get("id").asText()).isEqualTo(id);
        assertThat(me.get("externalIdentities").get(0).get("subject").asText()).isEqualTo("583231");
        assertThat(me.get("externalIdentities").get(0).get("issuer").asText()).isEqualTo(upstream.baseUrl());
        assertThat(broker.count("select count(*) from users")).isEqualTo(1);
    }

    @Test
    void readsEveryPageOfOrganisationsAndTeamsThroughTheLinkHeader() {
        useStandardUpstream();
        upstream.maxPerPage(2);
        upstream.nextSignIn(new Account(7, "many", "Many Groups", List.of(new Email("many@example.com", true, true)),
                List.of(new Org("o1", true), new Org("o2", true), new Org("o3", true), new Org("o4", true), new Org("o5", true)),
                List.of(new Team("o1", "t1", "T 1"), new Team("o2", "t2", "T 2"), new Team("o3", "t3", "T 3"))));

        browser.signIn(broker, PROVIDER_ID);

        assertThat(me(browser).get("externalGroups")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("o1", "o2", "o3", "o4", "o5", "o1:t1", "o2:t2", "o3:t3");
        assertThat(upstream.apiRequests()).contains("/api/v3/user/orgs?per_page=100", "/api/v3/user/orgs?per_page=2&page=2",
                "/api/v3/user/orgs?per_page=2&page=3", "/api/v3/user/teams?per_page=2&page=2");
    }

    @Test
    void namesTeamsBySlugOrByNameAsTheSettingSays() {
        useStandardUpstream();
        upstream.nextSignIn(OCTOCAT);
        browser.signIn(broker, PROVIDER_ID);
        assertThat(me(browser).get("externalGroups")).extracting(JsonNode::asText).containsExactly("acme", "acme:site-reliability");

        broker.configure("--provider", PROVIDER_ID, "--set", "teamNameField=name");
        upstream.nextSignIn(OCTOCAT);
        TestingBrowser later = new TestingBrowser();
        later.signIn(broker, PROVIDER_ID);

        assertThat(me(later).get("externalGroups")).extracting(JsonNode::asText).containsExactly("acme", "acme:Site Reliability");
    }

    @Test
    void anUnverifiedPrimaryAddressNeverLinksAndAVerifiedSecondaryOneIsNotUsed() {
        useStandardUpstream();
        makeAdministrator("boss", "boss@example.com");
        upstream.nextSignIn(new Account(9, "boss-gh", "Boss", List.of(new Email("boss@example.com", true, false),
                new Email("boss@other.example.com", false, true)), List.of(), List.of()));

        assertRefused(browser.signIn(broker, PROVIDER_ID), new ExpectedRefusal(403, "email_not_verified", "Trust Email"));

        makeAdministrator("other", "boss@other.example.com");
        upstream.nextSignIn(new Account(10, "boss-gh2", "Boss", List.of(new Email("boss@new.example.com", true, true),
                new Email("boss@other.example.com", false, true)), List.of(), List.of()));
        TestingBrowser second = new TestingBrowser();
        second.signIn(broker, PROVIDER_ID);
        assertThat(me(second).get("username").asText()).isEqualTo("boss-gh2");
        assertThat(me(second).get("emailAddress").asText()).isEqualTo("boss@new.example.com");
    }

    @Test
    void refusesAPersonInNoAllowedOrganisationSayingTheOrganisationMayNeedToApproveTheApp() {
        useStandardUpstream();
        broker.configure("--provider", PROVIDER_ID, "--set", "allowedOrganizations=acme strict-corp");
        upstream.nextSignIn(new Account(11, "newbie", "New Bie", List.of(new Email("newbie@example.com", true, true)),
                List.of(new Org("strict-corp", false), new Org("hobby", true)), List.of(new Team("strict-corp", "core", "Core"))));

        String message = assertRefused(browser.signIn(broker, PROVIDER_ID),
                new ExpectedRefusal(403, "not_permitted", "allowed organisation (acme, strict-corp)")).message();

        assertThat(message).contains("may need to approve this application");
        assertThat(broker.count("select count(*) from users")).isZero();

        upstream.nextSignIn(OCTOCAT);
        TestingBrowser member = new TestingBrowser();
        member.signIn(broker, PROVIDER_ID);
        assertThat(me(member).get("username").asText()).isEqualTo("octocat");
    }

    @Test
    void theDoctorChecksTheApiAndTheClientCredentials() {
        useStandardUpstream();

        org.idbroker.testkit.TestingBroker.CliResult healthy = broker.cli("doctor", "--provider", PROVIDER_ID);
        assertThat(healthy.exitCode()).as(healthy.out() + healthy.err()).isZero();
        assertThat(healthy.out()).contains("GitHub Enterprise Server 3.14.0").contains("accepts the Client ID and Client Secret")
                .contains(broker.baseUri() + "/api/users/authenticatedToken/" + PROVIDER_ID);

        broker.configure("--provider", PROVIDER_ID, "--client-secret-file",
                org.idbroker.testkit.TestingBroker.writeTemp("not-the-secret").toString());
        org.idbroker.testkit.TestingBroker.CliResult wrong = broker.cli("doctor", "--provider", PROVIDER_ID);
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.out()).containsPattern("FAIL +client +GitHub refused the Client ID or Client Secret");
    }

    @Test
    void aWrongClientSecretIsRefusedAsGitHubSaysItWithStatus200() {
        useStandardUpstream();
        broker.configure("--provider", PROVIDER_ID, "--client-secret-file",
                org.idbroker.testkit.TestingBroker.writeTemp("not-the-secret").toString());
        upstream.nextSignIn(OCTOCAT);

        assertRefused(browser.signIn(broker, PROVIDER_ID), new ExpectedRefusal(503, "misconfigured", "incorrect_client_credentials"));
    }
}
