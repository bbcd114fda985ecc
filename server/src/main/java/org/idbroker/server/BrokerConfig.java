package org.idbroker.server;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import org.idbroker.core.sessions.SessionLifetimes;

/**
 * How this broker node runs.
 *
 * @param publicUrl the address people and IdPs reach the broker at; redirect URIs are built from it
 * @param httpPort the port to listen on (0 picks a free one)
 * @param bindHost the interface to listen on
 * @param devMode whether this is {@code start-dev}
 * @param sessionLifetimes idle and absolute session lifetimes
 */
public record BrokerConfig(URI publicUrl, int httpPort, String bindHost, boolean devMode, SessionLifetimes sessionLifetimes) {

    public BrokerConfig {
        requireNonNull(publicUrl, "publicUrl is null");
        requireNonNull(bindHost, "bindHost is null");
        requireNonNull(sessionLifetimes, "sessionLifetimes is null");
        publicUrl = normalizePublicUrl(publicUrl);
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("the HTTP port must be between 0 and 65535, got " + httpPort);
        }
    }

    /** Whether cookies must carry {@code Secure}. */
    public boolean secureCookies() {
        return "https".equals(publicUrl.getScheme());
    }

    /** {@code <public url>/api/users/authenticatedToken/<id>}: the redirect URI to register at the IdP. */
    public URI redirectUri(String providerId) {
        return redirectUri(publicUrl, providerId);
    }

    /** The redirect URI of a provider for a (normalized) public URL, for commands that run no server. */
    public static URI redirectUri(URI publicUrl, String providerId) {
        return URI.create(publicUrl + "/api/users/authenticatedToken/" + providerId);
    }

    /** {@code <public url>/api/users/backchannel-logout/<id>}: the back-channel logout URI for the IdP. */
    public URI backchannelLogoutUri(String providerId) {
        return backchannelLogoutUri(publicUrl, providerId);
    }

    /** The back-channel logout URI of a provider for a (normalized) public URL. */
    public static URI backchannelLogoutUri(URI publicUrl, String providerId) {
        return URI.create(publicUrl + "/api/users/backchannel-logout/" + providerId);
    }

    /** Checks a public URL: absolute http(s), no query or fragment; returned without a trailing slash. */
    public static URI normalizePublicUrl(URI url) {
        String scheme = url.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme) || url.getHost() == null) {
            throw new IllegalArgumentException("the public URL must be an absolute http or https URL such as "
                    + "https://broker.example.com, got '" + url + "'");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the public URL must not hold a query, a fragment or credentials, got '" + url + "'");
        }
        String text = url.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text);
    }
}
