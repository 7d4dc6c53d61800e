package dev.ecsbluegreen.hooks.ecs;

import dev.ecsbluegreen.core.routing.Forward;
import java.util.Map;

/**
 * How an Amazon ECS blue/green service is wired to its load balancer, and where its listener rules forward right
 * now: what the hook needs to find green's and blue's target groups, and to compare the live weights with the
 * weights the deployment reports.
 *
 * @param primaryTargetGroupArn   the service's {@code loadBalancers[].targetGroupArn}
 * @param alternateTargetGroupArn its {@code advancedConfiguration.alternateTargetGroupArn}
 * @param production              the production listener rule (or, for a Network Load Balancer, listener)
 * @param test                    the test listener rule, or null when the service has none
 */
public record ServiceRouting(String primaryTargetGroupArn, String alternateTargetGroupArn, Forwarding production,
                             Forwarding test) {

    /**
     * @param arn            the rule's (or listener's) ARN
     * @param loadBalancerArn the load balancer it belongs to
     * @param forward        where its forward action sends traffic now, as ELB reports it (no targets when it does
     *                       not forward)
     */
    public record Forwarding(String arn, String loadBalancerArn, Forward forward) {

        /** A target group's share of the traffic, in percent (0 when it is not in the forward). */
        public double percent(String targetGroupArn) {
            return forward.percentOf(targetGroupArn);
        }

        /** Each target group's share, in percent. */
        public Map<String, Double> shares() {
            return forward.percentages();
        }

        /** The target group that takes all of this forward's traffic, or null when it splits it (or forwards nowhere). */
        public String soleTarget() {
            String sole = null;
            for (Map.Entry<String, Double> entry : shares().entrySet()) {
                if (entry.getValue() > 0) {
                    if (sole != null) {
                        return null;
                    }
                    sole = entry.getKey();
                }
            }
            return sole;
        }
    }
}
