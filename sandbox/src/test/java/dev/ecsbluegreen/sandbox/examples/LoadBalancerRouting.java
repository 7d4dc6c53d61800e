package dev.ecsbluegreen.sandbox.examples;

import dev.ecsbluegreen.sandbox.Routing;
import dev.ecsbluegreen.sandbox.RoutingSource;
import dev.ecsbluegreen.sandbox.aws.Emulator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * Where a load balancer that a stack created sends traffic, read from the emulator on every call, for the sandbox's
 * {@link dev.ecsbluegreen.sandbox.DataPlane}: listeners with their rules in evaluation order (forwards single or
 * weighted), and the given target groups with their targets and {@code IsProduction} tags. Thread-safe.
 */
final class LoadBalancerRouting implements RoutingSource {
    private final ElasticLoadBalancingV2Client elb;
    private final String loadBalancerArn;
    private final List<String> targetGroupArns;

    LoadBalancerRouting(ElasticLoadBalancingV2Client elb, String loadBalancerArn, List<String> targetGroupArns) {
        this.elb = elb;
        this.loadBalancerArn = loadBalancerArn;
        this.targetGroupArns = List.copyOf(targetGroupArns);
    }

    @Override
    public Routing read() {
        Map<Integer, Routing.Listener> listeners = new LinkedHashMap<>();
        elb.describeListeners(b -> b.loadBalancerArn(loadBalancerArn)).listeners().forEach(listener ->
                listeners.put(listener.port(), new Routing.Listener(listener.port(), listener.listenerArn(),
                        Emulator.rules(elb, listener.listenerArn()))));
        List<TargetGroup> groups = elb.describeTargetGroups(b -> b.targetGroupArns(targetGroupArns)).targetGroups();
        Map<String, String> isProduction = new HashMap<>();
        for (TagDescription description : elb.describeTags(b -> b.resourceArns(targetGroupArns)).tagDescriptions()) {
            description.tags().stream().filter(tag -> tag.key().equals("IsProduction"))
                    .forEach(tag -> isProduction.put(description.resourceArn(), tag.value()));
        }
        Map<String, Routing.TargetGroup> targetGroups = new LinkedHashMap<>();
        for (TargetGroup group : groups) {
            List<Routing.Target> targets = elb.describeTargetHealth(b -> b.targetGroupArn(group.targetGroupArn()))
                    .targetHealthDescriptions().stream()
                    .map(d -> new Routing.Target(d.target().id(), d.target().port(),
                            d.targetHealth() != null && "healthy".equals(d.targetHealth().stateAsString())))
                    .toList();
            targetGroups.put(group.targetGroupArn(), new Routing.TargetGroup(group.targetGroupArn(),
                    group.targetGroupName(), targets, isProduction.get(group.targetGroupArn())));
        }
        return new Routing(listeners, targetGroups);
    }
}
