package dev.ecsbluegreen.hooks.codedeploy;

import dev.ecsbluegreen.core.routing.TargetGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Before CodeDeploy moves production traffic (BeforeAllowTraffic), the production listener must still route as the
 * deployment left it: only to the deployment group's target groups, and none of it to green (the replacement behind
 * the test listener). A listener changed by hand fails the hook, naming the difference. Pure.
 */
final class CodeDeployDrift {
    private CodeDeployDrift() {}

    static Optional<String> difference(Topology topology) {
        Topology.Route live = topology.production();
        List<String> problems = new ArrayList<>();
        for (String arn : live.forward().percentages().keySet()) {
            if (live.percent(arn) > 0 && !topology.targetGroups().isEmpty()
                    && !topology.targetGroups().contains(TargetGroups.name(arn))) {
                problems.add("it sends " + Math.round(live.percent(arn)) + " % to " + TargetGroups.name(arn)
                        + ", which is not one of the deployment group's target groups " + topology.targetGroups());
            }
        }
        String green = topology.test() == null ? null : topology.test().targetGroupArn();
        if (green != null && live.percent(green) > 0) {
            problems.add("it already sends " + Math.round(live.percent(green)) + " % to green (" + TargetGroups.name(green)
                    + ") before CodeDeploy allowed production traffic");
        }
        return problems.isEmpty() ? Optional.empty()
                : Optional.of("the production listener " + live.listenerArn() + " was changed outside the deployment: "
                        + String.join("; ", problems));
    }
}
