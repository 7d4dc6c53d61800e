package dev.ecsbluegreen.analysis.gate;

import dev.ecsbluegreen.analysis.gate.Gate;

/**
 * Reads how many tasks green wants and runs ({@code DescribeServices}). The default implementation is
 * {@link dev.ecsbluegreen.hooks.aws.EcsTaskCounts}. Thread-safe.
 */
public interface TaskCountsSource {
    /**
     * Green's counts: the task set registered with {@code greenTargetGroupArn} when the service has task sets
     * (CodeDeploy), otherwise the service's primary deployment (ECS's own blue/green).
     *
     * @param greenTargetGroupArn may be null when unknown
     * @throws dev.ecsbluegreen.core.AwsCallException when the call fails or the service does not exist
     */
    Gate.TaskCounts green(String cluster, String service, String greenTargetGroupArn);
}
