package org.idbroker.providers.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.http.HTTPRequestSender;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.idbroker.spi.BoundedHttp;

/**
 * Sends every request to the IdP (discovery, keys, token, userinfo) with one deadline for the whole
 * exchange (connect, headers and body) and a cap on the answer's size: Nimbus's request sender over the
 * SPI's {@link BoundedHttp}.
 */
final class BoundedSender implements HTTPRequestSender {

    /** The cap for token and userinfo answers. */
    static final int MAX_ANSWER_BYTES = 1024 * 1024;
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final HttpClient client;
    private final Duration deadline;
    private final int maxBytes;

    /**
     * @param client the provider's client (one per provider instance: each has a selector thread)
     * @param deadline the most one exchange may take in all
     * @param maxBytes the most an answer's body may hold
     */
    BoundedSender(HttpClient client, Duration deadline, int maxBytes) {
        this.client = requireNonNull(client, "client is null");
        this.deadline = requireNonNull(deadline, "deadline is null");
        this.maxBytes = maxBytes;
    }

    /** A client for one provider instance: connects within the deadline, follows no redirect. */
    static HttpClient newClient(Duration deadline) {
        return BoundedHttp.newClient(deadline);
    }

    /** The same client and deadline, another cap. */
    BoundedSender withCap(int newMaxBytes) {
        return new BoundedSender(client, deadline, newMaxBytes);
    }

    Duration deadline() {
        return deadline;
    }

    @Override
    public ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.getURI()).timeout(deadline);
        request.getHeaderMap().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        String body = request.getBody();
        builder.method(request.getMethod().name(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<byte[]> response = BoundedHttp.send(client, builder.build(), deadline, maxBytes);
        HTTPResponse answer = new HTTPResponse(response.statusCode());
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !values.isEmpty()) {
                answer.setHeader(name, values.toArray(String[]::new));
            }
        });
        if (response.body().length > 0) {
            answer.setBody(new String(response.body(), StandardCharsets.UTF_8));
        }
        return answer;
    }
}
