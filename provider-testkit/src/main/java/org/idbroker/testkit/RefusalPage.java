package org.idbroker.testkit;

import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page a browser lands on when the broker refuses a sign-in, as the person reads it.
 *
 * @param status the HTTP status
 * @param code the reason code shown for the administrator
 * @param message the text that says what went wrong and what to do
 */
public record RefusalPage(int status, String code, String message) {

    private static final Pattern MESSAGE = Pattern.compile("id=\"error-message\">(.*?)</p>", Pattern.DOTALL);
    private static final Pattern CODE = Pattern.compile("id=\"error-code\">(.*?)</code>", Pattern.DOTALL);

    /** The refusal shown by this response, or empty when the response is no refusal page. */
    public static Optional<RefusalPage> of(HttpResponse<String> response) {
        Matcher message = MESSAGE.matcher(response.body());
        Matcher code = CODE.matcher(response.body());
        if (!message.find() || !code.find()) {
            return Optional.empty();
        }
        return Optional.of(new RefusalPage(response.statusCode(), unescape(code.group(1)), unescape(message.group(1))));
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }
}
