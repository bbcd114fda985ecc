package org.idbroker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.idbroker.core.sessions.SessionLifetimes;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    @Test
    void buildsRedirectUrisFromThePublicUrlWithoutDoubleSlashes() {
        BrokerConfig config = new BrokerConfig(URI.create("https://broker.example.com/"), 8080, "0.0.0.0", false, SessionLifetimes.DEFAULT);
        assertThat(config.redirectUri("GenericOidc")).hasToString("https://broker.example.com/api/users/authenticatedToken/GenericOidc");
        assertThat(config.backchannelLogoutUri("GenericOidc")).hasToString("https://broker.example.com/api/users/backchannel-logout/GenericOidc");
        assertThat(config.secureCookies()).isTrue();
    }

    @Test
    void keepsAPathPrefix() {
        BrokerConfig config = new BrokerConfig(URI.create("http://localhost:8080/idb"), 8080, "0.0.0.0", true, SessionLifetimes.DEFAULT);
        assertThat(config.redirectUri("A")).hasToString("http://localhost:8080/idb/api/users/authenticatedToken/A");
        assertThat(config.secureCookies()).isFalse();
    }

    @Test
    void refusesPublicUrlsThatCannotBeRedirectTargets() {
        assertThatThrownBy(() -> BrokerConfig.normalizePublicUrl(URI.create("broker.example.com"))).hasMessageContaining("absolute");
        assertThatThrownBy(() -> BrokerConfig.normalizePublicUrl(URI.create("ftp://broker.example.com"))).hasMessageContaining("http");
        assertThatThrownBy(() -> BrokerConfig.normalizePublicUrl(URI.create("https://broker.example.com/?a=b"))).hasMessageContaining("query");
    }
}
