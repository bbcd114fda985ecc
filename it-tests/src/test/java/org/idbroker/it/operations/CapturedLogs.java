package org.idbroker.it.operations;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every log event written while it is open, as Logback hands them to its appenders. */
final class CapturedLogs implements AutoCloseable {

    private final Logger root;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    CapturedLogs() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
    }

    List<ILoggingEvent> events() {
        synchronized (appender.list) {
            return List.copyOf(appender.list);
        }
    }

    /**
     * The events once at least {@code count} come from {@code logger}: Jetty writes its request log
     * after the answer is sent, so the last line may come a moment after the client has its answer.
     */
    List<ILoggingEvent> awaitFrom(String logger, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (events().stream().filter(e -> e.getLoggerName().equals(logger)).count() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return events();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
