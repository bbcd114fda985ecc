package org.idbroker.server.web.oidc;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.idbroker.core.oauth.AuthorizationCodes;
import org.idbroker.core.oauth.AuthorizationRequests;
import org.idbroker.core.oauth.RefreshTokens;
import org.idbroker.server.BackgroundWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the signing keys on schedule (every node checks; the database lets one decide) and deletes
 * expired codes and pending requests. Expired rows are refused when read anyway; this keeps tables small.
 */
public final class OidcMaintenance implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(OidcMaintenance.class);

    private final OidcKeys keys;
    private final AuthorizationRequests requests;
    private final AuthorizationCodes codes;
    private final RefreshTokens refreshTokens;
    private final ScheduledExecutorService executor = BackgroundWork.scheduler("oidc-maintenance");

    OidcMaintenance(OidcKeys keys, AuthorizationRequests requests, AuthorizationCodes codes, RefreshTokens refreshTokens) {
        this.refreshTokens = requireNonNull(refreshTokens, "refreshTokens is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.requests = requireNonNull(requests, "requests is null");
        this.codes = requireNonNull(codes, "codes is null");
    }

    public void start() {
        executor.scheduleWithFixedDelay(this::runOnce, 0, INTERVAL.toSeconds(), TimeUnit.SECONDS);
    }

    void runOnce() {
        try {
            keys.maintain();
            requests.purgeExpired();
            codes.purgeExpired();
            refreshTokens.purgeExpired();
        } catch (RuntimeException e) {
            LOG.warn("OpenID Provider maintenance failed: {}", e.getMessage());
        }
    }

    /** Stops the schedule, waiting for a run that is under way ({@link BackgroundWork#stop}). */
    @Override
    public void close() {
        BackgroundWork.stop(executor);
    }
}
