package dev.ecsbluegreen.hooks.aws;

import dev.ecsbluegreen.analysis.aws.CloudWatchSource;
import dev.ecsbluegreen.analysis.gate.TargetHealthSource;
import dev.ecsbluegreen.analysis.gate.TaskCountsSource;
import dev.ecsbluegreen.analysis.metrics.AlarmSource;
import dev.ecsbluegreen.analysis.metrics.MetricDataSource;
import dev.ecsbluegreen.core.aws.AwsClients;
import dev.ecsbluegreen.hooks.codedeploy.DeploymentTopology;
import dev.ecsbluegreen.hooks.codedeploy.HookReporter;
import dev.ecsbluegreen.hooks.ecs.ServiceRoutingSource;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** The AWS side of the validator, one SDK client per service shared by all adapters. */
public record AwsAdapters(DeploymentTopology topology, HookReporter reporter, TargetHealthSource targetHealth,
                          TaskCountsSource taskCounts, ServiceRoutingSource serviceRouting, AlarmSource alarms,
                          MetricDataSource metrics) {

    /** Clients configured as everywhere in this project; endpoints, region and credentials from the environment. */
    public static AwsAdapters create() {
        // CloudWatch only for a hook that runs an analysis: its client is built at the first call
        return of(AwsClients.configure(CodeDeployClient.builder()).build(),
                AwsClients.configure(ElasticLoadBalancingV2Client.builder()).build(),
                AwsClients.configure(EcsClient.builder()).build(),
                CloudWatchSource.onFirstUse());
    }

    public static AwsAdapters of(CodeDeployClient codeDeploy, ElasticLoadBalancingV2Client elb, EcsClient ecs,
                                 CloudWatchClient cloudWatch) {
        return of(codeDeploy, elb, ecs, new CloudWatchSource(cloudWatch));
    }

    private static AwsAdapters of(CodeDeployClient codeDeploy, ElasticLoadBalancingV2Client elb, EcsClient ecs,
                                  CloudWatchSource metrics) {
        return new AwsAdapters(new CodeDeployTopology(codeDeploy, elb), new CodeDeployReporter(codeDeploy),
                new ElbTargetHealth(elb), new EcsTaskCounts(ecs), new EcsServiceRouting(ecs, elb), metrics, metrics);
    }

    /** The same adapters reporting through {@code other} (tests point the report at a local CodeDeploy stand-in). */
    public AwsAdapters withReporter(HookReporter other) {
        return new AwsAdapters(topology, other, targetHealth, taskCounts, serviceRouting, alarms, metrics);
    }
}
