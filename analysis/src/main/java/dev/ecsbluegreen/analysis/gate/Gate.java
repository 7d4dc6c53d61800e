package dev.ecsbluegreen.analysis.gate;

import dev.ecsbluegreen.analysis.InvalidConfigurationException;
import dev.ecsbluegreen.analysis.gate.GateResult;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks of green beyond HTTP, and the pure decisions that judge what AWS reports about it. */
public enum Gate {
    /** Every registered target of the green target group is {@code healthy}. */
    TARGET_HEALTH,
    /** The replacement task set (or the service's primary deployment) runs as many tasks as it wants. */
    TASK_COUNTS;

    /** Parses a comma-separated list such as {@code TARGET_HEALTH,TASK_COUNTS}; {@code none} or blank: no gates. */
    public static Set<Gate> parseList(String text) {
        Set<Gate> gates = EnumSet.noneOf(Gate.class);
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("none")) {
            return gates;
        }
        for (String part : text.split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                gates.add(Gate.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException("gate '" + part.trim() + "' is not one of TARGET_HEALTH, TASK_COUNTS, none");
            }
        }
        return gates;
    }

    /**
     * One registered target as ELB reports it.
     *
     * @param id     instance id or IP address
     * @param port   port, or 0 when not reported
     * @param state  {@code healthy}, {@code unhealthy}, {@code initial}, {@code draining}, {@code unused}, …
     * @param reason ELB's reason code when not healthy, or null
     */
    public record TargetState(String id, int port, String state, String reason) {}

    /**
     * The task counts of green as ECS reports them.
     *
     * @param what    which thing was counted, e.g. "task set ecs-svc/123 (ACTIVE)" or "primary deployment"
     * @param desired tasks it wants, or null when ECS did not say
     * @param running tasks running, or null when ECS did not say
     */
    public record TaskCounts(String what, Integer desired, Integer running) {}

    /** Passes when there is at least one target and every target is healthy. */
    public static GateResult judgeTargets(String targetGroup, List<TargetState> targets) {
        if (targets.isEmpty()) {
            return new GateResult(TARGET_HEALTH, false, "no targets are registered in " + targetGroup);
        }
        List<TargetState> notHealthy = targets.stream().filter(t -> !"healthy".equals(t.state())).toList();
        if (notHealthy.isEmpty()) {
            return new GateResult(TARGET_HEALTH, true, "all " + targets.size() + " targets of " + targetGroup + " are healthy");
        }
        Map<String, List<String>> byState = notHealthy.stream().collect(Collectors.groupingBy(
                t -> t.state() + (t.reason() == null ? "" : " (" + t.reason() + ")"),
                java.util.TreeMap::new,
                Collectors.mapping(t -> t.port() == 0 ? t.id() : t.id() + ":" + t.port(), Collectors.toList())));
        List<String> parts = new ArrayList<>();
        byState.forEach((state, ids) -> parts.add(state + ": " + String.join(", ", ids)));
        return new GateResult(TARGET_HEALTH, false, notHealthy.size() + " of " + targets.size() + " targets of "
                + targetGroup + " are not healthy — " + String.join("; ", parts));
    }

    /** Passes when ECS reports a positive desired count and as many running tasks. */
    public static GateResult judgeCounts(TaskCounts counts) {
        if (counts.desired() == null || counts.running() == null) {
            return new GateResult(TASK_COUNTS, false, "ECS did not report desired and running counts for " + counts.what());
        }
        if (counts.desired() <= 0) {
            return new GateResult(TASK_COUNTS, false, counts.what() + " wants " + counts.desired() + " tasks: nothing to serve traffic");
        }
        boolean passed = counts.running().equals(counts.desired());
        return new GateResult(TASK_COUNTS, passed, counts.what() + " runs " + counts.running() + " of "
                + counts.desired() + " tasks");
    }
}
