package dev.ecsbluegreen.swap.aws;

import dev.ecsbluegreen.analysis.Analysis;
import dev.ecsbluegreen.analysis.Sleeper;
import dev.ecsbluegreen.analysis.aws.CloudWatchSource;
import dev.ecsbluegreen.analysis.metrics.Providers;
import dev.ecsbluegreen.core.aws.AwsClients;
import dev.ecsbluegreen.core.aws.CodePipelineJobResults;
import dev.ecsbluegreen.core.codepipeline.JobResults;
import dev.ecsbluegreen.swap.LoadBalancers;
import java.time.Clock;
import java.util.function.Supplier;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** The production adapters, on SDK clients configured the project's way (region, credentials, endpoints from the environment). */
public final class SwapClients {
    private SwapClients() {}

    public static LoadBalancers loadBalancers() {
        return new ElbLoadBalancers(AwsClients.configure(ElasticLoadBalancingV2Client.builder()).build());
    }

    /** Built on first use: a swap without analysis never starts a CloudWatch client. */
    public static Supplier<Analysis> analysis() {
        return new Supplier<>() {
            private Analysis analysis;

            @Override
            public synchronized Analysis get() {
                if (analysis == null) {
                    CloudWatchSource cloudWatch = CloudWatchSource.create();
                    analysis = new Analysis(new Providers(cloudWatch, cloudWatch), Sleeper.THREAD, Clock.systemUTC());
                }
                return analysis;
            }
        };
    }

    public static JobResults jobResults() {
        return new CodePipelineJobResults(AwsClients.configure(CodePipelineClient.builder()).build());
    }
}
