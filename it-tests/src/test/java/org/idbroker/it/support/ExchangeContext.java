package org.idbroker.it.support;

import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.idbroker.core.crypto.Tokens;
import org.pac4j.core.context.Cookie;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.context.session.SessionStore;

/**
 * pac4j's view of one request to the JDK's HTTP server: query parameters, headers and cookies in,
 * headers and cookies out. {@link Sessions} keeps pac4j's per-browser values (state, nonce, PKCE
 * verifier) in memory under a cookie, as a servlet container's session would.
 */
final class ExchangeContext implements WebContext {

    private static final String SESSION_COOKIE = "pac4j_session";
    private final HttpExchange exchange;
    private final Map<String, List<String>> query;
    private final Map<String, Object> attributes = new HashMap<>();
    private final List<Cookie> cookies = new ArrayList<>();

    ExchangeContext(HttpExchange exchange) {
        this.exchange = exchange;
        String raw = exchange.getRequestURI().getRawQuery();
        this.query = raw == null ? Map.of() : URLUtils.parseParameters(raw);
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    cookies.add(new Cookie(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim()));
                }
            }
        }
    }

    void send(int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public Optional<String> getRequestParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public Map<String, String[]> getRequestParameters() {
        Map<String, String[]> out = new LinkedHashMap<>();
        query.forEach((name, values) -> out.put(name, values.toArray(String[]::new)));
        return out;
    }

    @Override
    public Optional getRequestAttribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    @Override
    public void setRequestAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public Optional<String> getRequestHeader(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    @Override
    public String getRequestMethod() {
        return exchange.getRequestMethod();
    }

    @Override
    public String getRemoteAddr() {
        return exchange.getRemoteAddress().getAddress().getHostAddress();
    }

    @Override
    public void setResponseHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    @Override
    public Optional<String> getResponseHeader(String name) {
        return Optional.ofNullable(exchange.getResponseHeaders().getFirst(name));
    }

    @Override
    public void setResponseContentType(String type) {
        setResponseHeader("Content-Type", type);
    }

    @Override
    public String getServerName() {
        return exchange.getLocalAddress().getAddress().getHostAddress();
    }

    @Override
    public int getServerPort() {
        return exchange.getLocalAddress().getPort();
    }

    @Override
    public String getScheme() {
        return "http";
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public String getFullRequestURL() {
        return "http://" + getServerName() + ":" + getServerPort() + exchange.getRequestURI();
    }

    @Override
    public Collection<Cookie> getRequestCookies() {
        return cookies;
    }

    @Override
    public void addResponseCookie(Cookie cookie) {
        exchange.getResponseHeaders().add("Set-Cookie", cookie.getName() + "=" + cookie.getValue() + "; Path=/; HttpOnly");
    }

    @Override
    public String getPath() {
        return exchange.getRequestURI().getPath();
    }

    /** pac4j's session values, per browser (a cookie), in memory. */
    static final class Sessions implements SessionStore {
        private final Map<String, Map<String, Object>> sessions = new ConcurrentHashMap<>();

        @Override
        public Optional<String> getSessionId(WebContext context, boolean create) {
            Optional<String> existing = context.getRequestAttribute(SESSION_COOKIE).map(String.class::cast)
                    .or(() -> context.getRequestCookies().stream().filter(c -> c.getName().equals(SESSION_COOKIE))
                            .map(Cookie::getValue).filter(sessions::containsKey).findFirst());
            if (existing.isPresent() || !create) {
                return existing;
            }
            String id = Tokens.random();
            sessions.put(id, new ConcurrentHashMap<>());
            context.setRequestAttribute(SESSION_COOKIE, id);
            context.addResponseCookie(new Cookie(SESSION_COOKIE, id));
            return Optional.of(id);
        }

        @Override
        public Optional<Object> get(WebContext context, String key) {
            return getSessionId(context, false).map(sessions::get).map(values -> values.get(key));
        }

        @Override
        public void set(WebContext context, String key, Object value) {
            Map<String, Object> values = sessions.get(getSessionId(context, true).orElseThrow());
            if (value == null) {
                values.remove(key);
            } else {
                values.put(key, value);
            }
        }

        @Override
        public boolean destroySession(WebContext context) {
            return getSessionId(context, false).map(sessions::remove).isPresent();
        }

        @Override
        public Optional<Object> getTrackableSession(WebContext context) {
            return Optional.empty();
        }

        @Override
        public Optional<SessionStore> buildFromTrackableSession(WebContext context, Object trackableSession) {
            return Optional.empty();
        }

        @Override
        public boolean renewSession(WebContext context) {
            return false;
        }
    }
}
