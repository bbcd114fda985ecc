package org.idbroker.testkit;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link SignInKit}'s neutral checks with a person signing in by a redirect to a {@link RedirectUpstream} and back:
 * what the OpenID Connect and OAuth 2.0 parts share.
 *
 * @param <U> the upstream under test
 */
public abstract class RedirectSignInKit<U extends RedirectUpstream> extends SignInKit {

    /** The upstream in use, or {@code null} before one was started. */
    protected abstract U upstream();

    /** Configures the instance {@value #PROVIDER_ID} of the type under test for {@code upstream}, with its client. */
    protected final void configureFor(U upstream, List<String> connectionArguments) {
        List<String> args = new ArrayList<>(List.of("--provider", PROVIDER_ID, "--type", providerType(), "--enabled", "true",
                "--display-name", "Kit IdP", "--client-id", upstream.clientId(),
                "--client-secret-file", TestingBroker.writeTemp(upstream.clientSecret()).toString(),
                "--allow-auto-user-creation", "true"));
        args.addAll(connectionArguments);
        broker.configure(args.toArray(String[]::new));
    }

    @Override
    protected final List<HttpResponse<String>> signIn(TestingBrowser who, TestPerson person) {
        upstream().nextSignIn(person);
        return who.signIn(broker, PROVIDER_ID);
    }

    @Override
    protected final List<HttpResponse<String>> previewSignIn(TestingBrowser who, TestPerson person) {
        upstream().nextSignIn(person);
        return who.follow(broker.uri("/api/users/authenticate/" + PROVIDER_ID + "?mode=test"));
    }

    @Override
    protected final String issuer() {
        return upstream().issuer();
    }

    @Override
    protected final String subjectOf(TestPerson person) {
        return upstream().subjectOf(person);
    }

    @Override
    protected final void stopUpstream() {
        if (upstream() != null) {
            upstream().close();
        }
    }
}
