package dev.ecsbluegreen.sandbox;

import java.util.List;

/**
 * Where the {@link MetricsPublisher} sends a batch: one {@code PutMetricData} call. Throws
 * {@link dev.ecsbluegreen.core.AwsCallException} (or another RuntimeException) when the call fails; called from one
 * thread at a time. Default implementation: {@link dev.ecsbluegreen.sandbox.aws.CloudWatchMetrics}.
 */
public interface MetricsSink {
    /** PutMetricData's limit of MetricDatum entries per call. */
    int MAX_DATA_PER_CALL = 1000;

    /** @param data at most {@link #MAX_DATA_PER_CALL} entries */
    void put(String namespace, List<TrafficMetrics.Datum> data);
}
