package org.idbroker.it.operations;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.idbroker.it.support.TestingApi;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingIdp;
import org.idbroker.server.operations.AccessLog;
import org.idbroker.server.operations.Operations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Behind a reverse proxy: forwarded headers and request ids believed only from a trusted proxy; the
 * client address, user agent and request id in every event, filterable; the request id in the answer
 * and in the MDC of the request's log lines; an access log without the callback's query, cookies or
 * credentials.
 */
class ReverseProxyTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private TestingIdp idp;
    private TestingBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
        if (idp != null) {
            idp.close();
        }
    }

    @Test
    void believesForwardedHeadersAndTheRequestIdOfATrustedProxyOnly() throws Exception {
        idp = TestingIdp.start();
        broker = TestingBroker.start(Operations.DEFAULT.withTrustedProxies(List.of("127.0.0.0/8")).withAccessLog(true));
        broker.configureAsTheGuideSays(idp);

        HttpResponse<String> viaProxy;
        HttpResponse<String> viaRfc7239;
        List<ILoggingEvent> logs;
        try (CapturedLogs captured = new CapturedLogs()) {
            viaProxy = callback(broker, Map.of("X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https",
                    "X-Request-Id", "proxy-req-1", "User-Agent", "Agent/1.0 (proxied)", "Cookie", "idb_login=cookie-SECRET-value",
                    "Authorization", "Bearer credential-SECRET"));
            viaRfc7239 = callback(broker, Map.of("Forwarded", "for=198.51.100.9;proto=https", "User-Agent", "Agent/2.0"));
            logs = captured.awaitFrom(AccessLog.LOGGER, 2);
        }

        assertThat(viaProxy.headers().firstValue("X-Request-Id")).hasValue("proxy-req-1");
        assertThat(event("proxy-req-1")).containsExactly("203.0.113.7", "Agent/1.0 (proxied)");
        String generated = viaRfc7239.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(generated).matches("[0-9a-f]{32}");
        assertThat(event(generated)).containsExactly("198.51.100.9", "Agent/2.0");

        // the refusal's WARN line carries the request id in its MDC
        assertThat(logs).anySatisfy(line -> {
            assertThat(line.getLoggerName()).endsWith("SignInResource");
            assertThat(line.getMDCPropertyMap()).containsEntry("requestId", "proxy-req-1");
        });
        // one access line per request, with the forwarded client, and without the callback's code, cookies or credentials
        List<ILoggingEvent> access = logs.stream().filter(line -> line.getLoggerName().equals(AccessLog.LOGGER)).toList();
        assertThat(access).hasSize(2);
        Map<String, Object> first = keyValues(access.get(0));
        assertThat(first).containsEntry("method", "GET").containsEntry("path", "/api/users/authenticatedToken/GenericOidc")
                .containsEntry("status", 400).containsEntry("client", "203.0.113.7").containsEntry("requestId", "proxy-req-1")
                .containsEntry("userAgent", "Agent/1.0 (proxied)");
        assertThat(logs).allSatisfy(line -> assertThat(line.getFormattedMessage() + keyValues(line))
                .doesNotContain("SECRET").doesNotContain("code=").doesNotContain("forged-state"));

        // the Events API filters on them
        TestingApi admin = TestingApi.signInAdministrator(broker, idp);
        JsonNode byClient = admin.get("/api/events?clientAddress=203.0.113.7").json().get("items");
        assertThat(byClient).hasSize(1);
        assertThat(byClient.get(0).get("requestId").asText()).isEqualTo("proxy-req-1");
        assertThat(byClient.get(0).get("userAgent").asText()).isEqualTo("Agent/1.0 (proxied)");
        assertThat(admin.get("/api/events?userAgent=agent/2").json().get("items")).hasSize(1);
        assertThat(admin.get("/api/events?requestId=" + generated).json().get("items").get(0).get("clientAddress").asText())
                .isEqualTo("198.51.100.9");
    }

    @Test
    void ignoresForwardedHeadersAndRequestIdsFromAnyoneElse() throws Exception {
        broker = TestingBroker.start(Operations.DEFAULT.withTrustedProxies(List.of("10.0.0.0/8")));

        HttpResponse<String> answer = callback(broker, Map.of("X-Forwarded-For", "203.0.113.7", "Forwarded", "for=198.51.100.9",
                "X-Request-Id", "spoofed-id", "User-Agent", "Spoofer/1.0"));

        String id = answer.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(id).isNotEqualTo("spoofed-id").matches("[0-9a-f]{32}");
        assertThat(event(id)).containsExactly("127.0.0.1", "Spoofer/1.0");
        assertThat(broker.count("select count(*) from events where request_id = 'spoofed-id'")).isZero();
    }

    /** A forged callback: refused (the state is unknown) and recorded as a sign-in event. */
    private static HttpResponse<String> callback(TestingBroker broker, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                broker.uri("/api/users/authenticatedToken/GenericOidc?code=the-code&state=forged-state"));
        headers.forEach(request::header);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        return response;
    }

    private List<String> event(String requestId) {
        return broker.strings("select unnest(array[client_address, user_agent]) from events where request_id = ?", requestId);
    }

    private static Map<String, Object> keyValues(ILoggingEvent line) {
        return line.getKeyValuePairs() == null ? Map.of()
                : line.getKeyValuePairs().stream().filter(kv -> kv.value != null)
                        .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value, (a, b) -> b));
    }

}
