package dev.ecsbluegreen.analysis;

/** Where a metric, or a whole analysis, stands. */
public enum Status {
    PASSED,
    FAILED,
    /** More measurements are needed (an ECS hook answers IN_PROGRESS; a single invocation measures again). */
    PENDING
}
