package org.idbroker.providers.oidc;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.idbroker.spi.BoundedHttp;

/**
 * Reads one document from the IdP the way the doctor needs it: fresh (no cache), telling a DNS failure
 * from a refused connection, a TLS failure, a timeout and a bad HTTP status, and keeping the
 * {@code Date} header to compare clocks.
 */
final class MetadataProbe {

    private static final int MAX_BYTES = 512 * 1024;

    private final HttpClient client;
    private final Duration timeout;

    MetadataProbe(Duration timeout) {
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * A document read.
     *
     * @param status the HTTP status
     * @param contentType the Content-Type header, or empty
     * @param body the body as text
     * @param idpDate the IdP's {@code Date} header, when sent and readable
     * @param sentAt when the request left
     * @param receivedAt when the answer arrived
     */
    record Document(int status, String contentType, String body, Optional<Instant> idpDate, Instant sentAt, Instant receivedAt) {
        boolean isJson() {
            String type = contentType.toLowerCase(java.util.Locale.ROOT);
            return type.startsWith("application/json") || type.matches("application/[a-z0-9.+-]*\\+json.*");
        }
    }

    /** A document that could not be read; the message says at which step and what to check. */
    static final class ProbeException extends Exception {
        ProbeException(String message) {
            super(message);
        }
    }

    Document get(URI uri) throws ProbeException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        Instant sentAt = Instant.now();
        HttpResponse<byte[]> response;
        // one deadline for the whole answer, body included, and a cap on its size, as for every call to the IdP
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request,
                BoundedHttp.capped(MAX_BYTES));
        try {
            response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new ProbeException("timeout: " + uri.getHost() + " did not send all of " + uri + " within "
                    + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io && io.getMessage() != null && io.getMessage().startsWith("the answer is larger")) {
                throw new ProbeException(uri + " answered more than " + MAX_BYTES / 1024 + " KiB, which is not a metadata document");
            }
            throw new ProbeException(describe(uri, e.getCause() instanceof IOException io ? io : new IOException(e.getCause())));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted while reading " + uri);
        }
        Instant receivedAt = Instant.now();
        byte[] bytes = response.body();
        return new Document(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                new String(bytes, java.nio.charset.StandardCharsets.UTF_8),
                response.headers().firstValue("Date").flatMap(MetadataProbe::httpDate), sentAt, receivedAt);
    }

    /** What went wrong, at which step, in plain words. */
    static String describe(URI uri, IOException e) {
        String host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        if (has(e, UnknownHostException.class) || has(e, UnresolvedAddressException.class)) {
            return "DNS: the host name " + uri.getHost() + " does not resolve; check the spelling of the issuer and that"
                    + " this machine's DNS knows the host";
        }
        if (has(e, SSLException.class)) {
            return "TLS: the secure connection to " + host + " failed (" + Errors.rootMessage(e) + "); check that the"
                    + " address uses the right scheme and port, and that its certificate is valid and trusted by this"
                    + " machine's Java (add the CA to the trust store for a private CA)";
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connection: " + host + " did not accept a connection in time" + ("https".equals(uri.getScheme())
                    ? " or did not complete the TLS handshake (does the port serve plain HTTP?)" : "")
                    + "; check the port, and firewalls and proxies between the broker and the provider";
        }
        if (e instanceof HttpTimeoutException) {
            return "timeout: " + host + " did not answer " + uri + " in time";
        }
        if (has(e, ConnectException.class)) {
            return "connection: nothing accepts connections at " + host + " (" + Errors.rootMessage(e) + "); check the"
                    + " port and that the provider is running";
        }
        return "the request to " + uri + " failed (" + Errors.rootMessage(e) + ")";
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Instant> httpDate(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
