package org.idbroker.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PasswordIdentityProviderTest {

    private final IdentityProvider provider = new PasswordIdentityProvider() {
        @Override
        public AuthenticatedIdentity signInWithPassword(PasswordCredentials credentials) throws SignInRejectedException {
            if (!credentials.password().equals("right")) {
                throw new SignInRejectedException(RejectionReason.INVALID_CREDENTIALS, "wrong username or password");
            }
            return new AuthenticatedIdentity("ldap://dir.example.com/ou=people", "id-1", credentials.username(), null, null,
                    false, List.of(), Map.of(), null, null);
        }
    };

    @Test
    void forwardsThePasswordCheckThroughAForwardingProvider() throws Exception {
        IdentityProvider forwarding = new ForwardingIdentityProvider(provider) { };

        assertThat(forwarding.signInWithPassword(new PasswordCredentials("alice", "right")).username()).isEqualTo("alice");
        assertThatThrownBy(() -> forwarding.signInWithPassword(new PasswordCredentials("alice", "wrong")))
                .isInstanceOfSatisfying(SignInRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_CREDENTIALS));
    }

    @Test
    void refusesTheRedirectStepsAsUnsupported() {
        assertThatThrownBy(() -> provider.startSignIn(new SignInRequest("s")))
                .isInstanceOfSatisfying(SignInRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNSUPPORTED));
    }

    @Test
    void neverPrintsThePassword() {
        assertThat(new PasswordCredentials("alice", "s3cret-pw").toString()).contains("alice").doesNotContain("s3cret-pw");
    }

    @Test
    void aRedirectTypeRefusesPasswordsAndSaysItIsARedirectType() {
        IdentityProviderFactory factory = new IdentityProviderFactory() {
            public String type() { return "t"; }
            public String displayName() { return "T"; }
            public List<SettingDescriptor> settings() { return List.of(); }
            public IdentityProvider create(ProviderContext context) { return null; }
        };
        assertThat(factory.signInStyle()).isEqualTo(SignInStyle.REDIRECT);
    }
}
