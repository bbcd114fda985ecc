package org.idbroker.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line: {@code timestamp}, {@code level}, {@code logger}, {@code thread},
 * {@code message}, the MDC entries, and {@code exception} when there is one. Newlines inside values
 * are escaped by JSON, so a message can never forge another line.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] NONE = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NONE;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
        line.put("level", event.getLevel().toString());
        line.put("logger", event.getLoggerName());
        line.put("thread", event.getThreadName());
        line.put("message", event.getFormattedMessage());
        if (event.getMDCPropertyMap() != null && !event.getMDCPropertyMap().isEmpty()) {
            line.put("mdc", event.getMDCPropertyMap());
        }
        if (event.getThrowableProxy() != null) {
            line.put("exception", exception(event.getThrowableProxy()));
        }
        try {
            byte[] json = JSON.writeValueAsBytes(line);
            byte[] out = new byte[json.length + 1];
            System.arraycopy(json, 0, out, 0, json.length);
            out[json.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            return ("{\"level\":\"ERROR\",\"message\":\"a log event could not be written as JSON\"}\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static Map<String, Object> exception(IThrowableProxy proxy) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class", proxy.getClassName());
        out.put("message", proxy.getMessage());
        StringBuilder stack = new StringBuilder();
        StackTraceElementProxy[] frames = proxy.getStackTraceElementProxyArray();
        for (int i = 0; frames != null && i < Math.min(frames.length, 30); i++) {
            stack.append(frames[i].getSTEAsString()).append('\n');
        }
        out.put("stack", stack.toString());
        if (proxy.getCause() != null && proxy.getCause() != proxy) {
            out.put("cause", exception(proxy.getCause()));
        }
        return out;
    }

    @Override
    public byte[] footerBytes() {
        return NONE;
    }
}
