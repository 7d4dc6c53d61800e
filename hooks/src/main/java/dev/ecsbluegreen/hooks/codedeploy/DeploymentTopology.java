package dev.ecsbluegreen.hooks.codedeploy;

import dev.ecsbluegreen.hooks.codedeploy.Topology;

/**
 * Finds green for a CodeDeploy deployment: {@code GetDeployment} → {@code GetDeploymentGroup} → listeners →
 * load balancer. The default implementation is {@link dev.ecsbluegreen.hooks.aws.CodeDeployTopology}.
 * Thread-safe.
 */
public interface DeploymentTopology {
    /**
     * @throws dev.ecsbluegreen.core.AwsCallException when an AWS call fails
     * @throws DiscoveryException when the deployment group lacks what is needed
     */
    Topology describe(String deploymentId);
}
