package dev.ecsbluegreen.hooks.codedeploy;

import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.hooks.Listener;
import dev.ecsbluegreen.hooks.codedeploy.DiscoveryException;
import java.net.URI;
import java.util.List;

/**
 * Where green can be reached during a CodeDeploy deployment, as discovered from the deployment itself.
 *
 * @param deploymentGroup "application/deployment group", for messages
 * @param test            the test listener, or null when the deployment group has none
 * @param production      the production listener
 * @param cluster         the ECS cluster of the deployed service
 * @param service         the ECS service
 * @param targetGroups    the names of the deployment group's target group pair (CodeDeploy names them; ARNs end
 *                        in {@code targetgroup/NAME/ID})
 */
public record Topology(String deploymentGroup, Route test, Route production, String cluster, String service,
                       List<String> targetGroups) {
    public Topology {
        targetGroups = targetGroups == null ? List.of() : List.copyOf(targetGroups);
    }

    /**
     * One listener of the load balancer.
     *
     * @param listenerArn  the listener
     * @param baseUrl      scheme, load balancer DNS name and listener port
     * @param targetGroupArn the target group its default action forwards to (the heaviest one when weighted)
     * @param loadBalancerArn the load balancer the listener belongs to
     * @param forward        where its default action's forward sends traffic now, as ELB reports it
     */
    public record Route(String listenerArn, URI baseUrl, String targetGroupArn, String loadBalancerArn,
                        Forward forward) {
        public Route {
            forward = forward == null ? new Forward(List.of()) : forward;
        }

        /** A target group's share of the listener's traffic, in percent (0 when it is not in the forward). */
        public double percent(String targetGroup) {
            return forward.percentOf(targetGroup);
        }
    }


    /** The route a hook at {@code listener} tests; throws when the deployment group has none. */
    public Route route(Listener listener) {
        Route route = listener == Listener.TEST ? test : production;
        if (route == null) {
            throw new DiscoveryException("deployment group " + deploymentGroup + " has no "
                    + (listener == Listener.TEST ? "test" : "production") + " listener: add one, or set TARGET_BASE_URL");
        }
        return route;
    }
}
