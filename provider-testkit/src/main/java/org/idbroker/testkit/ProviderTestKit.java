package org.idbroker.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The suite every identity provider module runs: a real broker on PostgreSQL, configured through its
 * command line, signs people in through the module against a real OpenID provider over HTTP, set up
 * with that provider's conventions. A module subclasses it, says how to start its IdP and how an
 * instance points at it, and declares the {@link ProviderFeature}s it supports; every feature is
 * checked, and an unsupported one is asserted to fail with a clear reason, never skipped.
 *
 * @param <I> the IdP under test
 */
public abstract class ProviderTestKit<I extends IdpUnderTest> {

    /** The id of the provider instance the kit configures. */
    protected static final String PROVIDER_ID = "KitProvider";

    protected static final TestPerson ALICE = new TestPerson("alice-1", "alice", "Alice Doe", "alice@example.com", true,
            List.of("developers", "authentik Admins"));
    protected static final TestPerson BOSS = new TestPerson("boss-7", "the-boss", "The Boss", "boss@example.com", true,
            List.of("managers"));

    private static final ObjectMapper JSON = new ObjectMapper();

    protected TestingBroker broker;
    protected I idp;
    protected final TestingBrowser browser = new TestingBrowser();

    /** The provider type id under test, for example {@code authentik}. */
    protected abstract String providerType();

    /** What the module, with its IdP's conventions, supports. */
    protected abstract Set<ProviderFeature> supportedFeatures();

    /** Starts a fresh IdP set up this way, with the broker's client registered for {@code redirectUri}. */
    protected abstract I startIdp(IdpShape shape, String redirectUri);

    /** The {@code configure} arguments that point an instance at {@code idp}; by default its issuer. */
    protected List<String> connectionArguments(I idp) {
        return List.of("--issuer", idp.issuer());
    }

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
        if (idp != null) {
            idp.close();
        }
        broker.close();
    }

    /** Starts the IdP in this shape and configures the instance {@value #PROVIDER_ID} of the type under test for it. */
    protected final void useIdp(IdpShape shape) {
        idp = startIdp(shape, broker.baseUri() + "/api/users/authenticatedToken/" + PROVIDER_ID);
        awaitDiscovery(idp);
        List<String> args = new ArrayList<>(List.of("--provider", PROVIDER_ID, "--type", providerType(), "--enabled", "true",
                "--display-name", "Kit IdP", "--client-id", idp.clientId(),
                "--client-secret-file", TestingBroker.writeTemp(idp.clientSecret()).toString(),
                "--allow-auto-user-creation", "true"));
        args.addAll(connectionArguments(idp));
        broker.configure(args.toArray(String[]::new));
    }

    /**
     * Waits until the IdP serves its discovery document, so that a slow first answer of a freshly
     * started IdP (a cold JVM on a busy machine) is not taken for the broker's doing.
     */
    private static void awaitDiscovery(IdpUnderTest idp) {
        String issuer = idp.issuer();
        URI discovery = URI.create((issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
                + "/.well-known/openid-configuration");
        HttpResponse<String> response = new TestingBrowser().send(HttpRequest.newBuilder(discovery)
                .timeout(Duration.ofSeconds(60)).GET().build());
        assertThat(response.statusCode()).as("the IdP's discovery document " + discovery).isEqualTo(200);
    }

    protected final boolean supports(ProviderFeature feature) {
        return supportedFeatures().contains(feature);
    }

    @Test
    void signsInANewPersonWithUsernameDisplayNameAndGroups() {
        useIdp(IdpShape.STANDARD);
        idp.nextSignIn(ALICE);

        HttpResponse<String> callback = callback(browser.signIn(broker, PROVIDER_ID));

        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(303);
        assertSignedInAs(browser, ALICE, ALICE.groups());
        assertThat(broker.strings("select outcome || ':' || coalesce(details->>'matchedBy', '') from events where type = 'sign-in'"))
                .containsExactly("success:created");
    }

    @Test
    void findsAReturningPersonByExternalIdentifier() {
        useIdp(IdpShape.STANDARD);
        idp.nextSignIn(ALICE);
        browser.signIn(broker, PROVIDER_ID);
        String firstId = me(browser).get("id").asText();

        TestingBrowser later = new TestingBrowser();
        idp.nextSignIn(ALICE.withEmail("alice.new@example.com", false).withGroups(List.of("developers")));
        later.signIn(broker, PROVIDER_ID);

        JsonNode again = me(later);
        assertThat(again.get("id").asText()).isEqualTo(firstId);
        assertThat(again.get("externalGroups")).extracting(JsonNode::asText).containsExactly("developers");
        assertThat(broker.count("select count(*) from users")).isEqualTo(1);
        assertThat(broker.count("select count(*) from external_identities")).isEqualTo(1);
    }

    @Test
    void linksAFirstSignInToTheAccountWithTheSameVerifiedEmail() {
        useIdp(IdpShape.STANDARD);
        makeAdministrator("boss", BOSS.email());
        idp.nextSignIn(BOSS);

        List<HttpResponse<String>> hops = browser.signIn(broker, PROVIDER_ID);

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
        useIdp(IdpShape.STANDARD);
        makeAdministrator("boss", BOSS.email());
        idp.nextSignIn(BOSS.withEmail(BOSS.email(), false));

        List<HttpResponse<String>> hops = browser.signIn(broker, PROVIDER_ID);

        RefusalPage page = assertRefused(hops, new ExpectedRefusal(403, "email_not_verified", "Trust Email"));
        assertThat(page.message()).contains("email_verified");
        assertThat(broker.count("select count(*) from external_identities")).isZero();
        assertThat(broker.count("select count(*) from users")).isEqualTo(1);
    }

    @Test
    void linksByAnUnverifiedEmailWhenTrustEmailIsOn() {
        useIdp(IdpShape.STANDARD);
        broker.configure("--provider", PROVIDER_ID, "--trust-email", "true");
        makeAdministrator("boss", BOSS.email());
        idp.nextSignIn(BOSS.withEmail(BOSS.email(), false));

        browser.signIn(broker, PROVIDER_ID);

        JsonNode me = me(browser);
        assertThat(me.get("username").asText()).isEqualTo("boss");
        assertThat(me.get("teams")).extracting(t -> t.get("name").asText()).contains("Administrators");
        assertThat(broker.count("select count(*) from external_identities")).isEqualTo(1);
    }

    @Test
    void refusesAnUnknownPersonWhenAutomaticCreationIsOff() {
        useIdp(IdpShape.STANDARD);
        broker.configure("--provider", PROVIDER_ID, "--allow-auto-user-creation", "false");
        idp.nextSignIn(ALICE);

        List<HttpResponse<String>> hops = browser.signIn(broker, PROVIDER_ID);

        assertRefused(hops, new ExpectedRefusal(403, "no_matching_account", "Allow Auto User Creation"));
        assertThat(broker.count("select count(*) from users")).isZero();
    }

    @Test
    void refusesAnIdTokenFromAnotherIssuer() {
        useIdp(IdpShape.STANDARD);
        idp.nextSignInFromAnotherIssuer(ALICE);

        List<HttpResponse<String>> hops = browser.signIn(broker, PROVIDER_ID);

        assertRefused(hops, new ExpectedRefusal(401, "token_issuer_mismatch", "issuer is '" + idp.issuer() + "'"));
        assertThat(broker.count("select count(*) from users")).isZero();
    }

    @Test
    void refusesAnIdTokenForAnotherClient() {
        useIdp(IdpShape.STANDARD);
        idp.nextSignInForAnotherClient(ALICE);

        List<HttpResponse<String>> hops = browser.signIn(broker, PROVIDER_ID);

        assertRefused(hops, new ExpectedRefusal(401, "token_audience_mismatch", "client id '" + idp.clientId() + "'"));
        assertThat(broker.count("select count(*) from users")).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = IdpShape.class, names = "STANDARD", mode = EnumSource.Mode.EXCLUDE)
    void signsInWithTheTokensOfEveryIdpSetupItSupportsAndRefusesTheOthersClearly(IdpShape shape) {
        ProviderFeature feature = featureOf(shape);
        useIdp(shape);
        idp.nextSignIn(ALICE);

        List<HttpResponse<String>> hops = browser.signIn(broker, PROVIDER_ID);

        if (supports(feature)) {
            assertThat(callback(hops).statusCode()).as(callback(hops).body()).isEqualTo(303);
            assertSignedInAs(browser, ALICE, ALICE.groups());
        } else {
            assertRefused(hops, refusalOf(feature));
            assertThat(broker.count("select count(*) from users")).isZero();
        }
    }

    private static ProviderFeature featureOf(IdpShape shape) {
        for (ProviderFeature feature : ProviderFeature.values()) {
            if (feature.shape().filter(shape::equals).isPresent()) {
                return feature;
            }
        }
        throw new AssertionError("no feature for " + shape);
    }

    /** Checks what {@code /api/users/me} says about the person signed in with {@code who}. */
    protected final void assertSignedInAs(TestingBrowser who, TestPerson person, List<String> groups) {
        JsonNode me = me(who);
        assertThat(me.get("username").asText()).isEqualTo(person.username());
        assertThat(me.get("displayName").asText()).isEqualTo(person.displayName());
        assertThat(me.get("emailAddress").asText()).isEqualTo(person.email());
        JsonNode identity = me.get("externalIdentities").get(0);
        assertThat(identity.get("issuer").asText()).isEqualTo(idp.issuer());
        assertThat(identity.get("subject").asText()).isEqualTo(idp.subjectOf(person));
        assertThat(identity.get("providerId").asText()).isEqualTo(PROVIDER_ID);
        assertThat(me.get("externalGroups")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(groups);
    }

    /** Checks that the sign-in ended on a refusal page saying this, without a session. */
    protected final RefusalPage assertRefused(List<HttpResponse<String>> hops, ExpectedRefusal expected) {
        HttpResponse<String> landing = hops.get(hops.size() - 1);
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

    /** The broker's answer to the IdP's redirect back. */
    protected static HttpResponse<String> callback(List<HttpResponse<String>> hops) {
        return hops.stream().filter(h -> h.uri().getPath().startsWith("/api/users/authenticatedToken/")).findFirst()
                .orElseThrow(() -> new AssertionError("the IdP never sent the browser back to the broker: "
                        + hops.get(hops.size() - 1).statusCode() + " " + hops.get(hops.size() - 1).body()));
    }
}
