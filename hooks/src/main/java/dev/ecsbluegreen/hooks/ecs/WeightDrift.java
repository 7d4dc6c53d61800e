package dev.ecsbluegreen.hooks.ecs;

import dev.ecsbluegreen.core.routing.TargetGroups;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Before a production shift, the live listener must route as the deployment says it does: green's and blue's shares
 * of the production rule's forward equal the weights Amazon ECS reports, and no other target group takes traffic. A
 * listener changed by hand fails the hook, naming the difference. Pure.
 */
final class WeightDrift {
    /** ELB weights are whole numbers 0–999: shares are compared to within half a percentage point. */
    static final double TOLERANCE_POINTS = 0.5;

    private WeightDrift() {}

    /** @return the difference in words, or empty when the listener routes as reported */
    static Optional<String> difference(ServiceRouting.Forwarding production, Sides sides, double reportedGreenPercent) {
        double green = production.percent(sides.green());
        double blue = production.percent(sides.blue());
        Map<String, Double> others = new TreeMap<>();
        production.shares().keySet().stream()
                .filter(arn -> !arn.equals(sides.green()) && !arn.equals(sides.blue()))
                .filter(arn -> production.percent(arn) > 0)
                .forEach(arn -> others.put(arn, production.percent(arn)));
        double reportedBlue = 100.0 - reportedGreenPercent;
        boolean drifted = Math.abs(green - reportedGreenPercent) > TOLERANCE_POINTS
                || Math.abs(blue - reportedBlue) > TOLERANCE_POINTS || !others.isEmpty();
        if (!drifted) {
            return Optional.empty();
        }
        StringBuilder actual = new StringBuilder("green " + percent(green) + " / blue " + percent(blue));
        others.forEach((arn, share) -> actual.append(" / ").append(TargetGroups.name(arn)).append(' ').append(percent(share)));
        return Optional.of("the production listener rule " + production.arn() + " forwards " + actual
                + ", but the deployment reports green " + percent(reportedGreenPercent) + " / blue "
                + percent(reportedBlue) + " (green is " + TargetGroups.name(sides.green()) + ", blue " + TargetGroups.name(sides.blue())
                + "): the listener was changed outside the deployment; put it back, or stop the deployment");
    }

    static String percent(double share) {
        return (share == Math.rint(share) ? String.valueOf((long) share) : String.format(Locale.ROOT, "%.1f", share)) + " %";
    }
}
