package org.idbroker.server.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.IdentityProviderFactory;
import org.idbroker.spi.ProviderContext;
import org.idbroker.spi.SettingDescriptor;
import org.junit.jupiter.api.Test;

class SettingsValidatorTest {

    private static final IdentityProviderFactory TYPE = new IdentityProviderFactory() {
        @Override
        public String type() {
            return "sample";
        }

        @Override
        public String displayName() {
            return "Sample";
        }

        @Override
        public List<SettingDescriptor> settings() {
            return List.of(
                    SettingDescriptor.url("issuer", "Issuer", "help", true),
                    SettingDescriptor.secret("clientSecret", "Client Secret", "help", true),
                    SettingDescriptor.integer("skew", "Skew", "help", 60),
                    SettingDescriptor.choice("auth", "Auth", "help", "basic", List.of("basic", "post")));
        }

        @Override
        public IdentityProvider create(ProviderContext context) {
            throw new AssertionError("not called by the validator");
        }
    };

    @Test
    void acceptsACompleteConfiguration() {
        assertThat(SettingsValidator.validate(TYPE, Map.of("enabled", "true", "issuer", "https://idp.example.com/", "skew", "30",
                "auth", "post"), Set.of("clientSecret"))).isEmpty();
    }

    @Test
    void namesEveryFieldAtFault() {
        Map<String, String> errors = SettingsValidator.validate(TYPE, Map.of("enabled", "yes", "issuer", "ftp://idp",
                "skew", "soon", "auth", "digest", "colour", "blue"), Set.of());
        assertThat(errors).containsOnlyKeys("enabled", "issuer", "skew", "auth", "colour");
        assertThat(errors.get("enabled")).contains("true or false");
        assertThat(errors.get("auth")).contains("basic, post");
        assertThat(errors.get("colour")).contains("unknown setting");
    }

    @Test
    void requiresRequiredSettingsOnlyWhenEnabled() {
        assertThat(SettingsValidator.validate(TYPE, Map.of(), Set.of())).isEmpty();
        assertThat(SettingsValidator.validate(TYPE, Map.of("enabled", "true"), Set.of()))
                .containsOnlyKeys("issuer", "clientSecret");
    }

    @Test
    void allowsHttpOnlyForLoopbackHosts() {
        assertThat(SettingsValidator.checkUrl("Issuer", "http://localhost:8080/realms/x")).isNull();
        assertThat(SettingsValidator.checkUrl("Issuer", "http://127.0.0.1:9000/")).isNull();
        assertThat(SettingsValidator.checkUrl("Issuer", "http://[::1]:9000/")).isNull();
        assertThat(SettingsValidator.checkUrl("Issuer", "http://auth.example.com/")).contains("https");
        assertThat(SettingsValidator.checkUrl("Issuer", "auth.example.com")).contains("absolute");
        assertThat(SettingsValidator.checkUrl("Issuer", "https://auth.example.com/?x=1")).contains("query");
    }
}
