package org.idbroker.providers.oidc.flavour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimPathTest {

    private static final Map<String, Object> CLAIMS = Map.of(
            "realm_access", Map.of("roles", List.of("ops", "dev")),
            "https://example.com/roles", List.of("url-named"),
            "groups", "one");

    @Test
    void walksIntoNestedObjects() {
        assertThat(ClaimPath.parse("realm_access.roles").find(CLAIMS)).isEqualTo(List.of("ops", "dev"));
        assertThat(ClaimPath.parse("realm_access.roles").names()).containsExactly("realm_access", "roles");
    }

    @Test
    void anEscapedDotStaysInTheClaimNameAndANameIsTakenWhole() {
        assertThat(ClaimPath.parse("https://example\\.com/roles").find(CLAIMS)).isEqualTo(List.of("url-named"));
        assertThat(ClaimPath.name("https://example.com/roles").find(CLAIMS)).isEqualTo(List.of("url-named"));
        assertThat(ClaimPath.parse("https://example\\.com/roles")).isEqualTo(ClaimPath.name("https://example.com/roles"));
        assertThat(ClaimPath.name("a.b").toString()).isEqualTo("a\\.b");
    }

    @Test
    void aMissingStepOrAValueThatIsNoObjectFindsNothing() {
        assertThat(ClaimPath.parse("resource_access.app.roles").find(CLAIMS)).isNull();
        assertThat(ClaimPath.parse("groups.inner").find(CLAIMS)).isNull();
    }

    @Test
    void refusesAnEmptyStep() {
        assertThatThrownBy(() -> ClaimPath.parse("realm_access..roles")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-empty name");
        assertThatThrownBy(() -> ClaimPath.parse("")).isInstanceOf(IllegalArgumentException.class);
    }
}
