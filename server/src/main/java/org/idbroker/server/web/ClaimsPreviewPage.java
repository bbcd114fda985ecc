package org.idbroker.server.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.idbroker.core.signin.ClaimsPreview;

/** Shows a claims preview: an escaped HTML page for a browser, JSON for a script. */
@Singleton
public final class ClaimsPreviewPage {

    private final ObjectMapper json;

    @Inject
    public ClaimsPreviewPage(ObjectMapper json) {
        this.json = requireNonNull(json, "json is null");
    }

    public Response render(ClaimsPreview preview, HttpHeaders headers) {
        if (!HtmlPages.wantsHtml(headers)) {
            return Response.ok(preview, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
        }
        return HtmlPages.guarded(Response.ok(html(preview), MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))).build();
    }

    private String html(ClaimsPreview p) {
        StringBuilder body = new StringBuilder();
        body.append("<h1>Test sign-in through ").append(e(p.providerId())).append("</h1>\n");
        body.append("<p class=\"notice\">Nothing was stored: no session, no account change.</p>\n");
        if (p.refusal() != null) {
            body.append("<h2>The broker would refuse this sign-in</h2>\n<p class=\"error-message\" id=\"refusal\">")
                    .append(e(p.refusal().message())).append("</p>\n<p>Reason code: <code id=\"refusal-code\">")
                    .append(e(p.refusal().code())).append("</code> (refused by the ").append(e(p.refusal().by())).append(")</p>\n");
        } else {
            body.append("<h2>The broker would sign this person in</h2>\n<p id=\"decision\">As ")
                    .append(p.user().exists() ? "the existing user " : "a new user ").append("<strong>")
                    .append(e(p.user().username())).append("</strong>").append(p.user().email() == null ? ""
                            : " (" + e(p.user().email()) + ")").append(", ").append(e(rule(p.matchedBy()))).append(".</p>\n");
            body.append("<h3>Teams</h3>\n<ul id=\"teams\">\n");
            p.teams().forEach(t -> body.append("<li>").append(e(t.name())).append(" &mdash; ").append(e(via(t))).append("</li>\n"));
            body.append("</ul>\n<p>Permissions: ").append(e(p.permissions().isEmpty() ? "none"
                    : String.join(", ", new java.util.TreeSet<>(p.permissions())))).append("</p>\n");
        }
        if (p.identity() != null) {
            body.append("<h2>What the provider said</h2>\n<table id=\"identity\">\n");
            row(body, "Issuer", p.identity().issuer());
            row(body, "Subject", p.identity().subject());
            row(body, "Username", p.identity().username());
            row(body, "Display name", p.identity().displayName());
            row(body, "Email", p.identity().email());
            row(body, "Email verified", String.valueOf(p.identity().emailVerified()));
            row(body, "Groups", String.join(", ", p.identity().groups()));
            body.append("</table>\n<h2>What the upstream sent (claims or attributes)</h2>\n<table id=\"claims\">\n");
            for (Map.Entry<String, Object> claim : p.claims().entrySet()) {
                row(body, claim.getKey(), text(claim.getValue()));
            }
            body.append("</table>\n");
        }
        return HtmlPages.document("Test sign-in", "claims-preview", body.toString());
    }

    private static String rule(String matchedBy) {
        return switch (matchedBy) {
            case "external_identifier" -> "found by its external identifier (issuer and subject)";
            case "email" -> "found by email address, and the identity would be linked to it";
            case "created" -> "created because no account matches and automatic creation is on";
            default -> matchedBy;
        };
    }

    private static String via(ClaimsPreview.TeamView team) {
        return switch (team.via()) {
            case "group" -> "from the group '" + team.group() + "'";
            case "member" -> "listed as a member";
            default -> "every active user";
        };
    }

    private String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException ex) {
            return String.valueOf(value);
        }
    }

    private static void row(StringBuilder body, String name, String value) {
        body.append("<tr><th>").append(e(name)).append("</th><td>").append(e(value == null ? "" : value)).append("</td></tr>\n");
    }

    private static String e(String text) {
        return HtmlPages.escape(text);
    }
}
