package org.idbroker.server.web.oidc;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.idbroker.core.clients.Client;
import org.idbroker.core.clients.Clients;
import org.idbroker.core.oauth.SigningKeys;
import org.idbroker.core.oauth.BackchannelLogouts;
import org.idbroker.server.BackgroundWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts back-channel logout tokens (OpenID Connect Back-Channel Logout 1.0) to the clients that
 * received tokens in a session that ended, from the queue in PostgreSQL: every {@link #INTERVAL} each
 * node takes the due deliveries no other node holds, posts each with a deadline, and retries
 * failures later. Redirects are not followed.
 */
public final class BackchannelDelivery implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofSeconds(2);
    static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(BackchannelDelivery.class);

    private final BackchannelLogouts logouts;
    private final TokenIssuer issuer;
    private final Clients clients;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(DEADLINE)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ScheduledExecutorService executor = BackgroundWork.scheduler("backchannel-logout");

    BackchannelDelivery(BackchannelLogouts logouts, TokenIssuer issuer, Clients clients) {
        this.logouts = requireNonNull(logouts, "logouts is null");
        this.issuer = requireNonNull(issuer, "issuer is null");
        this.clients = requireNonNull(clients, "clients is null");
    }

    public void start() {
        executor.scheduleWithFixedDelay(this::runOnce, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    void runOnce() {
        try {
            int received;
            do {
                received = logouts.deliverDue(5, this::send);
            } while (received == 5 && !executor.isShutdown()); // a stop lets the batch in hand finish, not the queue
        } catch (RuntimeException e) {
            LOG.warn("Back-channel logout delivery failed: {}", e.getMessage());
        }
    }

    private String send(BackchannelLogouts.Delivery delivery) {
        String algorithm = clients.find(delivery.clientId()).map(Client::signingAlgorithm).orElse(SigningKeys.DEFAULT_ALGORITHM);
        String token = issuer.logoutToken(delivery.clientId(), algorithm, delivery.userId(), delivery.sessionId());
        HttpRequest request = HttpRequest.newBuilder(URI.create(delivery.uri())).timeout(DEADLINE)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 200 || response.statusCode() == 204) {
                LOG.info("Back-channel logout delivered to client {}", delivery.clientId());
                return null;
            }
            return "HTTP " + response.statusCode();
        } catch (java.io.IOException e) {
            LOG.warn("Back-channel logout to client {} failed (attempt {}): {}", delivery.clientId(), delivery.attempts() + 1,
                    e.getMessage());
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Stops the schedule, waiting for the batch being delivered ({@link BackgroundWork#stop}). */
    @Override
    public void close() {
        BackgroundWork.stop(executor);
    }
}
