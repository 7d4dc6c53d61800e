package dev.ecsbluegreen.analysis.check;

import dev.ecsbluegreen.analysis.check.BurstStatistics;
import java.time.Duration;
import java.util.List;

/**
 * The outcome of one attempt of a check: one request, or one burst.
 *
 * @param check    the check's name
 * @param attempt  1-based attempt number
 * @param status   HTTP status of the (last) response, 0 when none
 * @param latency  latency of the request, or the burst's 95th percentile
 * @param passed   whether the attempt met every expectation
 * @param failures what was wrong, empty when passed
 * @param burst    the burst's statistics, or null for a single request
 */
public record AttemptResult(String check, int attempt, int status, Duration latency, boolean passed,
                            List<String> failures, BurstStatistics burst) {
    public AttemptResult {
        failures = List.copyOf(failures);
    }
}
