package org.idbroker.server.web;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The few pages the server renders itself: a refused sign-in, for browsers that navigated here. */
public final class HtmlPages {

    private HtmlPages() {
    }

    /** Whether the caller is a browser navigating (as opposed to a script asking for JSON). */
    public static boolean wantsHtml(HttpHeaders headers) {
        return headers.getAcceptableMediaTypes().stream()
                .anyMatch(m -> m.isCompatible(MediaType.TEXT_HTML_TYPE) && !m.isWildcardType());
    }

    /** A refused sign-in: what went wrong, what to do, and the reason code for the administrator. */
    public static Response signInRefused(int status, String code, String message, HttpHeaders headers) {
        if (!wantsHtml(headers)) {
            return ErrorMappers.json(status, code, message);
        }
        return guarded(Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .entity(signInRefusedHtml(code, message))).build();
    }

    /**
     * A page the server renders, with the protections of the shipped pages: never cached, never framed by another
     * site (clickjacking), its forms posting only to the broker, no referrer sent elsewhere.
     */
    static Response.ResponseBuilder guarded(Response.ResponseBuilder page) {
        return page.header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
                .header("Referrer-Policy", "same-origin");
    }

    /** The refused sign-in page's HTML, for answers made outside Jersey. */
    public static String signInRefusedHtml(String code, String message) {
        return document("Sign-in refused", "sign-in-error", """
                <h1>Sign-in refused</h1>
                <p class="error-message" id="error-message">%s</p>
                <p class="reason">Reason code for your administrator: <code id="error-code">%s</code></p>
                <p><a class="button" href="/app/sign-in">Back to the sign-in page</a></p>
                """.formatted(escape(message), escape(code)));
    }

    /**
     * A page the broker renders itself: the common head and style sheet, and {@code main} (HTML, already escaped) in
     * the card with id {@code mainId}; {@code title} (HTML, already escaped) is followed by " - IdBroker".
     */
    public static String document(String title, String mainId, String main) {
        return """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s - IdBroker</title>
                <link rel="stylesheet" href="/app/style.css">
                </head>
                <body>
                <main class="card" id="%s">
                %s</main>
                </body>
                </html>
                """.formatted(title, mainId, main);
    }

    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
