package dev.ecsbluegreen.hooks.aws;

import dev.ecsbluegreen.core.aws.AwsClients;
import dev.ecsbluegreen.hooks.codedeploy.DeploymentTopology;
import dev.ecsbluegreen.hooks.codedeploy.HookReporter;
import dev.ecsbluegreen.analysis.gate.TargetHealthSource;
import dev.ecsbluegreen.analysis.gate.TaskCountsSource;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** The AWS side of the validator, one SDK client per service shared by all adapters. */
public record AwsAdapters(DeploymentTopology topology, HookReporter reporter, TargetHealthSource targetHealth,
                          TaskCountsSource taskCounts) {

    /** Clients configured as everywhere in this project; endpoints, region and credentials from the environment. */
    public static AwsAdapters create() {
        return of(AwsClients.configure(CodeDeployClient.builder()).build(),
                AwsClients.configure(ElasticLoadBalancingV2Client.builder()).build(),
                AwsClients.configure(EcsClient.builder()).build());
    }

    public static AwsAdapters of(CodeDeployClient codeDeploy, ElasticLoadBalancingV2Client elb, EcsClient ecs) {
        return new AwsAdapters(new CodeDeployTopology(codeDeploy, elb), new CodeDeployReporter(codeDeploy),
                new ElbTargetHealth(elb), new EcsTaskCounts(ecs));
    }
}
