package dev.ecsbluegreen.swap;

import java.util.List;
import java.util.Optional;

/**
 * A forward action of a route: where it stands in the route's action list and the target groups it sends
 * traffic to. Stickiness and every other field stay with the adapter's copy of the action.
 */
public record Forward(int actionIndex, List<TargetWeight> targets) {
    public Forward {
        targets = List.copyOf(targets);
    }

    public Optional<TargetWeight> target(String targetGroupArn) {
        return targets.stream().filter(t -> t.targetGroupArn().equals(targetGroupArn)).findFirst();
    }

    /**
     * The target group that gets strictly more traffic than every other one in this forward, if any: the
     * one target of a single-target forward, the 100 of a 100/0, the 90 of a 90/10; none for 50/50.
     */
    public Optional<String> dominantTarget() {
        TargetWeight best = null;
        boolean tie = false;
        for (TargetWeight t : targets) {
            if (best == null || t.weight() > best.weight()) {
                best = t;
                tie = false;
            } else if (t.weight() == best.weight()) {
                tie = true;
            }
        }
        return best == null || tie || best.weight() <= 0 ? Optional.empty() : Optional.of(best.targetGroupArn());
    }
}
