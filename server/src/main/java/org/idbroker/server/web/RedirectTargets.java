package org.idbroker.server.web;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a browser may be sent after sign-in: only a path on this broker. Anything else (another
 * host, a scheme, {@code //host}, {@code /\host}, control characters) becomes {@code /}.
 */
public final class RedirectTargets {

    public static final String HOME = "/";
    private static final int MAX_LENGTH = 2048;

    private RedirectTargets() {
    }

    public static String safe(String requested) {
        if (requested == null || requested.isEmpty() || requested.length() > MAX_LENGTH) {
            return HOME;
        }
        if (requested.charAt(0) != '/' || requested.startsWith("//") || requested.indexOf('\\') >= 0) {
            return HOME;
        }
        for (int i = 0; i < requested.length(); i++) {
            char c = requested.charAt(i);
            if (c < 0x21 || c == 0x7f) {
                return HOME;
            }
        }
        try {
            URI uri = new URI(requested);
            if (uri.isAbsolute() || uri.getRawAuthority() != null || uri.getRawPath() == null || !uri.getRawPath().startsWith("/")) {
                return HOME;
            }
        } catch (URISyntaxException e) {
            return HOME;
        }
        return requested;
    }
}
