package dev.ecsbluegreen.hooks;

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
     * @throws dev.ecsbluegreen.core.AwsCallException when CodeDeploy did not take it
     */
    Outcome report(String deploymentId, String lifecycleEventHookExecutionId, boolean succeeded);
}
