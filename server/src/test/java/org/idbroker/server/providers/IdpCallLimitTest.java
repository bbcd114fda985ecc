package org.idbroker.server.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.idbroker.spi.AuthenticatedIdentity;
import org.idbroker.spi.CallbackRequest;
import org.idbroker.spi.IdentityProvider;
import org.idbroker.spi.RejectionReason;
import org.idbroker.spi.SignInRejectedException;
import org.idbroker.spi.SignInRequest;
import org.idbroker.spi.SignInStart;
import org.junit.jupiter.api.Test;

class IdpCallLimitTest {

    /** A provider whose sign-in starts wait until released, as at an IdP that does not answer. */
    private static final class Hanging implements IdentityProvider {
        final CountDownLatch entered;
        final CountDownLatch release = new CountDownLatch(1);

        Hanging(int callers) {
            entered = new CountDownLatch(callers);
        }

        @Override
        public SignInStart startSignIn(SignInRequest request) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new SignInStart(URI.create("https://idp.example.com/authorize"), Map.of());
        }

        @Override
        public AuthenticatedIdentity finishSignIn(CallbackRequest callback, Map<String, String> remembered) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void refusesAtOnceWhenEveryPlaceWaitsOnAnIdpThatDoesNotAnswer() throws Exception {
        Hanging hanging = new Hanging(2);
        IdentityProvider limited = IdpCallLimit.wrap(hanging, "Corp", 2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<SignInStart> first = pool.submit(() -> limited.startSignIn(new SignInRequest("state-1")));
            Future<SignInStart> second = pool.submit(() -> limited.startSignIn(new SignInRequest("state-2")));
            hanging.entered.await();

            assertThatThrownBy(() -> limited.startSignIn(new SignInRequest("state-3")))
                    .isInstanceOfSatisfying(SignInRejectedException.class, e -> {
                        assertThat(e.reason()).isEqualTo(RejectionReason.IDP_UNAVAILABLE);
                        assertThat(IdpCallLimit.isBusy(e)).isTrue();
                        assertThat(e.getMessage()).contains("2 sign-ins through Corp are already waiting");
                    });

            hanging.release.countDown();
            assertThat(first.get().authorizationUri()).hasHost("idp.example.com");
            second.get();
            // the places are free again
            assertThat(limited.startSignIn(new SignInRequest("state-4")).authorizationUri()).hasHost("idp.example.com");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRefusalOfTheIdpItselfIsNotBusy() {
        SignInRejectedException idp = new SignInRejectedException(RejectionReason.IDP_UNAVAILABLE, "the IdP is down");
        assertThat(IdpCallLimit.isBusy(idp)).isFalse();
    }
}
