package org.idbroker.server.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses JSON request bodies over {@value #MAX_JSON_BYTES} bytes with 413: at once when the
 * declared length is over, else as soon as reading passes the limit (chunked bodies).
 */
@PreMatching
@Priority(Priorities.ENTITY_CODER)
public final class BodyLimit implements ContainerRequestFilter, ReaderInterceptor {

    public static final int MAX_JSON_BYTES = 64 * 1024;
    /**
     * A refused body up to this size is read and dropped before answering, so the client, still sending
     * it, reads the 413 instead of a reset connection; a larger one closes the connection.
     */
    private static final long MAX_DRAINED_BYTES = 1024 * 1024;

    @Override
    public void filter(ContainerRequestContext request) {
        if (isJson(request.getMediaType()) && request.getLength() > MAX_JSON_BYTES) {
            if (request.getLength() <= MAX_DRAINED_BYTES) {
                drain(request.getEntityStream());
            }
            throw tooLarge();
        }
    }

    /**
     * Reads and drops a body the answer does not need (up to 1 MiB), so the client, still sending it or about
     * to reuse the connection, reads the answer instead of a reset connection.
     */
    public static void drain(InputStream body) {
        try {
            byte[] buffer = new byte[8192];
            long total = 0;
            for (int n; total <= MAX_DRAINED_BYTES && (n = body.read(buffer)) >= 0; ) {
                total += n;
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (!isJson(context.getMediaType())) {
            return context.proceed();
        }
        InputStream body = context.getInputStream();
        context.setInputStream(new Limited(body));
        try {
            return context.proceed();
        } catch (IOException | RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof TooLarge) {
                    drain(body);
                    throw tooLarge();
                }
            }
            throw e;
        }
    }

    private static boolean isJson(MediaType type) {
        return type != null && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "payload_too_large",
                "The request body is larger than " + MAX_JSON_BYTES / 1024 + " KiB, the most this API accepts.");
    }

    /** Thrown by the stream when the body passes the limit. */
    private static final class TooLarge extends IOException {
        TooLarge() {
            super("request body too large", null);
        }
    }

    private static final class Limited extends FilterInputStream {
        private long read;

        Limited(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws TooLarge {
            read += n;
            if (read > MAX_JSON_BYTES) {
                throw new TooLarge();
            }
        }
    }
}
