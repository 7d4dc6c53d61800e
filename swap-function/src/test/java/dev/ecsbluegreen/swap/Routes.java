package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.TargetWeight;
import java.util.ArrayList;
import java.util.List;

/** Builds routing fixtures for the pure tests: {@code forward("blue")}, {@code weighted("blue", 90, "green", 10)}. */
final class Routes {
    static final String PREFIX = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/";

    private Routes() {}

    static String arn(String name) {
        return PREFIX + name + "/0123456789abcdef";
    }

    static Forward forward(String name) {
        return new Forward(List.of(new TargetWeight(arn(name), 1)));
    }

    static Forward weighted(Object... nameWeightPairs) {
        List<TargetWeight> targets = new ArrayList<>();
        for (int i = 0; i < nameWeightPairs.length; i += 2) {
            targets.add(new TargetWeight(arn((String) nameWeightPairs[i]), (Integer) nameWeightPairs[i + 1]));
        }
        return new Forward(targets);
    }

    static Route defaultRoute(Forward... forwards) {
        return new Route("listener", null, "default", List.of(forwards), null);
    }

    static Route rule(int priority, Forward... forwards) {
        return new Route("listener", "rule-" + priority, String.valueOf(priority), List.of(forwards), null);
    }
}
