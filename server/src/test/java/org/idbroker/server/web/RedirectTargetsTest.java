package org.idbroker.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectTargetsTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/app/teams", "/app/teams?x=1&y=%2F", "/app/users#top"})
    void keepsPathsOnThisBroker(String path) {
        assertThat(RedirectTargets.safe(path)).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example.com/", "//evil.example.com", "/\\evil.example.com", "\\\\evil",
            "javascript:alert(1)", "evil.example.com", "/app\nSet-Cookie:x", "/ space", "http:/evil", "///evil", ""})
    void sendsEverythingElseHome(String target) {
        assertThat(RedirectTargets.safe(target)).isEqualTo("/");
    }

    @org.junit.jupiter.api.Test
    void sendsNullAndOverlongTargetsHome() {
        assertThat(RedirectTargets.safe(null)).isEqualTo("/");
        assertThat(RedirectTargets.safe("/" + "a".repeat(3000))).isEqualTo("/");
    }
}
