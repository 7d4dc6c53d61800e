package dev.ecsbluegreen.analysis;

/** What an {@link Phase#INCONCLUSIVE} measurement means for the verdict. */
public enum InconclusivePolicy {
    /** The default: not enough data to judge green is a failure (more than {@code inconclusiveLimit} of them). */
    FAIL,
    /**
     * Keep measuring: an inconclusive measurement does not count; the metric stays pending. An Amazon ECS hook answers
     * {@code IN_PROGRESS} and waits; a single invocation (CodeDeploy) fails when its window ends still pending, saying so.
     */
    WAIT
}
