package dev.ecsbluegreen.hooks.ecs;

import dev.ecsbluegreen.core.Deadline;

/**
 * Reads how a service is wired for Amazon ECS blue/green: {@code DescribeServices} (the load balancer's
 * {@code advancedConfiguration}) then {@code DescribeRules} (or {@code DescribeListeners}). The default
 * implementation is {@link dev.ecsbluegreen.hooks.aws.EcsServiceRouting}. Thread-safe.
 */
public interface ServiceRoutingSource {
    /**
     * @throws dev.ecsbluegreen.core.AwsCallException when an AWS call fails
     * @throws dev.ecsbluegreen.hooks.codedeploy.DiscoveryException when the service has no load balancer with an
     *         {@code advancedConfiguration} (it is not an ECS blue/green service behind a load balancer)
     */
    ServiceRouting describe(String cluster, String service, Deadline deadline);
}
