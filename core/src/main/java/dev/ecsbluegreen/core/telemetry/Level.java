package dev.ecsbluegreen.core.telemetry;

import java.util.Locale;

/** Log levels as Lambda's advanced logging controls name them ({@code AWS_LAMBDA_LOG_LEVEL}). */
public enum Level {
    TRACE, DEBUG, INFO, WARN, ERROR, FATAL;

    /**
     * The lowest level to write: {@code POWERTOOLS_LOG_LEVEL}, else Lambda's application log level
     * ({@code AWS_LAMBDA_LOG_LEVEL}, set from the function's {@code LoggingConfig}), else INFO. An unknown value
     * means INFO: a log setting never stops a function.
     */
    public static Level threshold(java.util.function.UnaryOperator<String> env) {
        for (String name : new String[] {"POWERTOOLS_LOG_LEVEL", "AWS_LAMBDA_LOG_LEVEL"}) {
            String value = env.apply(name);
            if (value != null && !value.isBlank()) {
                try {
                    return valueOf(value.strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    return INFO;
                }
            }
        }
        return INFO;
    }
}
