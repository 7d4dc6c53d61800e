package dev.ecsbluegreen.hooks.codedeploy;

import java.time.Duration;

/**
 * Tells CodeDeploy the verdict of one lifecycle hook execution ({@code PutLifecycleEventHookExecutionStatus}).
 * The default implementation is {@link dev.ecsbluegreen.hooks.aws.CodeDeployReporter}. Thread-safe.
 */
public interface HookReporter {
    /** What became of a report. */
    enum Outcome {
        /** CodeDeploy took the status. */
        REPORTED,
        /** CodeDeploy already had a status for this execution ({@code LifecycleEventAlreadyCompletedException}). */
        ALREADY_COMPLETED
    }

    /**
     * Sends one report; the SDK's retries apply, but a report is never sent twice by this interface.
     *
     * @param within time the report may take in all, retries and their pauses included (what is left of the
     *               invocation); null when the invocation's time is not known: the client's own limits apply
     * @throws dev.ecsbluegreen.core.AwsCallException when CodeDeploy did not take it, or not within {@code within}
     */
    Outcome report(String deploymentId, String lifecycleEventHookExecutionId, boolean succeeded, Duration within);
}
