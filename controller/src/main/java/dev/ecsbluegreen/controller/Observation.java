package dev.ecsbluegreen.controller;

import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.TargetWeight;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The service and the listeners as read at one moment: everything the {@link Planner} decides on.
 *
 * @param taskSets every task set of the service, in ECS's order
 * @param definitions the task definitions of those task sets, by ARN (a definition that could not be read is absent)
 * @param latestOfFamily the newest revision of the primary task set's family: a definition an earlier {@code deploy}
 *     of the same release registered is found here; null when not read (actions other than deploy)
 * @param live where the live listener's default action forwards
 * @param test where the test listener's default action forwards
 */
public record Observation(int desiredCount, List<TaskSet> taskSets, Map<String, TaskDefinition> definitions,
                          TaskDefinition latestOfFamily, Forward live, Forward test) {
    public Observation {
        taskSets = List.copyOf(taskSets);
        definitions = Map.copyOf(definitions);
    }

    public List<TaskSet> primaries() {
        return taskSets.stream().filter(TaskSet::primary).toList();
    }

    /** Whether {@code forward} sends all of its traffic to {@code targetGroupArn}: every target with weight is that one. */
    static boolean sendsAllTo(Forward forward, String targetGroupArn) {
        List<TargetWeight> weighted = forward.targets().stream().filter(t -> t.weight() > 0).toList();
        return !weighted.isEmpty() && weighted.stream().allMatch(t -> t.targetGroupArn().equals(targetGroupArn));
    }

    /** Which target groups get traffic and their share, to a tenth of a point: what routing means, whatever the weights' scale. */
    static Map<String, Double> shares(Forward forward) {
        Map<String, Double> shares = new java.util.TreeMap<>();
        forward.percentages().forEach((group, share) -> {
            if (share > 0) {
                shares.put(group, Math.round(share * 10) / 10.0);
            }
        });
        return shares;
    }

    /** "app-blue", "app-blue 90 % / app-green 10 %", or "nothing" (a forward with no weight). */
    static String describe(Forward forward) {
        Map<String, Double> shares = forward.percentages();
        List<Map.Entry<String, Double>> sending = shares.entrySet().stream().filter(e -> e.getValue() > 0).toList();
        if (sending.isEmpty()) {
            return "nothing";
        }
        if (sending.size() == 1) {
            return Names.targetGroup(sending.get(0).getKey());
        }
        return sending.stream().map(e -> Names.targetGroup(e.getKey()) + " " + Names.percent(Math.round(e.getValue() * 10) / 10.0))
                .collect(Collectors.joining(" / "));
    }

    /** The progress line of a read: every task set, then where each listener forwards. */
    public String describe() {
        String sets = taskSets.isEmpty() ? "no task sets" : taskSets.stream().map(TaskSet::describe).collect(Collectors.joining("; "));
        return "desired " + desiredCount + "; " + sets + "; live → " + describe(live) + ", test → " + describe(test);
    }
}
