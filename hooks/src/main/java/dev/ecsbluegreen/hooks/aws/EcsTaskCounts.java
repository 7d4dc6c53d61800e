package dev.ecsbluegreen.hooks.aws;

import dev.ecsbluegreen.analysis.gate.Gate;
import dev.ecsbluegreen.analysis.gate.TaskCountsSource;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.aws.AwsCalls;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskSet;

/** {@link TaskCountsSource} over {@code ecs:DescribeServices}. */
public final class EcsTaskCounts implements TaskCountsSource {
    static final String ACTION = "ecs:DescribeServices";
    private final EcsClient ecs;

    public EcsTaskCounts(EcsClient ecs) {
        this.ecs = ecs;
    }

    @Override
    public Gate.TaskCounts green(String cluster, String service, String greenTargetGroupArn) {
        DescribeServicesResponse response = AwsCalls.call(ACTION,
                () -> ecs.describeServices(r -> r.cluster(cluster).services(service)));
        if (response.services().isEmpty()) {
            String reason = response.failures().isEmpty() ? "not returned" : response.failures().get(0).reason();
            throw new AwsCallException(ACTION, AwsCallException.Kind.NOT_FOUND, reason,
                    "ECS service " + service + " in cluster " + cluster + ": " + reason, null);
        }
        Service found = response.services().get(0);
        if (!found.taskSets().isEmpty()) {
            return found.taskSets().stream()
                    .filter(set -> greenTargetGroupArn != null && set.loadBalancers().stream()
                            .anyMatch(lb -> greenTargetGroupArn.equals(lb.targetGroupArn())))
                    .findFirst()
                    .map(EcsTaskCounts::counts)
                    .orElseGet(() -> new Gate.TaskCounts("the task set behind " + greenTargetGroupArn
                            + " (service " + service + " has " + found.taskSets().size() + " task sets, none registered with it)",
                            null, null));
        }
        return found.deployments().stream()
                .filter(deployment -> "PRIMARY".equals(deployment.status()))
                .findFirst()
                .map(EcsTaskCounts::counts)
                .orElseGet(() -> new Gate.TaskCounts("the primary deployment of service " + service + " (none reported)",
                        null, null));
    }

    private static Gate.TaskCounts counts(TaskSet set) {
        return new Gate.TaskCounts("task set " + set.id() + " (" + set.status() + ")", set.computedDesiredCount(),
                set.runningCount());
    }

    private static Gate.TaskCounts counts(Deployment deployment) {
        return new Gate.TaskCounts("primary deployment " + deployment.id(), deployment.desiredCount(),
                deployment.runningCount());
    }
}
