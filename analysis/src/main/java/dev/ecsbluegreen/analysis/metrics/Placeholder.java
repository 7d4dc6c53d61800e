package dev.ecsbluegreen.analysis.metrics;

import dev.ecsbluegreen.analysis.Subject;
import java.util.List;

/**
 * The dimension values a metric query may leave to the deployment: {@code ${greenTargetGroup}},
 * {@code ${blueTargetGroup}} and {@code ${loadBalancer}}, replaced by the ARN suffixes CloudWatch names them by
 * ({@code targetgroup/<name>/<id>}, {@code app/<name>/<id>}). A placeholder is a whole value. Pure.
 */
public final class Placeholder {
    public static final String GREEN_TARGET_GROUP = "${greenTargetGroup}";
    public static final String BLUE_TARGET_GROUP = "${blueTargetGroup}";
    public static final String LOAD_BALANCER = "${loadBalancer}";
    /** Every placeholder, in the order the documentation lists them. */
    public static final List<String> ALL = List.of(GREEN_TARGET_GROUP, BLUE_TARGET_GROUP, LOAD_BALANCER);

    private Placeholder() {}

    /** Whether {@code value} means to be a placeholder: it holds {@code ${}. */
    public static boolean looksLikeOne(String value) {
        return value != null && value.contains("${");
    }

    /**
     * @param value   the query's dimension value
     * @param missing null when {@link #value} is known, else what the deployment did not say
     */
    record Resolution(String value, String missing) {}

    static Resolution resolve(String value, Subject subject) {
        if (!looksLikeOne(value)) {
            return new Resolution(value, null);
        }
        String resolved;
        String what;
        switch (value) {
            case GREEN_TARGET_GROUP -> {
                resolved = Subject.targetGroupDimension(subject.greenTargetGroupArn());
                what = "green's target group";
            }
            case BLUE_TARGET_GROUP -> {
                resolved = Subject.targetGroupDimension(subject.blueTargetGroupArn());
                what = "blue's target group";
            }
            case LOAD_BALANCER -> {
                resolved = subject.loadBalancerDimension();
                what = "the load balancer";
            }
            default -> {
                return new Resolution(null, value + " is not one of " + String.join(", ", ALL));
            }
        }
        return resolved == null ? new Resolution(null, what + " is not known from the deployment")
                : new Resolution(resolved, null);
    }
}
