package dev.ecsbluegreen.hooks.aws;

import dev.ecsbluegreen.core.aws.AwsCalls;
import dev.ecsbluegreen.core.aws.ElbForwards;
import dev.ecsbluegreen.hooks.codedeploy.DeploymentTopology;
import dev.ecsbluegreen.hooks.codedeploy.DiscoveryException;
import dev.ecsbluegreen.hooks.codedeploy.Topology;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.DeploymentGroupInfo;
import software.amazon.awssdk.services.codedeploy.model.DeploymentInfo;
import software.amazon.awssdk.services.codedeploy.model.ECSService;
import software.amazon.awssdk.services.codedeploy.model.TargetGroupPairInfo;
import software.amazon.awssdk.services.codedeploy.model.TrafficRoute;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;

/**
 * {@link DeploymentTopology} from the deployment itself: {@code GetDeployment} → {@code GetDeploymentGroup}
 * (target group pair, listeners, ECS service) → {@code DescribeListeners} (port, protocol, forward target) →
 * {@code DescribeLoadBalancers} (DNS name).
 */
public final class CodeDeployTopology implements DeploymentTopology {
    private final CodeDeployClient codeDeploy;
    private final ElasticLoadBalancingV2Client elb;

    public CodeDeployTopology(CodeDeployClient codeDeploy, ElasticLoadBalancingV2Client elb) {
        this.codeDeploy = codeDeploy;
        this.elb = elb;
    }

    @Override
    public Topology describe(String deploymentId) {
        DeploymentInfo deployment = AwsCalls.call("codedeploy:GetDeployment",
                () -> codeDeploy.getDeployment(r -> r.deploymentId(deploymentId))).deploymentInfo();
        String groupName = deployment.applicationName() + "/" + deployment.deploymentGroupName();
        DeploymentGroupInfo group = AwsCalls.call("codedeploy:GetDeploymentGroup",
                () -> codeDeploy.getDeploymentGroup(r -> r.applicationName(deployment.applicationName())
                        .deploymentGroupName(deployment.deploymentGroupName()))).deploymentGroupInfo();
        if (group.loadBalancerInfo() == null || group.loadBalancerInfo().targetGroupPairInfoList().isEmpty()) {
            throw new DiscoveryException("deployment group " + groupName
                    + " has no target group pair: it is not an ECS blue/green deployment group behind a load balancer");
        }
        TargetGroupPairInfo pair = group.loadBalancerInfo().targetGroupPairInfoList().get(0);
        List<String> testArns = listenerArns(pair.testTrafficRoute());
        List<String> productionArns = listenerArns(pair.prodTrafficRoute());
        if (productionArns.isEmpty()) {
            throw new DiscoveryException("deployment group " + groupName + " has no production listener");
        }
        List<String> all = new ArrayList<>(productionArns);
        all.addAll(testArns);
        Map<String, Listener> listeners = AwsCalls.call("elasticloadbalancing:DescribeListeners",
                        () -> elb.describeListeners(r -> r.listenerArns(all))).listeners().stream()
                .collect(Collectors.toMap(Listener::listenerArn, Function.identity()));
        List<String> loadBalancerArns = listeners.values().stream().map(Listener::loadBalancerArn).distinct().toList();
        Map<String, String> dnsNames = AwsCalls.call("elasticloadbalancing:DescribeLoadBalancers",
                        () -> elb.describeLoadBalancers(r -> r.loadBalancerArns(loadBalancerArns))).loadBalancers().stream()
                .collect(Collectors.toMap(LoadBalancer::loadBalancerArn, LoadBalancer::dnsName));
        ECSService service = group.ecsServices().isEmpty() ? null : group.ecsServices().get(0);
        return new Topology(groupName,
                testArns.isEmpty() ? null : route(listeners, dnsNames, testArns.get(0)),
                route(listeners, dnsNames, productionArns.get(0)),
                service == null ? null : service.clusterName(),
                service == null ? null : service.serviceName(),
                pair.targetGroups().stream().map(info -> info.name()).toList());
    }

    private static List<String> listenerArns(TrafficRoute route) {
        return route == null ? List.of() : route.listenerArns();
    }

    private static Topology.Route route(Map<String, Listener> listeners, Map<String, String> dnsNames, String arn) {
        Listener listener = listeners.get(arn);
        if (listener == null) {
            throw new DiscoveryException("listener " + arn + " of the deployment group does not exist");
        }
        String scheme = switch (listener.protocolAsString()) {
            case "HTTPS" -> "https";
            case "HTTP" -> "http";
            default -> throw new DiscoveryException("listener " + arn + " speaks " + listener.protocolAsString()
                    + ", not HTTP(S): set TARGET_BASE_URL");
        };
        int port = listener.port();
        boolean defaultPort = ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
        URI baseUrl = URI.create(scheme + "://" + dnsNames.get(listener.loadBalancerArn()) + (defaultPort ? "" : ":" + port));
        return new Topology.Route(arn, baseUrl, forwardTarget(listener.defaultActions()), listener.loadBalancerArn(),
                ElbForwards.firstForward(listener.defaultActions()));
    }

    /** The target group a listener's default action sends traffic to: the heaviest one of a weighted forward. */
    static String forwardTarget(List<Action> actions) {
        return actions.stream()
                .flatMap(action -> ElbForwards.read(action).stream())
                .flatMap(forward -> forward.heaviestTarget().stream())
                .findFirst()
                .orElse(null);
    }
}
