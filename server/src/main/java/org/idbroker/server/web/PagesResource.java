package org.idbroker.server.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web pages: static files from {@code web/} on the class path, calling the JSON API.
 * {@code /app/sign-in} serves {@code web/sign-in.html}.
 */
@Path("/")
public final class PagesResource {

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    @GET
    public Response root() {
        return Response.seeOther(URI.create("/app/")).build();
    }

    @GET
    @Path("/app")
    public Response app() {
        return Response.seeOther(URI.create("/app/")).build();
    }

    @GET
    @Path("/app/{path: .*}")
    public Response page(@PathParam("path") String path) {
        String file = path.isEmpty() ? "index.html" : path;
        if (!file.matches("[a-z0-9-]+(/[a-z0-9-]+)*(\\.[a-z0-9]+)?")) {
            throw ApiException.notFound("There is no page at this address.");
        }
        if (!file.contains(".")) {
            file = file + ".html";
        }
        String extension = file.substring(file.lastIndexOf('.') + 1);
        String type = TYPES.get(extension);
        byte[] body = type == null ? null : load(file);
        if (body == null) {
            throw ApiException.notFound("There is no page at this address.");
        }
        return Response.ok(body, type)
                .header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
                .header("Referrer-Policy", "same-origin")
                .build();
    }

    private byte[] load(String file) {
        byte[] cached = cache.get(file);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = PagesResource.class.getClassLoader().getResourceAsStream("web/" + file)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            cache.put(file, bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
