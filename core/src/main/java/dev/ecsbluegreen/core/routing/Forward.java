package dev.ecsbluegreen.core.routing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where one forward action of a listener or rule sends traffic: its target groups with their weights, and its
 * stickiness. ELB writes a forward in two forms, a single {@code TargetGroupArn} or a weighted
 * {@code ForwardConfig}, often both at once; both read as this (see {@code dev.ecsbluegreen.core.aws.ElbForwards}).
 *
 * @param targets in the order ELB lists them; empty for a forward that names no target group (ELB refuses to
 *     write one, but a reader should not fail on it)
 * @param stickiness as the action states it; null when it states none. Written back, null leaves the action's own
 *     setting as it is, so a forward built from targets alone keeps the stickiness of the action it replaces.
 */
public record Forward(List<TargetWeight> targets, Stickiness stickiness) {
    public Forward {
        targets = List.copyOf(targets);
    }

    /** A forward to {@code targets} that says nothing about stickiness. */
    public Forward(List<TargetWeight> targets) {
        this(targets, null);
    }

    /** The same forward (stickiness included) sending its traffic to {@code newTargets}. */
    public Forward withTargets(List<TargetWeight> newTargets) {
        return new Forward(newTargets, stickiness);
    }

    public Optional<TargetWeight> target(String targetGroupArn) {
        return targets.stream().filter(t -> t.targetGroupArn().equals(targetGroupArn)).findFirst();
    }

    /** The weight of a target group; 0 when the forward does not name it. */
    public int weightOf(String targetGroupArn) {
        return target(targetGroupArn).map(TargetWeight::weight).orElse(0);
    }

    public int totalWeight() {
        return targets.stream().mapToInt(TargetWeight::weight).sum();
    }

    /** A target group's share of the forward's traffic in percent; 0 when the forward does not name it. */
    public double percentOf(String targetGroupArn) {
        return percentages().getOrDefault(targetGroupArn, 0.0);
    }

    /**
     * Each target group's share of the forward's traffic in percent, in target order: {@code 90/10} → 90.0 and
     * 10.0, {@code 1/2} → 33.3… and 66.6…; every share is 0 when all weights are 0 (the forward sends nothing).
     */
    public Map<String, Double> percentages() {
        int total = totalWeight();
        Map<String, Double> shares = new LinkedHashMap<>();
        for (TargetWeight t : targets) {
            shares.putIfAbsent(t.targetGroupArn(), total == 0 ? 0.0 : 100.0 * t.weight() / total);
        }
        return Collections.unmodifiableMap(shares);
    }

    /**
     * The target group with the largest weight, the first listed of equal ones (so one of 50/50 and of 0/0 too);
     * none only when the forward names no target group.
     */
    public Optional<String> heaviestTarget() {
        return heaviest().map(TargetWeight::targetGroupArn);
    }

    /**
     * The target group that gets strictly more traffic than every other one in this forward, if any: the
     * one target of a single-target forward, the 100 of a 100/0, the 90 of a 90/10; none for 50/50 or 0/0.
     */
    public Optional<String> dominantTarget() {
        return heaviest()
                .filter(h -> h.weight() > 0 && targets.stream().filter(t -> t.weight() == h.weight()).count() == 1)
                .map(TargetWeight::targetGroupArn);
    }

    private Optional<TargetWeight> heaviest() {
        TargetWeight heaviest = null;
        for (TargetWeight t : targets) {
            if (heaviest == null || t.weight() > heaviest.weight()) {
                heaviest = t;
            }
        }
        return Optional.ofNullable(heaviest);
    }
}
