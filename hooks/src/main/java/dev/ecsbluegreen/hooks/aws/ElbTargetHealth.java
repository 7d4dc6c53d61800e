package dev.ecsbluegreen.hooks.aws;

import dev.ecsbluegreen.analysis.gate.Gate;
import dev.ecsbluegreen.analysis.gate.TargetHealthSource;
import dev.ecsbluegreen.core.aws.AwsCalls;
import java.util.List;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** {@link TargetHealthSource} over {@code elasticloadbalancing:DescribeTargetHealth} (one call returns every target). */
public final class ElbTargetHealth implements TargetHealthSource {
    private final ElasticLoadBalancingV2Client elb;

    public ElbTargetHealth(ElasticLoadBalancingV2Client elb) {
        this.elb = elb;
    }

    @Override
    public List<Gate.TargetState> targets(String targetGroupArn) {
        return AwsCalls.call("elasticloadbalancing:DescribeTargetHealth",
                        () -> elb.describeTargetHealth(r -> r.targetGroupArn(targetGroupArn)))
                .targetHealthDescriptions().stream()
                .map(d -> new Gate.TargetState(d.target().id(), d.target().port() == null ? 0 : d.target().port(),
                        d.targetHealth() == null ? "unknown" : d.targetHealth().stateAsString(),
                        d.targetHealth() == null ? null : d.targetHealth().reasonAsString()))
                .toList();
    }
}
