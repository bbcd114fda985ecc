package org.idbroker.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A validated back-channel logout token.
 *
 * @param issuer the token's issuer
 * @param subject the person whose sessions end, or {@code null} when only {@code sid} is given
 * @param idpSessionId the IdP session that ended, or {@code null}
 * @param tokenId the {@code jti}, which the broker refuses to see twice
 * @param expiresAt when the broker may forget the {@code jti}
 */
public record LogoutNotice(String issuer, String subject, String idpSessionId, String tokenId, Instant expiresAt) {
    public LogoutNotice {
        requireNonNull(issuer, "issuer is null");
        requireNonNull(tokenId, "tokenId is null");
        requireNonNull(expiresAt, "expiresAt is null");
        if (subject == null && idpSessionId == null) {
            throw new IllegalArgumentException("a logout notice needs a subject or a session id");
        }
    }
}
