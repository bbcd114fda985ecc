package org.idbroker.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FindingTest {

    @Test
    void aFindingsCodeIsItsChecksNameUnlessItHasOneOfItsOwn() {
        Finding keys = Finding.fail("signing keys", "the key set cannot be read");
        Finding scopes = Finding.warn("scopes", "not listed").withCode(Finding.SCOPES_NOT_LISTED, List.of("groups"));

        assertThat(keys.code()).isEqualTo("signing-keys");
        assertThat(keys.subjects()).isEmpty();
        assertThat(scopes.code()).isEqualTo("scopes-not-listed");
        assertThat(scopes.subjects()).containsExactly("groups");
        assertThat(scopes.message()).isEqualTo("not listed");
    }
}
