package org.idbroker.core.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.idbroker.spi.AuthenticatedIdentity;
import org.junit.jupiter.api.Test;

class SignInProofTest {

    @Test
    void vouchesForTheAccountsAddressOnlyWhenTheIdpVerifiedItOrTheProviderTrustsEmail() {
        assertThat(SignInProof.of(identity("Alice@Example.com", true, Map.of()), false, "alice@example.com").verifiedEmail())
                .isEqualTo("alice@example.com");
        assertThat(SignInProof.of(identity("alice@example.com", false, Map.of()), true, "alice@example.com").verifiedEmail())
                .isEqualTo("alice@example.com");
        assertThat(SignInProof.of(identity("alice@example.com", false, Map.of()), false, "alice@example.com").verifiedEmail())
                .isNull();
        // the account holds another address than the one the IdP vouched for (an administrator set it)
        assertThat(SignInProof.of(identity("alice@example.com", true, Map.of()), true, "boss@example.com").verifiedEmail())
                .isNull();
        assertThat(SignInProof.of(identity(null, true, Map.of()), true, "alice@example.com").verifiedEmail()).isNull();
    }

    @Test
    void aProofCoversTheAddressItVouchedForAndNoOther() {
        SignInProof proof = new SignInProof("alice@example.com", List.of(), null);

        assertThat(proof.vouchesFor("ALICE@example.com")).isTrue();
        assertThat(proof.vouchesFor("alice@example.org")).isFalse();
        assertThat(proof.vouchesFor(null)).isFalse();
        assertThat(SignInProof.NONE.vouchesFor("alice@example.com")).isFalse();
    }

    @Test
    void keepsTheUpstreamsAmrAndAcrWhenTheyAreShortPrintableStrings() {
        SignInProof proof = SignInProof.of(identity(null, false, Map.of("amr", List.of("pwd", "otp", 7, "with space"),
                "acr", "urn:example:mfa")), false, null);

        assertThat(proof.amr()).containsExactly("pwd", "otp");
        assertThat(proof.acr()).isEqualTo("urn:example:mfa");
        SignInProof odd = SignInProof.of(identity(null, false, Map.of("amr", "pwd", "acr", "x".repeat(200))), false, null);
        assertThat(odd.amr()).isEmpty();
        assertThat(odd.acr()).isNull();
    }

    private static AuthenticatedIdentity identity(String email, boolean verified, Map<String, Object> claims) {
        return new AuthenticatedIdentity("https://idp.example.com", "sub-1", "alice", "Alice", email, verified, List.of(),
                claims, null, null);
    }
}
