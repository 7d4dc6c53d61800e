package dev.ecsbluegreen.analysis.check;

import dev.ecsbluegreen.analysis.check.AttemptResult;
import java.util.List;

/**
 * Where a check ended up after all its attempts.
 *
 * @param check    the check's name
 * @param passed   whether some attempt passed
 * @param attempts every attempt made, in order
 * @param failures why it failed (the last attempt's failures, or why no further attempt was made); empty when passed
 */
public record CheckResult(String check, boolean passed, List<AttemptResult> attempts, List<String> failures) {
    public CheckResult {
        attempts = List.copyOf(attempts);
        failures = List.copyOf(failures);
    }
}
