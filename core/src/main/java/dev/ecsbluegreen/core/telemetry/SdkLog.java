package dev.ecsbluegreen.core.telemetry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MarkerIgnoringBase;
import org.slf4j.helpers.MessageFormatter;

/**
 * What the AWS SDK logs (through SLF4J, bound by {@code org.slf4j.impl.StaticLoggerBinder}): WARN and ERROR become
 * lines of the project's schema ({@link StructuredLog}) on standard output, with the SDK's {@code logger} name and
 * the exception's text; DEBUG, TRACE and INFO are dropped (the SDK's INFO is chatty about its own defaults, and
 * nothing of it is what an operator needs). Never a request or response body: the SDK logs those at DEBUG only.
 */
public final class SdkLog extends MarkerIgnoringBase {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Logger> LOGGERS = new ConcurrentHashMap<>();
    /** Where the lines go; standard output unless a test looks. */
    private static volatile Consumer<String> sink = StructuredLog.stdout();
    private static volatile StructuredLog log;

    private SdkLog(String name) {
        this.name = name;
    }

    public static Logger named(String name) {
        return LOGGERS.computeIfAbsent(name, SdkLog::new);
    }

    /** For tests: where the SDK's lines go from now on. */
    static void sendTo(Consumer<String> to) {
        sink = to;
        log = null;
    }

    private static StructuredLog log() {
        StructuredLog current = log;
        if (current == null) {
            current = new StructuredLog(Invocation.outside("ecs-bluegreen", System::getenv), Level.WARN,
                    line -> sink.accept(line), true);
            log = current;
        }
        return current;
    }

    private void write(Level level, String format, Object... arguments) {
        FormattingTuple tuple = MessageFormatter.arrayFormat(format, arguments);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("logger", name);
        if (tuple.getThrowable() != null) {
            fields.put("error", String.valueOf(tuple.getThrowable()));
        }
        log().log(level, tuple.getMessage() == null ? "(no message)" : tuple.getMessage(), fields);
    }

    private void writeThrown(Level level, String message, Throwable t) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("logger", name);
        if (t != null) {
            fields.put("error", String.valueOf(t));
        }
        log().log(level, message == null ? "(no message)" : message, fields);
    }

    @Override public boolean isTraceEnabled() { return false; }
    @Override public void trace(String msg) { }
    @Override public void trace(String format, Object arg) { }
    @Override public void trace(String format, Object arg1, Object arg2) { }
    @Override public void trace(String format, Object... arguments) { }
    @Override public void trace(String msg, Throwable t) { }

    @Override public boolean isDebugEnabled() { return false; }
    @Override public void debug(String msg) { }
    @Override public void debug(String format, Object arg) { }
    @Override public void debug(String format, Object arg1, Object arg2) { }
    @Override public void debug(String format, Object... arguments) { }
    @Override public void debug(String msg, Throwable t) { }

    @Override public boolean isInfoEnabled() { return false; }
    @Override public void info(String msg) { }
    @Override public void info(String format, Object arg) { }
    @Override public void info(String format, Object arg1, Object arg2) { }
    @Override public void info(String format, Object... arguments) { }
    @Override public void info(String msg, Throwable t) { }

    @Override public boolean isWarnEnabled() { return true; }
    @Override public void warn(String msg) { writeThrown(Level.WARN, msg, null); }
    @Override public void warn(String format, Object arg) { write(Level.WARN, format, arg); }
    @Override public void warn(String format, Object arg1, Object arg2) { write(Level.WARN, format, arg1, arg2); }
    @Override public void warn(String format, Object... arguments) { write(Level.WARN, format, arguments); }
    @Override public void warn(String msg, Throwable t) { writeThrown(Level.WARN, msg, t); }

    @Override public boolean isErrorEnabled() { return true; }
    @Override public void error(String msg) { writeThrown(Level.ERROR, msg, null); }
    @Override public void error(String format, Object arg) { write(Level.ERROR, format, arg); }
    @Override public void error(String format, Object arg1, Object arg2) { write(Level.ERROR, format, arg1, arg2); }
    @Override public void error(String format, Object... arguments) { write(Level.ERROR, format, arguments); }
    @Override public void error(String msg, Throwable t) { writeThrown(Level.ERROR, msg, t); }
}
