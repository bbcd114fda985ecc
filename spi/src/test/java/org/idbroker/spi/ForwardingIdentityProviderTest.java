package org.idbroker.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForwardingIdentityProviderTest {

    @Test
    void forwardsEveryMethodOfTheProvider() throws Exception {
        for (Method method : IdentityProvider.class.getMethods()) {
            assertThat(ForwardingIdentityProvider.class.getDeclaredMethod(method.getName(), method.getParameterTypes()))
                    .as(method.getName()).isNotNull();
        }
    }

    @Test
    void answersWhatTheWrappedProviderAnswers() throws Exception {
        IdentityProvider wrapped = new IdentityProvider() {
            @Override
            public SignInStart startSignIn(SignInRequest request) {
                return new SignInStart(URI.create("https://idp.example.com/authorize?state=" + request.state()), Map.of());
            }

            @Override
            public AuthenticatedIdentity finishSignIn(CallbackRequest callback, Map<String, String> remembered)
                    throws SignInRejectedException {
                throw new SignInRejectedException(RejectionReason.IDP_ERROR, "no");
            }

            @Override
            public Map<String, String> metadataDocuments() {
                return Map.of("discovery.json", "{}");
            }

            @Override
            public List<Finding> diagnose() {
                return List.of(Finding.ok("check", "fine"));
            }
        };
        IdentityProvider forwarding = new ForwardingIdentityProvider(wrapped) { };

        assertThat(forwarding.startSignIn(new SignInRequest("s1")).authorizationUri().getQuery()).isEqualTo("state=s1");
        assertThat(forwarding.metadataDocuments()).containsEntry("discovery.json", "{}");
        assertThat(forwarding.diagnose()).containsExactly(Finding.ok("check", "fine"));
    }
}
