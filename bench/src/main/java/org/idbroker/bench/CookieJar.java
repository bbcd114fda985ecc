package org.idbroker.bench;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * A browser's cookies for one site, as much of RFC 6265 as a sign-in needs: name, value and path; a cookie set
 * again replaces the old one, one set with a past expiry or {@code Max-Age=0} is removed. Not thread-safe.
 */
final class CookieJar {

    private record Cookie(String name, String value, String path) {
    }

    private final List<Cookie> cookies = new ArrayList<>(8);

    /** Takes every {@code Set-Cookie} of an answer to a request for {@code requestPath}. */
    void take(HttpConnection.Response response, String requestPath) {
        for (String[] header : response.headers()) {
            if (header[0].equals("set-cookie")) {
                set(header[1], requestPath);
            }
        }
    }

    private void set(String setCookie, String requestPath) {
        String[] parts = setCookie.split(";");
        int eq = parts[0].indexOf('=');
        if (eq <= 0) {
            return;
        }
        String name = parts[0].substring(0, eq).trim();
        String value = parts[0].substring(eq + 1).trim();
        String path = defaultPath(requestPath);
        boolean expired = false;
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i].trim();
            String lower = attribute.toLowerCase(Locale.ROOT);
            if (lower.startsWith("path=")) {
                path = attribute.substring(5);
            } else if (lower.startsWith("max-age=")) {
                expired |= attribute.substring(8).trim().startsWith("0") || attribute.substring(8).trim().startsWith("-");
            } else if (lower.startsWith("expires=")) {
                try {
                    expired |= ZonedDateTime.parse(attribute.substring(8).trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                            .isBefore(ZonedDateTime.now());
                } catch (RuntimeException e) {
                    // an unreadable date: a session cookie
                }
            }
        }
        for (Iterator<Cookie> it = cookies.iterator(); it.hasNext(); ) {
            Cookie c = it.next();
            if (c.name.equals(name) && c.path.equals(path)) {
                it.remove();
            }
        }
        if (!expired) {
            cookies.add(new Cookie(name, value, path));
        }
    }

    private static String defaultPath(String requestPath) {
        int slash = requestPath.lastIndexOf('/');
        return slash <= 0 ? "/" : requestPath.substring(0, slash);
    }

    /** The {@code Cookie} header for a request to {@code path}, or {@code null} without a cookie for it. */
    String header(String path) {
        StringBuilder header = null;
        for (Cookie c : cookies) {
            if (path.equals(c.path) || path.startsWith(c.path.endsWith("/") ? c.path : c.path + "/")) {
                header = header == null ? new StringBuilder(256) : header.append("; ");
                header.append(c.name).append('=').append(c.value);
            }
        }
        return header == null ? null : header.toString();
    }

    String value(String name) {
        for (Cookie c : cookies) {
            if (c.name.equals(name)) {
                return c.value;
            }
        }
        return null;
    }
}
