package dev.ecsbluegreen.bench.logging;

/**
 * The baseline: the same three lines (one log line, the cold-start EMF line, one metrics EMF line) as constant
 * strings, so that what the other two configurations measure above it is the writers, not the JVM or stdout.
 */
public final class NoneMain {
    private NoneMain() {
    }

    public static void main(String[] args) {
        Prelude.runIf(args);
        System.out.println("{\"timestamp\":\"2026-12-01T00:00:00.000Z\",\"level\":\"INFO\",\"message\":\"swap started\","
                + "\"service\":\"swap\",\"cold_start\":true,\"function_request_id\":\"" + BenchContext.REQUEST_ID
                + "\",\"jobId\":\"job-1\",\"stage\":\"swap\"}");
        System.out.println("{\"_aws\":{\"Timestamp\":1764547200000,\"CloudWatchMetrics\":[{\"Namespace\":\"ecs-bluegreen\","
                + "\"Dimensions\":[[\"service\",\"function_name\"]],\"Metrics\":[{\"Name\":\"ColdStart\",\"Unit\":\"Count\"}]}]},"
                + "\"service\":\"swap\",\"function_name\":\"swap-function\",\"ColdStart\":1.0}");
        System.out.println("{\"_aws\":{\"Timestamp\":1764547200000,\"CloudWatchMetrics\":[{\"Namespace\":\"ecs-bluegreen\","
                + "\"Dimensions\":[[\"service\"]],\"Metrics\":[{\"Name\":\"Duration\",\"Unit\":\"Milliseconds\"}]}]},"
                + "\"service\":\"swap\",\"Duration\":12.0}");
    }
}
