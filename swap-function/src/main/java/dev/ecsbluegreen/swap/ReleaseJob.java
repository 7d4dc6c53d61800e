package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.core.routing.Strategy;
import dev.ecsbluegreen.swap.execution.Budget;

/**
 * What one invocation of a canary or linear release works with: its own job, the release it acts on (the id of the
 * job that started it), the request, and the invocation's time and log.
 */
record ReleaseJob(String jobId, String release, SwapRequest request, Scope scope, Budget budget, JobLog log) {
    Strategy strategy() {
        return request.strategy();
    }

    /** How a report names a step: {@code step 1 of 2 (green 10 %)}, or the final bake. */
    String stepName(int step, boolean finalBake) {
        int steps = strategy().steps();
        if (finalBake) {
            return "the final bake (green 100 %)";
        }
        return "step " + step + " of " + steps + " (green " + strategy().percentAt(step) + " %"
                + (step >= steps ? ", the whole swap" : "") + ")";
    }

    /** CodePipeline's percentComplete at {@code step}: never 100 before the final result. */
    int percentComplete(int step) {
        int all = strategy().steps() + (strategy().finalBake().isZero() ? 0 : 1);
        return Math.min(99, 100 * step / all);
    }
}
