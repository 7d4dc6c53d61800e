package org.slf4j.impl;

import dev.ecsbluegreen.core.telemetry.SdkLog;
import org.slf4j.ILoggerFactory;
import org.slf4j.spi.LoggerFactoryBinder;

/**
 * The SLF4J 1.7 binding of the functions (the AWS SDK logs through SLF4J 1.7): every logger is an {@link SdkLog},
 * which writes WARN and ERROR in the project's log schema and drops the rest. Replaces slf4j-nop, under which the
 * SDK's warnings (a retried throttle, a clock skew, a deprecated setting) reached no log at all.
 */
public final class StaticLoggerBinder implements LoggerFactoryBinder {
    /** The SLF4J API line this binding is compiled against (read by SLF4J at start-up). */
    public static String REQUESTED_API_VERSION = "1.6.99";
    private static final StaticLoggerBinder SINGLETON = new StaticLoggerBinder();
    private final ILoggerFactory factory = SdkLog::named;

    private StaticLoggerBinder() {}

    public static StaticLoggerBinder getSingleton() {
        return SINGLETON;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public String getLoggerFactoryClassStr() {
        return SdkLog.class.getName();
    }
}
