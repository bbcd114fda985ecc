package org.idbroker.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sign-in service of the drop-in example module: {@code /login} sends the browser back to the
 * service with a one-time ticket for the scripted person, {@code /validate} tells who it stands for.
 */
public final class TicketService implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, String> tickets = new ConcurrentHashMap<>();
    private volatile String nextPerson;

    private TicketService(HttpServer server) {
        this.server = server;
    }

    public static TicketService start() {
        try {
            TicketService service = new TicketService(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
            service.server.createContext("/login", service::login);
            service.server.createContext("/validate", service::validate);
            service.server.start();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** The next person to sign in, as the lines {@code /validate} answers (user=..., name=..., ...). */
    public void nextSignIn(String validationAnswer) {
        nextPerson = validationAnswer;
    }

    private void login(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String person = nextPerson;
        nextPerson = null;
        if (person == null || query.get("service") == null) {
            send(exchange, 400, "nobody to sign in");
            return;
        }
        String ticket = "ST-" + UUID.randomUUID();
        tickets.put(ticket, query.get("service") + "\n" + person);
        exchange.getResponseHeaders().set("Location", query.get("service") + "?ticket=" + ticket + "&state="
                + URLEncoder.encode(query.getOrDefault("state", ""), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void validate(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String entry = query.get("ticket") == null ? null : tickets.remove(query.get("ticket"));
        if (entry == null || !entry.startsWith(query.get("service") + "\n")) {
            send(exchange, 404, "INVALID_TICKET");
            return;
        }
        send(exchange, 200, entry.substring(entry.indexOf('\n') + 1));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
