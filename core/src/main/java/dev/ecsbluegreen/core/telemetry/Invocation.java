package dev.ecsbluegreen.core.telemetry;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * What every log line and metric of one invocation says about where it ran, under Powertools for AWS Lambda's
 * key names: {@code service}, {@code cold_start}, {@code function_name}, {@code function_arn},
 * {@code function_memory_size}, {@code function_version}, {@code function_request_id}, {@code xray_trace_id}.
 *
 * <p>{@code service} is {@code POWERTOOLS_SERVICE_NAME} (the template sets it per stack) or the function's own
 * default; the trace id is Lambda's {@code _X_AMZN_TRACE_ID} (a system property set by the Java runtime client, or
 * the environment variable), only its {@code Root=} part, as Powertools logs it.
 */
public record Invocation(String service, boolean coldStart, String functionName, String functionArn,
                         Integer memorySize, String functionVersion, String requestId, String traceId) {
    public static final String SERVICE_ENV = "POWERTOOLS_SERVICE_NAME";
    private static final AtomicBoolean COLD = new AtomicBoolean(true);

    /**
     * The invocation Lambda handed over; the first call in an execution environment is its cold start. A null
     * context (some local runners) gives only the service.
     */
    public static Invocation of(String defaultService, Context context, UnaryOperator<String> env) {
        String service = env.apply(SERVICE_ENV);
        service = service == null || service.isBlank() ? defaultService : service.strip();
        boolean cold = COLD.getAndSet(false);
        if (context == null) {
            return new Invocation(service, cold, null, null, null, null, null, traceId(env));
        }
        return new Invocation(service, cold, context.getFunctionName(), context.getInvokedFunctionArn(),
                context.getMemoryLimitInMB() > 0 ? context.getMemoryLimitInMB() : null, context.getFunctionVersion(),
                context.getAwsRequestId(), traceId(env));
    }

    /**
     * The next invocation is a cold start again: after priming ran an invocation of its own before a SnapStart
     * snapshot, and when a snapshot is restored (Powertools counts a restore's first invocation as a cold start).
     */
    public static void coldStartAgain() {
        COLD.set(true);
    }

    /** Outside an invocation (the SDK's own warnings, priming): the service alone. */
    public static Invocation outside(String defaultService, UnaryOperator<String> env) {
        String service = env.apply(SERVICE_ENV);
        return new Invocation(service == null || service.isBlank() ? defaultService : service.strip(), false,
                null, null, null, null, null, null);
    }

    private static String traceId(UnaryOperator<String> env) {
        String header = System.getProperty("com.amazonaws.xray.traceHeader");
        if (header == null || header.isBlank()) {
            header = env.apply("_X_AMZN_TRACE_ID");
        }
        if (header == null || header.isBlank()) {
            return null;
        }
        for (String part : header.split(";")) {
            if (part.startsWith("Root=")) {
                return part.substring("Root=".length());
            }
        }
        return null;
    }
}
