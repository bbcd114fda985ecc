package org.idbroker.providers.authentik;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.idbroker.core.providers.ConfiguredProvider;
import org.idbroker.server.providers.ProviderRegistry;
import org.idbroker.testkit.ExpectedRefusal;
import org.idbroker.testkit.IdpShape;
import org.idbroker.testkit.ProviderFeature;
import org.idbroker.testkit.OidcProviderKit;
import org.idbroker.testkit.TestingBrowser;
import org.idbroker.testkit.oidc.TestingAuthentik;
import org.junit.jupiter.api.Test;

/** The provider test kit for the Authentik type, against an OpenID provider that behaves like Authentik. */
class AuthentikProviderKitTest extends OidcProviderKit<TestingAuthentik> {

    @Override
    protected String providerType() {
        return "authentik";
    }

    /** Authentik never says an address is verified (2025.10+), and its encrypted tokens are refused. */
    @Override
    protected Set<ProviderFeature> supportedFeatures() {
        return EnumSet.of(ProviderFeature.ES256, ProviderFeature.HS256_WITH_CLIENT_SECRET, ProviderFeature.CLAIMS_ONLY_IN_USERINFO);
    }

    @Override
    protected TestingAuthentik startIdp(IdpShape shape, String redirectUri) {
        return TestingAuthentik.start(shape, redirectUri);
    }

    /** Only the Authentik address and the slug: the issuer is derived, everything else is the type's preset. */
    @Override
    protected List<String> connectionArguments(TestingAuthentik idp) {
        return List.of("--set", "baseUrl=" + idp.baseUrl(), "--set", "applicationSlug=" + TestingAuthentik.SLUG);
    }

    @Override
    protected ExpectedRefusal refusalOf(ProviderFeature unsupported) {
        if (unsupported == ProviderFeature.ENCRYPTED_ID_TOKENS) {
            return new ExpectedRefusal(401, "token_encrypted",
                    "encrypted tokens are not supported: leave the Encryption Key empty in the Authentik provider");
        }
        return super.refusalOf(unsupported);
    }

    @Test
    void theTypesPresetsApplyToSettingsLeftOut() {
        useIdp(IdpShape.STANDARD);
        idp.nextSignIn(ALICE);

        browser.signIn(broker, PROVIDER_ID);

        String query = URLDecoder.decode(idp.lastAuthorizeQuery(), StandardCharsets.UTF_8);
        assertThat(query).contains("scope=openid profile email groups").contains("code_challenge_method=S256");
        // the broker's sealed login state, URL-safe and a few hundred characters (the limit is 4,096)
        assertThat(idp.lastAuthorizeQuery()).containsPattern("(^|&)state=[A-Za-z0-9_-]{200,600}(&|$)");
        ConfiguredProvider configured = broker.server().injector().getInstance(ProviderRegistry.class).find(PROVIDER_ID).orElseThrow();
        assertThat(configured.type()).isEqualTo("authentik");
        assertThat(configured.settings()).containsEntry("clientAuthentication", "client_secret_post")
                .containsEntry("roleClaimType", "groups").containsEntry("usernameClaimType", "preferred_username");
        assertSignedInAs(browser, ALICE, ALICE.groups());
    }

    @Test
    void claimsInTheIdTokenOrOnlyInUserinfoGiveTheSameAccount() {
        useIdp(IdpShape.STANDARD);
        idp.nextSignIn(ALICE);
        browser.signIn(broker, PROVIDER_ID);
        String id = me(browser).get("id").asText();

        idp.includeClaimsInIdToken(false);
        TestingBrowser later = new TestingBrowser();
        idp.nextSignIn(ALICE);
        later.signIn(broker, PROVIDER_ID);

        assertThat(me(later).get("id").asText()).isEqualTo(id);
        assertSignedInAs(later, ALICE, ALICE.groups());
        assertThat(broker.count("select count(*) from users")).isEqualTo(1);
    }

    @Test
    void basicAuthenticationOfASecretWithPunctuationFailsAsAtAuthentik() {
        useIdp(IdpShape.STANDARD);
        broker.configure("--provider", PROVIDER_ID, "--set", "clientAuthentication=client_secret_basic");
        idp.nextSignIn(ALICE);

        assertRefused(browser.signIn(broker, PROVIDER_ID), new ExpectedRefusal(401, "code_rejected", "client_secret_post"));
    }

    @Test
    void signsInWithAGlobalIssuerGivenAsTheIssuer() {
        idp = TestingAuthentik.start(IdpShape.STANDARD, true, broker.baseUri() + "/api/users/authenticatedToken/" + PROVIDER_ID);
        broker.configure("--provider", PROVIDER_ID, "--type", "authentik", "--enabled", "true", "--issuer", idp.issuer(),
                "--client-id", idp.clientId(), "--client-secret-file",
                org.idbroker.testkit.TestingBroker.writeTemp(idp.clientSecret()).toString());
        idp.nextSignIn(ALICE);

        browser.signIn(broker, PROVIDER_ID);

        assertThat(idp.issuer()).isEqualTo(idp.baseUrl() + "/");
        assertSignedInAs(browser, ALICE, ALICE.groups());
    }

    @Test
    void anExistingOidcInstanceBecomesAuthentikWithTheCommandLine() {
        idp = TestingAuthentik.start(IdpShape.STANDARD, broker.baseUri() + "/api/users/authenticatedToken/GenericOidc");
        broker.configure("--provider", "GenericOidc", "--enabled", "true", "--issuer", idp.issuer(), "--client-id", idp.clientId(),
                "--client-secret-file", org.idbroker.testkit.TestingBroker.writeTemp(idp.clientSecret()).toString());
        idp.nextSignIn(ALICE);
        // the generic defaults send the punctuated secret in Basic authentication, which Authentik garbles
        assertRefused(browser.signIn(broker, "GenericOidc"), new ExpectedRefusal(401, "code_rejected", "invalid_client"));

        broker.configure("--provider", "GenericOidc", "--type", "authentik");
        idp.nextSignIn(ALICE);
        TestingBrowser again = new TestingBrowser();
        again.signIn(broker, "GenericOidc");

        assertThat(me(again).get("username").asText()).isEqualTo("alice");
        assertThat(me(again).get("externalGroups")).extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                .containsExactly("developers", "authentik Admins");
        assertThat(broker.strings("select type from providers where id = 'GenericOidc'")).containsExactly("authentik");
    }
}
