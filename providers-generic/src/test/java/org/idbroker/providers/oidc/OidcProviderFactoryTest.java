package org.idbroker.providers.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.InvalidSettingsException;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.ProviderSettings;
import org.idbroker.spi.SettingDescriptor;
import org.idbroker.spi.SettingKind;
import org.junit.jupiter.api.Test;

class OidcProviderFactoryTest {

    private static final URI REDIRECT = URI.create("https://broker.example.com/api/users/authenticatedToken/GenericOidc");

    private static ProviderContext context(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of("issuer", "https://auth.example.com/application/o/my-app/",
                "clientId", "my-client", "clientSecret", "s3cret"));
        settings.putAll(overrides);
        settings.values().removeIf(v -> v == null);
        return new ProviderContext("GenericOidc", new ProviderSettings(settings), REDIRECT);
    }

    private static InvalidSettingsException invalid(Map<String, String> overrides) {
        return catchThrowableOfType(InvalidSettingsException.class, () -> new OidcProviderFactory().create(context(overrides)));
    }

    @Test
    void theGenericTypeIsTheDefaultForNewInstancesAndADerivedOneIsNot() {
        assertThat(new OidcProviderFactory().defaultForNewInstances()).isTrue();
        assertThat(new OidcProviderFactory("corp-oidc", "Corp", java.util.Map.of()).defaultForNewInstances()).isFalse();
    }

    @Test
    void theGenericTypeBringsTheGuidesInstanceGenericOidcAndADerivedOneNone() {
        assertThat(new OidcProviderFactory().defaultInstance())
                .contains(new org.idbroker.spi.DefaultInstance("GenericOidc", "OpenID Connect"));
        assertThat(new OidcProviderFactory("corp-oidc", "Corp", java.util.Map.of()).defaultInstance()).isEmpty();
    }

    @Test
    void isFoundByTheServiceLoader() {
        assertThat(ServiceLoader.load(IdentityProviderFactory.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(f -> {
                    assertThat(f.type()).isEqualTo("oidc");
                    assertThat(f.displayName()).isEqualTo("OpenID Connect");
                });
    }

    @Test
    void describesExactlyTheProtocolSettings() {
        assertThat(new OidcProviderFactory().settings()).extracting(SettingDescriptor::name).containsExactly("issuer", "clientId",
                "clientSecret", "roleClaimType", "usernameClaimType", "resource", "scopes", "clockSkewSeconds",
                "idpTimeoutSeconds", "clientAuthentication", "signOutAtIdp", "userInfo");
        Map<String, SettingDescriptor> byName = new HashMap<>();
        new OidcProviderFactory().settings().forEach(d -> byName.put(d.name(), d));
        assertThat(byName.get("issuer").kind()).isEqualTo(SettingKind.URL);
        assertThat(byName.get("issuer").required()).isTrue();
        assertThat(byName.get("clientSecret").secret()).isTrue();
        assertThat(byName.get("roleClaimType").defaultValue()).isEqualTo("groups");
        assertThat(byName.get("usernameClaimType").defaultValue()).isEqualTo("preferred_username");
        assertThat(byName.get("scopes").kind()).isEqualTo(SettingKind.LIST);
        assertThat(byName.get("scopes").defaultValue()).isEqualTo("openid profile email");
        assertThat(byName.get("clockSkewSeconds").defaultValue()).isEqualTo("60");
        assertThat(byName.get("idpTimeoutSeconds").defaultValue()).isEqualTo("5");
        assertThat(byName.get("clientAuthentication").choices()).containsExactly("client_secret_basic", "client_secret_post");
        assertThat(byName.get("clientAuthentication").defaultValue()).isEqualTo("client_secret_basic");
        assertThat(byName.get("signOutAtIdp").defaultValue()).isEqualTo("true");
        assertThat(byName.get("userInfo").choices()).containsExactly("when-claims-missing", "always");
        assertThat(byName.get("userInfo").defaultValue()).isEqualTo("when-claims-missing");
    }

    @Test
    void bindsSettingsWithDefaultsWithoutContactingTheIdp() throws Exception {
        OidcConfig config = new OidcProviderFactory().config(context(Map.of()));

        assertThat(config.discoveryUri()).hasToString("https://auth.example.com/application/o/my-app/.well-known/openid-configuration");
        assertThat(config.scopes()).containsExactly("openid", "profile", "email");
        assertThat(config.clockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.clientAuthentication()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_BASIC);
        assertThat(config.signOutAtIdp()).isTrue();
        assertThat(config.userInfo()).isEqualTo(UserInfoUse.WHEN_CLAIMS_MISSING);
        assertThat(config.redirectUri()).isEqualTo(REDIRECT);
        assertThat(config.toString()).doesNotContain("s3cret");
        try (IdentityProvider provider = new OidcProviderFactory().create(context(Map.of()))) {
            assertThat(provider).isInstanceOf(OidcProvider.class);
        }
    }

    @Test
    void derivesTheDiscoveryAddressWithoutDoubleSlash() {
        assertThat(OidcConfig.discoveryUriFor(URI.create("https://h/application/o/app/")))
                .hasToString("https://h/application/o/app/.well-known/openid-configuration");
        assertThat(OidcConfig.discoveryUriFor(URI.create("https://h/realms/x")))
                .hasToString("https://h/realms/x/.well-known/openid-configuration");
        assertThat(OidcConfig.discoveryUriFor(URI.create("https://h/")))
                .hasToString("https://h/.well-known/openid-configuration");
    }

    @Test
    void refusesAMissingIssuer() {
        InvalidSettingsException e = invalid(new HashMap<>(Map.of("issuer", "")));
        assertThat(e.setting()).isEqualTo("issuer");
    }

    @Test
    void refusesAnIssuerThatIsNotAnAbsoluteHttpUrl() {
        assertThat(invalid(Map.of("issuer", "auth.example.com")).setting()).isEqualTo("issuer");
        assertThat(invalid(Map.of("issuer", "ftp://auth.example.com/")).setting()).isEqualTo("issuer");
        assertThat(invalid(Map.of("issuer", "https://auth.example.com/?x=1")).setting()).isEqualTo("issuer");
    }

    @Test
    void refusesPlainHttpExceptOnLoopback() throws Exception {
        InvalidSettingsException e = invalid(Map.of("issuer", "http://auth.example.com/"));
        assertThat(e.setting()).isEqualTo("issuer");
        assertThat(e.getMessage()).contains("https");

        new OidcProviderFactory().config(context(Map.of("issuer", "http://localhost:9000/default")));
        new OidcProviderFactory().config(context(Map.of("issuer", "http://127.0.0.1:9000/default")));
        new OidcProviderFactory().config(context(Map.of("issuer", "http://[::1]:9000/default")));
    }

    @Test
    void refusesScopesWithoutOpenid() {
        InvalidSettingsException e = invalid(Map.of("scopes", "profile email"));
        assertThat(e.setting()).isEqualTo("scopes");
        assertThat(e.getMessage()).contains("openid");
    }

    @Test
    void refusesEmptyClaimTypes() {
        assertThat(invalid(Map.of("roleClaimType", " ")).setting()).isEqualTo("roleClaimType");
        assertThat(invalid(Map.of("usernameClaimType", "")).setting()).isEqualTo("usernameClaimType");
    }

    @Test
    void bindsTheIdpTimeout() throws Exception {
        assertThat(new OidcProviderFactory().config(context(Map.of())).httpTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(new OidcProviderFactory().config(context(Map.of("idpTimeoutSeconds", "12"))).httpTimeout())
                .isEqualTo(java.time.Duration.ofSeconds(12));
    }

    @Test
    void refusesAMissingClientId() {
        assertThat(invalid(Map.of("clientId", "")).setting()).isEqualTo("clientId");
    }

    @Test
    void refusesAnUnknownClientAuthenticationAndBadNumbers() {
        assertThat(invalid(Map.of("clientAuthentication", "private_key_jwt")).setting()).isEqualTo("clientAuthentication");
        assertThat(invalid(Map.of("clockSkewSeconds", "soon")).setting()).isEqualTo("clockSkewSeconds");
        assertThat(invalid(Map.of("clockSkewSeconds", "-1")).setting()).isEqualTo("clockSkewSeconds");
        assertThat(invalid(Map.of("idpTimeoutSeconds", "0")).getMessage()).contains("between 1 and 60 seconds, got 0");
        assertThat(invalid(Map.of("idpTimeoutSeconds", "61")).setting()).isEqualTo("idpTimeoutSeconds");
        assertThat(invalid(Map.of("idpTimeoutSeconds", "soon")).setting()).isEqualTo("idpTimeoutSeconds");
        assertThat(invalid(Map.of("signOutAtIdp", "maybe")).setting()).isEqualTo("signOutAtIdp");
        assertThat(invalid(Map.of("userInfo", "sometimes")).setting()).isEqualTo("userInfo");
        assertThat(invalid(Map.of("resource", "not a uri")).setting()).isEqualTo("resource");
    }

    /** What a thin Authentik module can do: its own type, name and defaults, and its own issuer derivation. */
    static final class PresetFactory extends OidcProviderFactory {
        PresetFactory() {
            super("authentik", "Authentik", Map.of("clientAuthentication", "client_secret_post",
                    "scopes", "openid profile email offline_access"));
        }

        @Override
        protected URI issuer(ProviderSettings values) throws InvalidSettingsException {
            String issuer = super.issuer(values).toString();
            return URI.create(issuer.endsWith("/") ? issuer : issuer + "/");
        }
    }

    @Test
    void letsADerivedTypeChangeDefaultsAndTheIssuer() throws Exception {
        PresetFactory preset = new PresetFactory();

        OidcConfig config = preset.config(context(Map.of("issuer", "https://auth.example.com/application/o/my-app")));

        assertThat(preset.type()).isEqualTo("authentik");
        assertThat(preset.settings()).filteredOn(d -> d.name().equals("clientAuthentication"))
                .extracting(SettingDescriptor::defaultValue).containsExactly("client_secret_post");
        assertThat(config.clientAuthentication()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_POST);
        assertThat(config.scopes()).contains("offline_access");
        assertThat(config.issuer()).hasToString("https://auth.example.com/application/o/my-app/");
        assertThat(config.discoveryUri()).hasToString("https://auth.example.com/application/o/my-app/.well-known/openid-configuration");
    }
}
