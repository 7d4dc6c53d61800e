package dev.ecsbluegreen.hooks.ecs;

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
     * @param weights        each target group's weight in its forward action, as ELB reports it now (empty when it
     *                       does not forward)
     */
    public record Forwarding(String arn, String loadBalancerArn, Map<String, Integer> weights) {
        public Forwarding {
            weights = Map.copyOf(weights);
        }

        /** A target group's share of the traffic, in percent (0 when it is not in the forward). */
        public double percent(String targetGroupArn) {
            int total = weights.values().stream().mapToInt(Integer::intValue).sum();
            Integer weight = weights.get(targetGroupArn);
            return total <= 0 || weight == null ? 0 : 100.0 * weight / total;
        }

        /** The target group that takes all of this forward's traffic, or null when it splits it (or forwards nowhere). */
        public String soleTarget() {
            String sole = null;
            for (Map.Entry<String, Integer> entry : weights.entrySet()) {
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
