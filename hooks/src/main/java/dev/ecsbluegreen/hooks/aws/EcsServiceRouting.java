package dev.ecsbluegreen.hooks.aws;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.aws.AwsCalls;
import dev.ecsbluegreen.core.aws.ElbForwards;
import dev.ecsbluegreen.hooks.codedeploy.DiscoveryException;
import dev.ecsbluegreen.hooks.ecs.ServiceRouting;
import dev.ecsbluegreen.hooks.ecs.ServiceRoutingSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AdvancedConfiguration;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * {@link ServiceRoutingSource} over {@code ecs:DescribeServices} and {@code elasticloadbalancing:DescribeRules} (a
 * Network Load Balancer's blue/green names listeners instead of rules: {@code DescribeListeners}).
 */
public final class EcsServiceRouting implements ServiceRoutingSource {
    private final EcsClient ecs;
    private final ElasticLoadBalancingV2Client elb;

    public EcsServiceRouting(EcsClient ecs, ElasticLoadBalancingV2Client elb) {
        this.ecs = ecs;
        this.elb = elb;
    }

    @Override
    public ServiceRouting describe(String cluster, String service, Deadline deadline) {
        String action = "ecs:DescribeServices";
        DescribeServicesResponse response = AwsCalls.call(action, deadline,
                timeouts -> ecs.describeServices(r -> r.cluster(cluster).services(service).overrideConfiguration(timeouts)));
        if (response.services().isEmpty()) {
            String reason = response.failures().isEmpty() ? "not returned" : response.failures().get(0).reason();
            throw new AwsCallException(action, AwsCallException.Kind.NOT_FOUND, reason,
                    "ECS service " + service + " in cluster " + cluster + ": " + reason, null);
        }
        Service found = response.services().get(0);
        LoadBalancer wired = found.loadBalancers().stream()
                .filter(lb -> lb.advancedConfiguration() != null && lb.advancedConfiguration().productionListenerRule() != null)
                .findFirst()
                .orElseThrow(() -> new DiscoveryException("ECS service " + service + " has no load balancer with an "
                        + "advancedConfiguration (alternateTargetGroupArn, productionListenerRule): it is not an Amazon "
                        + "ECS blue/green service behind a load balancer"));
        AdvancedConfiguration advanced = wired.advancedConfiguration();
        List<String> arns = new ArrayList<>();
        arns.add(advanced.productionListenerRule());
        if (advanced.testListenerRule() != null) {
            arns.add(advanced.testListenerRule());
        }
        Map<String, ServiceRouting.Forwarding> forwarding = read(arns, deadline);
        return new ServiceRouting(wired.targetGroupArn(), advanced.alternateTargetGroupArn(),
                forwarding.get(advanced.productionListenerRule()),
                advanced.testListenerRule() == null ? null : forwarding.get(advanced.testListenerRule()));
    }

    private Map<String, ServiceRouting.Forwarding> read(List<String> arns, Deadline deadline) {
        Map<String, ServiceRouting.Forwarding> found = new LinkedHashMap<>();
        List<String> rules = arns.stream().filter(arn -> arn.contains(":listener-rule/")).toList();
        List<String> listeners = arns.stream().filter(arn -> !arn.contains(":listener-rule/")).toList();
        if (!rules.isEmpty()) {
            for (Rule rule : AwsCalls.call("elasticloadbalancing:DescribeRules", deadline,
                    timeouts -> elb.describeRules(r -> r.ruleArns(rules).overrideConfiguration(timeouts))).rules()) {
                found.put(rule.ruleArn(), new ServiceRouting.Forwarding(rule.ruleArn(), loadBalancerOf(rule.ruleArn()),
                        ElbForwards.firstForward(rule.actions())));
            }
        }
        if (!listeners.isEmpty()) {
            AwsCalls.call("elasticloadbalancing:DescribeListeners", deadline,
                            timeouts -> elb.describeListeners(r -> r.listenerArns(listeners).overrideConfiguration(timeouts)))
                    .listeners().forEach(listener -> found.put(listener.listenerArn(), new ServiceRouting.Forwarding(
                            listener.listenerArn(), listener.loadBalancerArn(), ElbForwards.firstForward(listener.defaultActions()))));
        }
        for (String arn : arns) {
            if (!found.containsKey(arn)) {
                throw new DiscoveryException("listener rule " + arn + " of the service's advancedConfiguration does not exist");
            }
        }
        return found;
    }

    /** {@code …:listener-rule/app/NAME/LB-ID/LISTENER-ID/RULE-ID} → {@code …:loadbalancer/app/NAME/LB-ID}. */
    static String loadBalancerOf(String ruleArn) {
        int at = ruleArn.indexOf(":listener-rule/");
        String[] parts = ruleArn.substring(at + ":listener-rule/".length()).split("/");
        if (parts.length < 3) {
            return null;
        }
        return ruleArn.substring(0, at) + ":loadbalancer/" + parts[0] + "/" + parts[1] + "/" + parts[2];
    }
}
