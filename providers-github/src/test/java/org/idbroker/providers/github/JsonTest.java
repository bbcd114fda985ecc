package org.idbroker.providers.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsGitHubsAnswersIntoPlainValues() {
        Object user = Json.parse("{\"login\":\"octocat\",\"id\":583231,\"site_admin\":false,\"name\":null,"
                + "\"score\":1.5e2,\"plan\":{\"name\":\"pro\",\"seats\":[1,2]}, \"bio\":\"\\\"Hi\\\" \\u00e9\\n\"}");

        assertThat(user).isInstanceOfSatisfying(Map.class, m -> {
            assertThat(m.get("login")).isEqualTo("octocat");
            assertThat(m.get("id")).isEqualTo(583231L);
            assertThat(m.get("site_admin")).isEqualTo(false);
            assertThat(m.containsKey("name")).isTrue();
            assertThat(m.get("name")).isNull();
            assertThat(m.get("score")).isEqualTo(150.0);
            assertThat(m.get("plan")).isEqualTo(Map.of("name", "pro", "seats", List.of(1L, 2L)));
            assertThat(m.get("bio")).isEqualTo("\"Hi\" é\n");
        });
        assertThat(Json.parse(" [ ] ")).isEqualTo(List.of());
    }

    @Test
    void refusesWhatIsNotJsonSayingWhere() {
        for (String bad : List.of("access_token=gho_x&scope=read", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "\"open", "01", "{} {}",
                "{\"a\":\"\\q\"}", "nul")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not JSON:");
        }
    }

    @Test
    void refusesNestingBeyondItsLimitInsteadOfOverflowingTheStack() {
        char[] open = new char[10_000];
        Arrays.fill(open, '[');
        assertThatThrownBy(() -> Json.parse(new String(open))).hasMessageContaining("nested deeper than 64");
    }
}
