package org.idbroker.providers.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import java.io.IOException;
import java.net.URL;
import org.idbroker.spi.IdpCalls;

/** Nimbus's retriever for the key set, telling the broker how each fetch went. */
final class TimedRetriever extends DefaultResourceRetriever {

    private final IdpCalls calls;

    TimedRetriever(int connectTimeout, int readTimeout, int sizeLimit, IdpCalls calls) {
        super(connectTimeout, readTimeout, sizeLimit);
        this.calls = requireNonNull(calls, "calls is null");
    }

    @Override
    public Resource retrieveResource(URL url) throws IOException {
        long start = System.nanoTime();
        IdpCalls.Outcome outcome = IdpCalls.Outcome.UNREACHABLE;
        try {
            Resource resource = super.retrieveResource(url);
            outcome = IdpCalls.Outcome.OK;
            return resource;
        } catch (IOException e) {
            // Nimbus reports an error status as an IOException naming it
            if (e.getMessage() != null && e.getMessage().startsWith("HTTP ")) {
                outcome = IdpCalls.Outcome.HTTP_ERROR;
            }
            throw e;
        } finally {
            calls.called(IdpCalls.JWKS, outcome, System.nanoTime() - start);
        }
    }
}
