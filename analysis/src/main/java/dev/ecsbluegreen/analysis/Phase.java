package dev.ecsbluegreen.analysis;

/** What one measurement found (Argo Rollouts' measurement phases). */
public enum Phase {
    /** The condition held. */
    SUCCESSFUL,
    /** The condition did not hold: counts towards the metric's {@code failureLimit}. */
    FAILED,
    /** The provider could not measure (an AWS call failed, was throttled or denied): counts towards {@code consecutiveErrorLimit}. */
    ERROR,
    /** Not enough data to say (no datapoints, too few requests, an alarm in INSUFFICIENT_DATA): the inconclusive policy decides. */
    INCONCLUSIVE
}
