package dev.ecsbluegreen.hooks.codedeploy;

import dev.ecsbluegreen.hooks.Listener;

import dev.ecsbluegreen.hooks.codedeploy.DiscoveryException;

import java.net.URI;

/**
 * Where green can be reached during a CodeDeploy deployment, as discovered from the deployment itself.
 *
 * @param deploymentGroup "application/deployment group", for messages
 * @param test            the test listener, or null when the deployment group has none
 * @param production      the production listener
 * @param cluster         the ECS cluster of the deployed service
 * @param service         the ECS service
 */
public record Topology(String deploymentGroup, Route test, Route production, String cluster, String service) {

    /**
     * One listener of the load balancer.
     *
     * @param listenerArn  the listener
     * @param baseUrl      scheme, load balancer DNS name and listener port
     * @param targetGroupArn the target group its default action forwards to (the heaviest one when weighted)
     */
    public record Route(String listenerArn, URI baseUrl, String targetGroupArn) {}

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
