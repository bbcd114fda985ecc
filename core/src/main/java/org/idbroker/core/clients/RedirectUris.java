package org.idbroker.core.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which URIs a client may register as a place to send a browser back to: absolute {@code https}
 * URIs, or {@code http} on a loopback address; no credentials ({@code user@}), no fragment, no
 * dot segments or encoded dots and slashes (nothing a server might normalise into another path),
 * nothing but printable ASCII. Requests are later matched against the registered strings exactly.
 */
public final class RedirectUris {

    public static final int MAX_LENGTH = 1000;

    private RedirectUris() {
    }

    /** Why {@code uri} cannot be registered, or empty when it can. */
    public static Optional<String> problem(String uri) {
        if (uri == null || uri.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (uri.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                return Optional.of("'" + shown(uri) + "' holds a space, a backslash or a character outside printable ASCII");
            }
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("'" + shown(uri) + "' is not a valid URI");
        }
        String scheme = parsed.getScheme() == null ? null : parsed.getScheme();
        if (scheme == null || !parsed.isAbsolute()) {
            return Optional.of("'" + shown(uri) + "' must be an absolute URI such as https://app.example.com/callback");
        }
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("'" + shown(uri) + "' must use https (or http for a loopback address), not " + scheme.toLowerCase(Locale.ROOT));
        }
        if (parsed.getRawUserInfo() != null || parsed.getRawAuthority() != null && parsed.getRawAuthority().contains("@")) {
            return Optional.of("'" + shown(uri) + "' must not hold credentials (user@)");
        }
        if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
            return Optional.of("'" + shown(uri) + "' must name a host");
        }
        if (parsed.getRawFragment() != null || uri.contains("#")) {
            return Optional.of("'" + shown(uri) + "' must not hold a fragment (#)");
        }
        if (scheme.equals("http") && !isLoopback(parsed.getHost())) {
            return Optional.of("'" + shown(uri) + "' must use https: http is only for a loopback address (127.0.0.1, [::1], localhost)");
        }
        String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains(";")) {
            return Optional.of("'" + shown(uri) + "' must not hold encoded dots or slashes or ';' in its path");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("'" + shown(uri) + "' must not hold '.' or '..' path segments");
            }
        }
        return Optional.empty();
    }

    private static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("127.0.0.1") || h.equals("[::1]") || h.equals("::1");
    }

    private static String shown(String uri) {
        return uri.length() > 80 ? uri.substring(0, 80) + "..." : uri;
    }
}
