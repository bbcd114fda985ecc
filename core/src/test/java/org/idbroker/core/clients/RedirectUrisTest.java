package org.idbroker.core.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedirectUrisTest {

    @Test
    void acceptsHttpsAndHttpOnLoopbackOnly() {
        for (String good : List.of("https://app.example.com/cb", "https://app.example.com:8443/oauth2/callback?x=1",
                "http://127.0.0.1:5000/cb", "http://localhost/cb", "http://[::1]:8080/cb")) {
            assertThat(RedirectUris.problem(good)).as(good).isEmpty();
        }
    }

    @Test
    void refusesWhatCouldSendTheBrowserSomewhereElse() {
        for (String bad : List.of("", "http://app.example.com/cb", "javascript:alert(1)", "JAVASCRIPT:alert(1)",
                "data:text/html,x", "file:///etc/passwd", "https://user@app.example.com/cb", "https://app.example.com/cb#f",
                "https://app.example.com/a/../cb", "https://app.example.com/./cb", "https://app.example.com/a/..;/cb",
                "https://app.example.com/a%2Fb", "https://app.example.com/%2e%2e/cb", "https://app.example.com/a\\b",
                "https://app.example.com/c b", "https://app.example.com/caf\u00e9", "/relative/cb", "https:///cb",
                "https://app.example.com/" + "x".repeat(1000))) {
            assertThat(RedirectUris.problem(bad)).as(bad).isPresent();
        }
    }
}
