package org.idbroker.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.idbroker.server.web.HtmlPages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most so many sign-in starts ({@code GET /api/users/authenticate/...} and the password form's
 * {@code GET /app/sign-in/...}, each of which stores a login
 * transaction) per minute from one client address, with a burst of as many: a token bucket per
 * address, refilled continuously. One more answers 429 with {@code Retry-After} (the seconds until the
 * next start is allowed), before Jersey or the database sees it. Per node; the buckets of addresses
 * that have been quiet are forgotten, so the table stays small under a flood from many addresses.
 */
final class SignInStartRate extends Handler.Wrapper {

    static final String PATH = "/api/users/authenticate/";
    /** The password form's address, whose GET starts a sign-in too. */
    static final String FORM_PATH = "/app/sign-in/";
    private static final Logger LOG = LoggerFactory.getLogger(SignInStartRate.class);
    /** Past this many addresses, the buckets that are full again are dropped. */
    private static final int MAX_TRACKED = 10_000;
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private final int perMinute;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    SignInStartRate(Handler handler, int perMinute, LongSupplier nanoClock) {
        super(handler);
        this.perMinute = perMinute;
        this.nanoClock = nanoClock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (perMinute > 0 && HttpMethod.GET.is(request.getMethod())
                && (Request.getPathInContext(request).startsWith(PATH) || Request.getPathInContext(request).startsWith(FORM_PATH))) {
            long waitNanos = take(Request.getRemoteAddr(request));
            if (waitNanos > 0) {
                refuse(request, response, callback, (waitNanos + 999_999_999L) / 1_000_000_000L);
                return true;
            }
        }
        return super.handle(request, response, callback);
    }

    /** Takes one start from the address's bucket: 0 when allowed, else how long until one is. */
    long take(String address) {
        long now = nanoClock.getAsLong();
        if (buckets.size() > MAX_TRACKED) {
            forgetFullBuckets(now);
        }
        Bucket bucket = buckets.computeIfAbsent(address, a -> new Bucket(perMinute, now));
        synchronized (bucket) {
            bucket.refill(now, perMinute);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - bucket.tokens) * NANOS_PER_MINUTE / perMinute);
        }
    }

    private void forgetFullBuckets(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket bucket = it.next();
            synchronized (bucket) {
                bucket.refill(now, perMinute);
                if (bucket.tokens >= perMinute) {
                    it.remove();
                }
            }
        }
    }

    private void refuse(Request request, Response response, Callback callback, long retryAfterSeconds) {
        LOG.debug("Sign-in start from {} refused: more than {} per minute", Request.getRemoteAddr(request), perMinute);
        String message = "Too many sign-ins were started from your address in the last minute (at most " + perMinute
                + "). Wait " + retryAfterSeconds + " second" + (retryAfterSeconds == 1 ? "" : "s") + " and try again.";
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        boolean html = accept != null && accept.contains("text/html");
        String body = html ? HtmlPages.signInRefusedHtml("too_many_sign_ins", message)
                : "{\"error\":\"too_many_sign_ins\",\"message\":\"" + message + "\"}";
        response.setStatus(429);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, html ? "text/html;charset=utf-8" : "application/json");
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfterSeconds));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** Starts left, refilled at {@code perMinute} a minute up to {@code perMinute}. */
    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(int perMinute, long now) {
            this.tokens = perMinute;
            this.refilledAt = now;
        }

        void refill(long now, int perMinute) {
            long elapsed = now - refilledAt;
            if (elapsed > 0) {
                tokens = Math.min(perMinute, tokens + (double) elapsed * perMinute / NANOS_PER_MINUTE);
                refilledAt = now;
            }
        }
    }
}
