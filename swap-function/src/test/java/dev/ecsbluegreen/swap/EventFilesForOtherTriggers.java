package dev.ecsbluegreen.swap;

/** Events of the other functions' triggers, as a swap function might wrongly be given them. */
final class EventFilesForOtherTriggers {
    static final String CODEDEPLOY_HOOK =
            "{\"DeploymentId\": \"d-ABCDEF123\", \"LifecycleEventHookExecutionId\": \"eyJlbmNyeXB0ZWREYXRh\"}";

    private EventFilesForOtherTriggers() {}
}
