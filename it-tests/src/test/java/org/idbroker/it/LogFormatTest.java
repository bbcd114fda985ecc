package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBrowser;
import org.idbroker.server.logging.LogFormat;
import org.idbroker.server.operations.Operations;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Refusals are logged at WARN with their reason code; --log-format json writes one JSON object per line (Logback's JsonEncoder). */
class LogFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writesOneJsonObjectPerLineIncludingARefusalWithItsReasonCode() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        @SuppressWarnings("unchecked")
        OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>)
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("console");
        Encoder<ILoggingEvent> previous = console.getEncoder();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        try (TestingBroker broker = TestingBroker.start(Operations.DEFAULT.withAccessLog(true))) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            LogFormat.parse("JSON").apply();
            new TestingBrowser().navigate(broker.uri("/api/users/authenticate/NoSuchProvider"));
            LoggerFactory.getLogger("test").warn("two\nlines \"quoted\"", new IllegalStateException("boom"));
        } finally {
            System.setOut(originalOut);
            console.stop();
            console.setEncoder(previous);
            console.start();
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        // Logback's own JSON encoder: the request id in the MDC, the access log's fields as SLF4J key-values
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.get("level").asText()).isEqualTo("WARN");
            assertThat(line.get("loggerName").asText()).endsWith("SignInResource");
            assertThat(line.get("formattedMessage").asText()).contains("provider_unknown");
            assertThat(line.get("mdc").get("requestId").asText()).matches("[0-9a-f]{32}");
        });
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.get("loggerName").asText()).isEqualTo("org.idbroker.access");
            assertThat(line.get("kvpList").toString()).contains("\"path\":\"/api/users/authenticate/NoSuchProvider\"")
                    .contains("\"status\":\"404\"");
        });
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.get("formattedMessage").asText()).isEqualTo("two\nlines \"quoted\"");
            assertThat(line.get("throwable").get("className").asText()).isEqualTo("java.lang.IllegalStateException");
            assertThat(line.get("timestamp").asLong()).isPositive();
        });
    }

    @Test
    void refusesAnUnknownLogFormat() {
        TestingBroker.CliResult result = TestingBroker.run("start-dev", "--log-format", "xml", "--http-port", "0");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("text or json");
    }
}
