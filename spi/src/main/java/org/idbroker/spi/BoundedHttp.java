package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls to an upstream with one deadline for the whole exchange (connect, headers and body) and a cap on the
 * answer's size, on the JDK's {@link HttpClient}, for every provider module (a drop-in jar included): the JDK's
 * own timeout and Nimbus's and pac4j's senders only bound each read, so an upstream dripping one byte every few
 * seconds, or streaming without end, could hold a broker thread or fill its memory. The waiting thread holds no
 * lock.
 */
public final class BoundedHttp {

    private BoundedHttp() {
    }

    /**
     * A client for one provider instance (each has a selector thread): connects within the deadline, follows no redirect.
     *
     * <p>It keeps the JDK's own executor (a cached pool), though each exchange then changes thread a few times. A
     * same-thread executor saves two of those hand-offs (about 0.3 ms of CPU per call on two busy cores) but is not
     * safe here: {@code sendAsync} would start the exchange on the caller's thread, host name resolution included
     * ({@code HttpRequestImpl.getAddress}), before {@link #send}'s deadline even begins, so a slow resolver would hold
     * a request thread past it; and the response handling that the JDK moves off its selector thread would run on it,
     * for every exchange of the provider. A small fixed pool saves no hand-off, and measured no cheaper.
     */
    public static HttpClient newClient(Duration deadline) {
        return HttpClient.newBuilder().connectTimeout(deadline).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * Sends {@code request} and reads the whole answer within {@code deadline}, refusing a body over {@code maxBytes}.
     *
     * @throws IOException when there is no complete answer in time, the answer is too large, or the exchange fails;
     *     its message says which, in words fit for a refusal
     */
    public static HttpResponse<byte[]> send(HttpClient client, HttpRequest request, Duration deadline, int maxBytes)
            throws IOException {
        requireNonNull(client, "client is null");
        requireNonNull(request, "request is null");
        requireNonNull(deadline, "deadline is null");
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request, capped(maxBytes));
        try {
            return exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new IOException("no complete answer within " + deadline.toSeconds() + " s");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the answer");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
                // the client's own timer for the same deadline: one message for both
                throw new IOException("no complete answer within " + deadline.toSeconds() + " s");
            }
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        }
    }

    /** A body handler that gives up with an {@link IOException} once the body passes {@code maxBytes}, or declares more. */
    public static HttpResponse.BodyHandler<byte[]> capped(int maxBytes) {
        return info -> new CappedBody(maxBytes, info.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    /** Collects the body, and gives up with an error once it passes the cap. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final int maxBytes;
        private final long declaredBytes;
        private Flow.Subscription subscription;

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
                result.completeExceptionally(tooLarge());
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
                    result.completeExceptionally(tooLarge());
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        private IOException tooLarge() {
            return new IOException("the answer is larger than " + maxBytes / 1024 + " KiB");
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
