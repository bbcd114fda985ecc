package org.idbroker.providers.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.http.HTTPRequestSender;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends every request to the IdP (discovery, keys, token, userinfo) with one deadline for the whole
 * exchange (connect, headers and body) and a cap on the answer's size. Nimbus's and pac4j's own
 * senders only bound each read, so a provider dripping one byte every few seconds, or streaming
 * without end, could hold a broker thread or fill its memory. The waiting thread holds no lock.
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
        return HttpClient.newBuilder().connectTimeout(deadline).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
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
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(builder.build(), capped(maxBytes));
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new IOException("no complete answer within " + deadline.toSeconds() + " s");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the answer");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof java.net.http.HttpTimeoutException && !(cause instanceof java.net.http.HttpConnectTimeoutException)) {
                // the client's own timer for the same deadline: one message for both
                throw new IOException("no complete answer within " + deadline.toSeconds() + " s");
            }
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        }
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

    /** A body handler that gives up with an {@link IOException} once the body passes {@code maxBytes}, or declares more. */
    static HttpResponse.BodyHandler<byte[]> capped(int maxBytes) {
        return info -> new CappedBody(maxBytes, info.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    /** Collects the body, and gives up with an error once it passes the cap. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final int maxBytes;
        private Flow.Subscription subscription;

        private final long declaredBytes;

        CappedBody(int maxBytes, long declaredBytes) {
            this.maxBytes = maxBytes;
            this.declaredBytes = declaredBytes;
        }

        @Override
        public void onSubscribe(Flow.Subscription newSubscription) {
            subscription = newSubscription;
            if (declaredBytes > maxBytes) {
                // refused on its Content-Length, before a byte of it is read
                subscription.cancel();
                result.completeExceptionally(new IOException("the answer is larger than " + maxBytes / 1024 + " KiB"));
                return;
            }
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + buffer.remaining() > maxBytes) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException("the answer is larger than " + maxBytes / 1024 + " KiB"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }
}
