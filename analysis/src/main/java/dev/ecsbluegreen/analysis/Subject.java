package dev.ecsbluegreen.analysis;

/**
 * What the analysis judges, as discovered from the deployment: the load balancer and the two target groups.
 *
 * @param loadBalancerArn      the load balancer, or null when unknown (presets then use the target group dimension alone)
 * @param greenTargetGroupArn  green's target group, or null when unknown (presets and comparisons are then errors)
 * @param blueTargetGroupArn   blue's target group, or null when unknown
 * @param greenTrafficPercent  green's share of live traffic now (0–100), or null when unknown
 */
public record Subject(String loadBalancerArn, String greenTargetGroupArn, String blueTargetGroupArn,
                      Double greenTrafficPercent) {

    /** {@code app/<name>/<id>}: the {@code LoadBalancer} dimension of {@code AWS/ApplicationELB}; null when unknown. */
    public String loadBalancerDimension() {
        return suffix(loadBalancerArn, "loadbalancer/");
    }

    /** {@code targetgroup/<name>/<id>}: the {@code TargetGroup} dimension; null when unknown. */
    public static String targetGroupDimension(String targetGroupArn) {
        String suffix = suffix(targetGroupArn, "targetgroup/");
        return suffix == null ? null : "targetgroup/" + suffix;
    }

    private static String suffix(String arn, String marker) {
        if (arn == null) {
            return null;
        }
        int at = arn.indexOf(':' + marker);
        return at < 0 ? null : arn.substring(at + 1 + marker.length());
    }
}
