package dev.ecsbluegreen.analysis.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a burst of requests looked like as a whole.
 *
 * @param requests       requests sent
 * @param successes      requests that met every expectation
 * @param p50            median latency (nearest rank)
 * @param p95            95th-percentile latency (nearest rank)
 * @param max            slowest request
 * @param failureCounts  each distinct failure and how often it happened
 */
public record BurstStatistics(int requests, int successes, Duration p50, Duration p95, Duration max,
                              Map<String, Integer> failureCounts) {

    public BurstStatistics {
        failureCounts = Collections.unmodifiableMap(new LinkedHashMap<>(failureCounts));
    }

    public double successRatio() {
        return requests == 0 ? 0 : (double) successes / requests;
    }

    /** Statistics of {@code latencies} (one per request) and the failure lists of the failed requests. */
    public static BurstStatistics of(List<Duration> latencies, List<List<String>> failuresPerRequest) {
        List<Duration> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        Map<String, Integer> counts = new LinkedHashMap<>();
        int successes = 0;
        for (List<String> failures : failuresPerRequest) {
            if (failures.isEmpty()) {
                successes++;
            }
            for (String failure : failures) {
                counts.merge(failure, 1, Integer::sum);
            }
        }
        return new BurstStatistics(latencies.size(), successes, percentile(sorted, 50), percentile(sorted, 95),
                sorted.isEmpty() ? Duration.ZERO : sorted.get(sorted.size() - 1), counts);
    }

    /** Nearest-rank percentile of an ascending list. */
    static Duration percentile(List<Duration> ascending, int percent) {
        if (ascending.isEmpty()) {
            return Duration.ZERO;
        }
        int rank = (int) Math.ceil(percent / 100.0 * ascending.size());
        return ascending.get(Math.max(0, rank - 1));
    }
}
