package org.idbroker.server.web;

import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The host a browser used to reach the broker, against the public URL's. A browser keeps cookies per host, and the
 * IdP always sends it back to the public URL: a sign-in started at another name of the same broker
 * ({@code 127.0.0.1} for {@code localhost}) would come back without its login cookie. So a sign-in is started on
 * the public host, and a callback that lost its cookie that way is told where to go.
 *
 * <p>The host is the request's own authority: its {@code Host}, or what a trusted proxy forwarded ({@code
 * Forwarded} / {@code X-Forwarded-Host}, applied by Jetty only from {@code --trusted-proxies}); a header from anyone
 * else is not believed. A proxy may still rewrite {@code Host} and say nothing: a sign-in start is therefore sent to
 * the public host at most once, marked with {@value #CHECKED}, so it never loops. The
 * host only ever chooses whether to redirect: the target is always the configured public URL.
 */
final class PublicAddress {

    /** The query parameter marking a sign-in start already sent to the public host. */
    static final String CHECKED = "hostChecked";
    private static final Pattern HOST = Pattern.compile("(\\[[0-9a-fA-F:.]{2,60}\\]|[A-Za-z0-9._-]{1,253})(:[0-9]{1,5})?");

    private PublicAddress() {
    }

    /** The host (and port, when given) the browser used, lower case; empty when the request names none usable. */
    static Optional<String> requestHost(UriInfo uriInfo) {
        URI request = uriInfo.getRequestUri();
        if (request.getHost() == null) {
            return Optional.empty();
        }
        String host = request.getPort() == -1 ? request.getHost() : request.getHost() + ":" + request.getPort();
        return HOST.matcher(host).matches() ? Optional.of(host.toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /** Whether {@code host} (as {@link #requestHost} gives it) names the public URL's host and port. */
    static boolean isPublic(String host, URI publicUrl) {
        String publicHost = publicUrl.getHost().toLowerCase(Locale.ROOT);
        int publicPort = publicUrl.getPort() != -1 ? publicUrl.getPort() : "https".equals(publicUrl.getScheme()) ? 443 : 80;
        int colon = host.lastIndexOf(':');
        boolean hasPort = colon > host.lastIndexOf(']');
        String name = hasPort ? host.substring(0, colon) : host;
        if (!name.equals(publicHost)) {
            return false;
        }
        // no port: the scheme's default, which behind a TLS proxy may be either
        return hasPort ? Integer.parseInt(host.substring(colon + 1)) == publicPort : publicPort == 80 || publicPort == 443;
    }

    /**
     * Where to send a browser that started a sign-in through {@code providerId} at another host: the same start on
     * the public URL, with its {@code redirectAfterLoginTo} and {@code mode}, marked as checked.
     */
    static URI signInStart(URI publicUrl, String providerId, String redirectAfterLoginTo, String mode, String loginHint) {
        StringBuilder uri = new StringBuilder(publicUrl.toString()).append("/api/users/authenticate/").append(providerId).append('?');
        if (redirectAfterLoginTo != null) {
            uri.append("redirectAfterLoginTo=").append(encode(redirectAfterLoginTo)).append('&');
        }
        if (mode != null) {
            uri.append("mode=").append(encode(mode)).append('&');
        }
        if (loginHint != null) {
            uri.append("loginHint=").append(encode(loginHint)).append('&');
        }
        return URI.create(uri.append(CHECKED).append("=1").toString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
