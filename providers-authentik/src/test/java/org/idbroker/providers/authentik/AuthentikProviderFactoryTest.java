package org.idbroker.providers.authentik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.idbroker.providers.oidc.ClientAuthMethod;
import org.idbroker.providers.oidc.OidcConfig;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.InvalidSettingsException;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.ProviderSettings;
import org.idbroker.spi.SettingDescriptor;
import org.junit.jupiter.api.Test;

class AuthentikProviderFactoryTest {

    private static final URI REDIRECT = URI.create("https://broker.example.com/api/users/authenticatedToken/Authentik");
    private final AuthentikProviderFactory factory = new AuthentikProviderFactory();

    @Test
    void isFoundByTheServiceLoaderAsTypeAuthentik() {
        assertThat(ServiceLoader.load(IdentityProviderFactory.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(f -> {
                    assertThat(f.type()).isEqualTo("authentik");
                    assertThat(f.displayName()).isEqualTo("Authentik");
                });
    }

    @Test
    void presetsAuthentikDefaults() {
        assertThat(defaultOf("scopes")).isEqualTo("openid profile email groups");
        assertThat(defaultOf("roleClaimType")).isEqualTo("groups");
        assertThat(defaultOf("usernameClaimType")).isEqualTo("preferred_username");
        assertThat(defaultOf("clientAuthentication")).isEqualTo("client_secret_post");
        assertThat(descriptor("issuer").required()).isFalse();
        assertThat(factory.settings()).extracting(SettingDescriptor::name)
                .containsSubsequence("issuer", "baseUrl", "applicationSlug", "clientId", "clientSecret");
    }

    @Test
    void bindsThePresetsWhenSettingsAreLeftOut() throws Exception {
        OidcConfig config = config(Map.of("issuer", "https://auth.example.com/application/o/my-app/", "clientId", "c"));
        assertThat(config.scopes()).containsExactly("openid", "profile", "email", "groups");
        assertThat(config.clientAuthentication()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_POST);
        assertThat(config.discoveryUri()).hasToString("https://auth.example.com/application/o/my-app/.well-known/openid-configuration");
    }

    @Test
    void everyPresetCanBeOverridden() throws Exception {
        OidcConfig config = config(Map.of("issuer", "https://auth.example.com/application/o/my-app/", "clientId", "c",
                "scopes", "openid email", "clientAuthentication", "client_secret_basic", "roleClaimType", "roles",
                "usernameClaimType", "nickname"));
        assertThat(config.scopes()).containsExactly("openid", "email");
        assertThat(config.clientAuthentication()).isEqualTo(ClientAuthMethod.CLIENT_SECRET_BASIC);
        assertThat(config.roleClaimType()).isEqualTo("roles");
        assertThat(config.usernameClaimType()).isEqualTo("nickname");
    }

    @Test
    void derivesTheIssuerFromTheBaseUrlAndTheSlug() throws Exception {
        assertThat(config(Map.of("baseUrl", "https://auth.example.com", "applicationSlug", "my-app", "clientId", "c")).issuer())
                .hasToString("https://auth.example.com/application/o/my-app/");
        assertThat(config(Map.of("baseUrl", "https://auth.example.com/", "applicationSlug", "my_app2", "clientId", "c")).issuer())
                .hasToString("https://auth.example.com/application/o/my_app2/");
    }

    @Test
    void theIssuerWinsOverTheBaseUrlAndAcceptsGlobalMode() throws Exception {
        OidcConfig config = config(Map.of("issuer", "https://auth.example.com/", "baseUrl", "https://other.example.com",
                "applicationSlug", "x", "clientId", "c"));
        assertThat(config.issuer()).hasToString("https://auth.example.com/");
        assertThat(config.discoveryUri()).hasToString("https://auth.example.com/.well-known/openid-configuration");
    }

    @Test
    void refusesIncompleteOrMalformedIssuerSettingsNamingTheField() {
        assertThat(refusal(Map.of("clientId", "c")).setting()).isEqualTo("issuer");
        assertThat(refusal(Map.of("clientId", "c", "applicationSlug", "my-app")).setting()).isEqualTo("baseUrl");
        assertThat(refusal(Map.of("clientId", "c", "baseUrl", "https://auth.example.com")).setting()).isEqualTo("applicationSlug");
        InvalidSettingsException slug = refusal(Map.of("clientId", "c", "baseUrl", "https://auth.example.com", "applicationSlug", "my app/x"));
        assertThat(slug.setting()).isEqualTo("applicationSlug");
        assertThat(slug.getMessage()).contains("letters, digits");
        InvalidSettingsException http = refusal(Map.of("clientId", "c", "baseUrl", "http://auth.example.com", "applicationSlug", "a"));
        assertThat(http.setting()).isEqualTo("baseUrl");
        assertThat(http.getMessage()).contains("https");
        InvalidSettingsException doubled = refusal(Map.of("clientId", "c", "baseUrl", "https://auth.example.com/application/o/a/",
                "applicationSlug", "a"));
        assertThat(doubled.getMessage()).contains("without /application/o/a").contains("https://auth.example.com");
    }

    private OidcConfig config(Map<String, String> settings) throws InvalidSettingsException {
        return factory.config(new ProviderContext("Authentik", new ProviderSettings(new HashMap<>(settings)), REDIRECT));
    }

    private InvalidSettingsException refusal(Map<String, String> settings) {
        return catchThrowableOfType(InvalidSettingsException.class, () -> config(settings));
    }

    private String defaultOf(String name) {
        return descriptor(name).defaultValue();
    }

    private SettingDescriptor descriptor(String name) {
        return factory.settings().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }
}
