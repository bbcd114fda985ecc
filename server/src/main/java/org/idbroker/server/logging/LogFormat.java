package org.idbroker.server.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * How log lines look: {@code text} (the default, for people) or {@code json} (one object per line, for
 * collectors), written by Logback's own {@link JsonEncoder}: level, logger, thread, time, the MDC (the
 * request id), the SLF4J key-values, the formatted message and any exception.
 */
public enum LogFormat {
    TEXT,
    JSON;

    /** The system property naming an operator's own Logback configuration, which is then left alone. */
    public static final String OWN_CONFIGURATION = "logback.configurationFile";

    /** Parses {@code text} or {@code json}, in any case. */
    public static LogFormat parse(String value) {
        if (value == null || value.isBlank()) {
            return TEXT;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the log format must be text or json, got '" + value + "'");
        }
    }

    /**
     * Switches every console and file appender of the root logger to this format; text leaves the
     * configured pattern. With an operator's own configuration ({@code -Dlogback.configurationFile},
     * {@code IDBROKER_LOGBACK_CONFIG}) nothing is changed: that file decides.
     */
    public void apply() {
        if (this == TEXT || System.getProperty(OWN_CONFIGURATION) != null
                || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender && !(appender.getEncoder() instanceof JsonEncoder)) {
                JsonEncoder encoder = jsonEncoder();
                encoder.setContext(context);
                encoder.start();
                appender.stop();
                appender.setEncoder(encoder);
                appender.start();
            }
        }
    }

    /** Logback's JSON encoder with the formatted message, without the raw pattern, its arguments or counters. */
    static JsonEncoder jsonEncoder() {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        return encoder;
    }
}
