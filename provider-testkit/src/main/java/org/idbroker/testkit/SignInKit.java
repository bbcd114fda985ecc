package org.idbroker.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The protocol-neutral core of the suite every identity provider module runs: a real broker on PostgreSQL,
 * configured through its command line, signs people in through the module against a real upstream, and
 * checks what a person and an administrator see (a new and a returning person, username, name, email and
 * groups, linking by email with and without Trust Email, automatic creation off, a claims preview that stores
 * nothing). A module runs it through the part for its protocol, which says how a person signs in:
 * {@link OidcProviderKit} (a redirect to an OpenID provider) or {@link PasswordProviderKit} (the broker's
 * password form); another protocol adds its own part by extending this class. Every {@link ProviderFeature}
 * is checked: an unsupported one is asserted to fail with the reason the module declares, never skipped.
 */
public abstract class SignInKit {

    /** The id of the provider instance the kit configures. */
    protected static final String PROVIDER_ID = "KitProvider";

    protected static final TestPerson ALICE = new TestPerson("alice-1", "alice", "Alice Doe", "alice@example.com", true,
            List.of("developers", "authentik Admins"));
    protected static final TestPerson BOSS = new TestPerson("boss-7", "the-boss", "The Boss", "boss@example.com", true,
            List.of("managers"));

    private static final ObjectMapper JSON = new ObjectMapper();

    protected TestingBroker broker;
    protected final TestingBrowser browser = new TestingBrowser();

    /** The provider type id under test, for example {@code authentik}. */
    protected abstract String providerType();

    /** What the module, with its upstream's conventions, supports. */
    protected abstract Set<ProviderFeature> supportedFeatures();

    /** Starts the upstream in its usual set-up and configures the instance {@value #PROVIDER_ID} for it. */
    protected abstract void useStandardUpstream();

    /** Makes the upstream vouch for {@code person} and signs in with {@code who}; returns every hop, the last the landing page. */
    protected abstract List<HttpResponse<String>> signIn(TestingBrowser who, TestPerson person);

    /** As {@link #signIn}, as the claims preview ({@code mode=test}) an administrator starts. */
    protected abstract List<HttpResponse<String>> previewSignIn(TestingBrowser who, TestPerson person);

    /** The issuer the upstream's identities have. */
    protected abstract String issuer();

    /** The subject the upstream gives {@code person}. */
    protected abstract String subjectOf(TestPerson person);

    /** Stops the upstream, if one was started. */
    protected abstract void stopUpstream();

    /**
     * How the broker refuses a sign-in that needs an unsupported feature. The kit knows the broker's own
     * refusals; a module declaring other features unsupported overrides this.
     */
    protected ExpectedRefusal refusalOf(ProviderFeature unsupported) {
        return switch (unsupported) {
            case VERIFIED_EMAIL -> new ExpectedRefusal(403, "email_not_verified", "Trust Email");
            case ENCRYPTED_ID_TOKENS -> new ExpectedRefusal(401, "token_encrypted", "encrypted tokens are not supported");
            default -> throw new AssertionError(getClass().getSimpleName() + " declares " + unsupported
                    + " unsupported: override refusalOf to say how the broker refuses it");
        };
    }

    /** The broker the kit signs in to; override to start it with provider jars ({@link TestingBroker#startWithProviders(Path)}). */
    protected TestingBroker startBroker() {
        return TestingBroker.start();
    }

    @BeforeEach
    final void startTheBroker() {
        broker = startBroker();
    }

    @AfterEach
    final void stopEverything() {
        try {
            stopUpstream();
        } finally {
            broker.close();
        }
    }

    protected final boolean supports(ProviderFeature feature) {
        return supportedFeatures().contains(feature);
    }

    @Test
    void signsInANewPersonWithUsernameDisplayNameAndGroups() {
        useStandardUpstream();

        List<HttpResponse<String>> hops = signIn(browser, ALICE);

        HttpResponse<String> signedIn = signedIn(hops);
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        assertSignedInAs(browser, ALICE, ALICE.groups());
        assertThat(broker.strings("select outcome || ':' || coalesce(details->>'matchedBy', '') from events where type = 'sign-in'"))
                .containsExactly("success:created");
    }

    @Test
    void findsAReturningPersonByExternalIdentifier() {
        useStandardUpstream();
        signIn(browser, ALICE);
        String firstId = me(browser).get("id").asText();

        TestingBrowser later = new TestingBrowser();
        signIn(later, ALICE.withEmail("alice.new@example.com", false).withGroups(List.of("developers")));

        JsonNode again = me(later);
        assertThat(again.get("id").asText()).isEqualTo(firstId);
        assertThat(again.get("externalGroups")).extracting(JsonNode::asText).containsExactly("developers");
        assertThat(broker.count("select count(*) from users")).isEqualTo(1);
        assertThat(broker.count("select count(*) from external_identities")).isEqualTo(1);
    }

    @Test
    void linksAFirstSignInToTheAccountWithTheSameVerifiedEmail() {
        useStandardUpstream();
        makeAdministrator("boss", BOSS.email());

        List<HttpResponse<String>> hops = signIn(browser, BOSS);

        if (supports(ProviderFeature.VERIFIED_EMAIL)) {
            assertThat(me(browser).get("username").asText()).isEqualTo("boss");
            assertThat(broker.count("select count(*) from external_identities")).isEqualTo(1);
        } else {
            assertRefused(hops, refusalOf(ProviderFeature.VERIFIED_EMAIL));
            assertThat(broker.count("select count(*) from external_identities")).isZero();
        }
        assertThat(broker.count("select count(*) from users")).isEqualTo(1);
    }

    @Test
    void refusesToLinkByAnUnverifiedEmailWhileTrustEmailIsOff() {
        useStandardUpstream();
        makeAdministrator("boss", BOSS.email());

        List<HttpResponse<String>> hops = signIn(browser, BOSS.withEmail(BOSS.email(), false));

        assertRefused(hops, new ExpectedRefusal(403, "email_not_verified", "Trust Email"));
        assertThat(broker.count("select count(*) from external_identities")).isZero();
        assertThat(broker.count("select count(*) from users")).isEqualTo(1);
    }

    @Test
    void linksByAnUnverifiedEmailWhenTrustEmailIsOn() {
        useStandardUpstream();
        broker.configure("--provider", PROVIDER_ID, "--trust-email", "true");
        makeAdministrator("boss", BOSS.email());

        signIn(browser, BOSS.withEmail(BOSS.email(), false));

        JsonNode me = me(browser);
        assertThat(me.get("username").asText()).isEqualTo("boss");
        assertThat(me.get("teams")).extracting(t -> t.get("name").asText()).contains("Administrators");
        assertThat(broker.count("select count(*) from external_identities")).isEqualTo(1);
    }

    @Test
    void refusesAnUnknownPersonWhenAutomaticCreationIsOff() {
        useStandardUpstream();
        broker.configure("--provider", PROVIDER_ID, "--allow-auto-user-creation", "false");

        List<HttpResponse<String>> hops = signIn(browser, ALICE);

        assertRefused(hops, new ExpectedRefusal(403, "no_matching_account", "Allow Auto User Creation"));
        assertThat(broker.count("select count(*) from users")).isZero();
    }

    @Test
    void aClaimsPreviewShowsWhatWouldHappenAndStoresNothingAboutThePerson() {
        useStandardUpstream();
        signIn(browser, BOSS);
        makeAdministrator(BOSS.username(), BOSS.email());

        List<HttpResponse<String>> hops = previewSignIn(browser, ALICE);

        HttpResponse<String> page = landing(hops);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"claims-preview\"").contains("would sign this person in").contains(ALICE.username());
        assertThat(broker.count("select count(*) from users")).isEqualTo(1);
        assertThat(broker.count("select count(*) from external_identities")).isEqualTo(1);
        assertThat(broker.strings("select outcome from events where type = 'test-sign-in'")).containsExactly("success");
        assertThat(me(browser).get("username").asText()).isEqualTo(BOSS.username());
    }

    /** Checks what {@code /api/users/me} says about the person signed in with {@code who}. */
    protected final void assertSignedInAs(TestingBrowser who, TestPerson person, List<String> groups) {
        JsonNode me = me(who);
        assertThat(me.get("username").asText()).isEqualTo(person.username());
        assertThat(me.get("displayName").asText()).isEqualTo(person.displayName());
        assertThat(me.get("emailAddress").asText()).isEqualTo(person.email());
        JsonNode identity = me.get("externalIdentities").get(0);
        assertThat(identity.get("issuer").asText()).isEqualTo(issuer());
        assertThat(identity.get("subject").asText()).isEqualTo(subjectOf(person));
        assertThat(identity.get("providerId").asText()).isEqualTo(PROVIDER_ID);
        assertThat(me.get("externalGroups")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(groups);
    }

    /** Checks that the sign-in ended on a refusal page saying this, without a session. */
    protected final RefusalPage assertRefused(List<HttpResponse<String>> hops, ExpectedRefusal expected) {
        HttpResponse<String> landing = landing(hops);
        RefusalPage page = RefusalPage.of(landing).orElseThrow(() -> new AssertionError(
                "expected a refusal page, got HTTP " + landing.statusCode() + " at " + landing.uri() + ": " + landing.body()));
        assertThat(page.code()).as(page.message()).isEqualTo(expected.code());
        assertThat(page.status()).as(page.message()).isEqualTo(expected.status());
        assertThat(page.message()).contains(expected.message());
        assertThat(browser.cookie("idb_session")).isEmpty();
        return page;
    }

    /** {@code /api/users/me} as the browser sees it; fails unless signed in. */
    protected final JsonNode me(TestingBrowser who) {
        HttpResponse<String> response = who.getJson(broker.uri("/api/users/me"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Seeds an administrator account with the command line, as an operator does before the first sign-in. */
    protected final void makeAdministrator(String username, String email) {
        TestingBroker.CliResult result = broker.cli("admin", "--username", username, "--email", email);
        assertThat(result.exitCode()).as(result.err()).isZero();
    }

    /** The broker's answer that started the session (it sets {@code idb_session}); fails when none did. */
    protected static HttpResponse<String> signedIn(List<HttpResponse<String>> hops) {
        return hops.stream().filter(h -> h.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("idb_session=")
                && !c.startsWith("idb_session=;"))).findFirst().orElseThrow(() -> new AssertionError("no answer started a session: "
                        + landing(hops).statusCode() + " " + landing(hops).body()));
    }

    /** The page the browser landed on. */
    protected static HttpResponse<String> landing(List<HttpResponse<String>> hops) {
        return hops.get(hops.size() - 1);
    }
}
