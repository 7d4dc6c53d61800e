package dev.ecsbluegreen.analysis.metrics;

import dev.ecsbluegreen.analysis.ProviderSpec;
import dev.ecsbluegreen.core.Deadline;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Runs CloudWatch {@code GetMetricData} (every page). The default implementation is
 * {@link dev.ecsbluegreen.analysis.aws.CloudWatchSource}. Thread-safe.
 */
public interface MetricDataSource {
    /**
     * @param queries queries whose dimensions are already resolved (no {@code ${…}} placeholders left)
     * @return each returned query id's datapoint values, oldest first (empty when CloudWatch has no data)
     * @throws dev.ecsbluegreen.core.AwsCallException when a call fails (throttled, denied, timed out, a bad query)
     */
    Map<String, List<Double>> query(List<ProviderSpec.Query> queries, Instant start, Instant end, Deadline deadline);
}
