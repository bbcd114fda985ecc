package org.idbroker.providers.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import org.idbroker.spi.IdpCalls;

/**
 * Nimbus's {@link ResourceRetriever} over a {@link BoundedSender}: the JWKS is read under the same
 * overall deadline and a size cap as every other call to the IdP. Nimbus's
 * {@code DefaultResourceRetriever} caps the size but bounds only each read, so a key set dripping one
 * byte a second would hold the sign-ins waiting for it for as long as the IdP likes.
 */
final class BoundedRetriever implements ResourceRetriever {

    private final BoundedSender sender;
    private final IdpCalls calls;

    /** @param calls told how each fetch went (the metrics) */
    BoundedRetriever(BoundedSender sender, IdpCalls calls) {
        this.sender = requireNonNull(sender, "sender is null");
        this.calls = requireNonNull(calls, "calls is null");
    }

    @Override
    public Resource retrieveResource(URL url) throws IOException {
        HTTPRequest request;
        try {
            request = new HTTPRequest(HTTPRequest.Method.GET, url.toURI());
        } catch (URISyntaxException e) {
            throw new IOException("not a usable address: " + url, e);
        }
        request.setAccept("application/json, application/jwk-set+json");
        long start = System.nanoTime();
        HTTPResponse response;
        try {
            response = request.send(sender);
        } catch (IOException e) {
            calls.called(IdpCalls.JWKS, IdpCalls.Outcome.UNREACHABLE, System.nanoTime() - start);
            throw e;
        }
        calls.called(IdpCalls.JWKS, response.getStatusCode() == HTTPResponse.SC_OK ? IdpCalls.Outcome.OK
                : IdpCalls.Outcome.HTTP_ERROR, System.nanoTime() - start);
        if (response.getStatusCode() != HTTPResponse.SC_OK) {
            throw new IOException(url + " answered HTTP " + response.getStatusCode());
        }
        return new Resource(response.getBody() == null ? "" : response.getBody(), response.getHeaderValue("Content-Type"));
    }
}
