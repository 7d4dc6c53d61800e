package dev.ecsbluegreen.controller.aws;

import dev.ecsbluegreen.controller.EcsTaskSets;
import dev.ecsbluegreen.controller.ListenerForwards;
import dev.ecsbluegreen.core.aws.AwsClients;
import dev.ecsbluegreen.core.aws.CodePipelineJobResults;
import dev.ecsbluegreen.core.codepipeline.JobResults;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The real adapters, with SDK clients configured as every client of the project ({@link AwsClients}): region,
 * credentials and endpoints ({@code AWS_ENDPOINT_URL_ECS}, {@code AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2},
 * {@code AWS_ENDPOINT_URL_CODEPIPELINE}) from the environment.
 */
public final class ControllerClients {
    private ControllerClients() {}

    public static EcsTaskSets ecs() {
        return new SdkEcsTaskSets(AwsClients.configure(EcsClient.builder()).build());
    }

    public static ListenerForwards listeners() {
        return new ElbListenerForwards(AwsClients.configure(ElasticLoadBalancingV2Client.builder()).build());
    }

    public static JobResults jobs() {
        return new CodePipelineJobResults(AwsClients.configure(CodePipelineClient.builder()).build());
    }
}
