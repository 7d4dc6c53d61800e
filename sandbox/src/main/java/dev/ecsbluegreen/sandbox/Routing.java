package dev.ecsbluegreen.sandbox;

import dev.ecsbluegreen.core.routing.Forward;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the emulator's load balancer sends traffic right now, as plain data: its listeners with their rules in
 * evaluation order (the default rule last), and its target groups with targets and {@code IsProduction} tags.
 *
 * @param listeners    by listener port
 * @param targetGroups by target group ARN
 */
public record Routing(Map<Integer, Listener> listeners, Map<String, TargetGroup> targetGroups) {

    public Routing {
        listeners = Map.copyOf(listeners);
        targetGroups = Map.copyOf(targetGroups);
    }

    /** @param rules in the order ELB evaluates them; the default rule (no conditions) is last */
    public record Listener(int port, String arn, List<Rule> rules) {
        public Listener {
            rules = List.copyOf(rules);
        }
    }

    /**
     * @param priority   "1", "2", … or "default"
     * @param conditions all must match
     * @param forward    the rule's forward action; null when it does not forward
     * @param otherAction the type of the first action when it does not forward (fixed-response, redirect, …), else null
     */
    public record Rule(String priority, List<Condition> conditions, Forward forward, String otherAction) {
        public Rule {
            conditions = List.copyOf(conditions);
        }
    }

    /** @param field ELB's condition field ({@code path-pattern}, {@code host-header}, …); values are ELB wildcards */
    public record Condition(String field, List<String> values) {
        public Condition {
            values = List.copyOf(values);
        }
    }

    /** @param isProduction the value of its {@code IsProduction} tag, or null */
    public record TargetGroup(String arn, String name, List<Target> targets, String isProduction) {
        public TargetGroup {
            targets = List.copyOf(targets);
        }
    }

    /** @param healthy whether ELB (here: moto) reports the target healthy */
    public record Target(String ip, int port, boolean healthy) {}

    public Listener listener(int port) {
        Listener listener = listeners.get(port);
        if (listener == null) {
            throw new IllegalStateException("the load balancer has no listener on port " + port);
        }
        return listener;
    }

    public String name(String targetGroupArn) {
        TargetGroup group = targetGroups.get(targetGroupArn);
        return group == null ? targetGroupArn : group.name();
    }

    /**
     * Where a listener sends traffic, in a few characters: {@code app-blue}, {@code app-blue:90,app-green:10}, or
     * the distinct forwards of its rules joined by " | " when they differ.
     */
    public String summary(int port) {
        List<String> forwards = listener(port).rules().stream()
                .map(rule -> rule.forward() == null ? rule.otherAction()
                        : rule.forward().targets().size() == 1 ? name(rule.forward().targets().get(0).targetGroupArn())
                        : rule.forward().targets().stream().map(w -> name(w.targetGroupArn()) + ":" + w.weight())
                                .collect(Collectors.joining(",")))
                .distinct().toList();
        return String.join(" | ", forwards);
    }

    /** The names of the target groups tagged {@code IsProduction=true}, comma-separated ("none" when there is none). */
    public String production() {
        List<String> names = targetGroups.values().stream()
                .filter(group -> "true".equalsIgnoreCase(group.isProduction()))
                .map(TargetGroup::name).sorted().toList();
        return names.isEmpty() ? "none" : String.join(",", names);
    }
}
