package dev.ecsbluegreen.swap.aws;

import dev.ecsbluegreen.core.aws.AwsClients;
import dev.ecsbluegreen.swap.JobResults;
import dev.ecsbluegreen.swap.LoadBalancers;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** The production adapters, on SDK clients configured the project's way (region, credentials, endpoints from the environment). */
public final class SwapClients {
    private SwapClients() {}

    public static LoadBalancers loadBalancers() {
        return new ElbLoadBalancers(AwsClients.configure(ElasticLoadBalancingV2Client.builder()).build());
    }

    public static JobResults jobResults() {
        return new CodePipelineJobResults(AwsClients.configure(CodePipelineClient.builder()).build());
    }
}
