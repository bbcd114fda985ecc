package org.idbroker.core.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UsernamePolicyTest {

    @Test
    void sanitizesClaimValuesFromTheIdp() {
        assertThat(UsernamePolicy.sanitize("  alice\n")).isEqualTo("alice");
        assertThat(UsernamePolicy.sanitize("a\u0000b")).isEqualTo("ab");
        assertThat(UsernamePolicy.sanitize(null)).isEqualTo("user");
        assertThat(UsernamePolicy.sanitize("x".repeat(100))).hasSize(UsernamePolicy.MAX_LENGTH - 4);
    }

    @Test
    void refusesUsernamesTypedBadly() {
        assertThatThrownBy(() -> UsernamePolicy.validate(" ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> UsernamePolicy.validate(" alice")).hasMessageContaining("spaces");
        assertThatThrownBy(() -> UsernamePolicy.validate("x".repeat(65))).hasMessageContaining("64");
        UsernamePolicy.validate("alice.doe@corp");
    }

    @Test
    void refusesEmailsThatCannotMatchAnything() {
        assertThatThrownBy(() -> EmailPolicy.validate("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> EmailPolicy.validate("alice")).hasMessageContaining("name@example.com");
        EmailPolicy.validate("alice@example.com");
    }
}
