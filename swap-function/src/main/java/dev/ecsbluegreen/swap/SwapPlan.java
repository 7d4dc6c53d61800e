package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.TargetWeight;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The writes that take the listeners and tags from what was read to the end state of a {@link Direction}, and
 * nothing else: a state that is already there needs no write, so applying a plan twice is the same as once.
 *
 * <p>On the live listener, every forward that sends traffic to the new test group (blue) is rewritten to send
 * it to the new live group (green): a single target is replaced, and where both are in one weighted forward
 * the larger weight moves to green (90/10 becomes 10/90). The test listener gets the mirror image. Forwards
 * to other target groups, other actions, conditions and stickiness are never touched. Then {@code IsProduction}
 * becomes {@code true} on the new live group and {@code false} on the other.
 *
 * @param liveWrites routes of the live listener to rewrite, in listener order
 * @param testWrites routes of the test listener to rewrite
 * @param tagWrites target group ARN → the {@code IsProduction} value it must get
 */
record SwapPlan(List<RouteWrite> liveWrites, List<RouteWrite> testWrites, Map<String, String> tagWrites) {

    /** One route and the forwards it must have afterwards. */
    record RouteWrite(Route route, List<Forward> forwards) {}

    static SwapPlan converge(Direction direction, List<Route> liveRoutes, List<Route> testRoutes,
                             Map<String, Map<String, String>> tags) {
        Map<String, String> tagWrites = new LinkedHashMap<>();
        wantTag(tagWrites, tags, direction.newLive(), "true");
        wantTag(tagWrites, tags, direction.newTest(), "false");
        return new SwapPlan(
                writes(liveRoutes, direction.newLive(), direction.newTest()),
                writes(testRoutes, direction.newTest(), direction.newLive()),
                tagWrites);
    }

    boolean isEmpty() {
        return liveWrites.isEmpty() && testWrites.isEmpty() && tagWrites.isEmpty();
    }

    /** How many writes it makes. */
    int size() {
        return liveWrites.size() + testWrites.size() + tagWrites.size();
    }

    /** Whether any route is still to be rewritten (only tags left, or nothing: the routing is swapped). */
    boolean movesRoutes() {
        return !liveWrites.isEmpty() || !testWrites.isEmpty();
    }

    /** Whether live traffic moves: then green's health matters. */
    boolean movesLiveTraffic() {
        return !liveWrites.isEmpty();
    }

    private static void wantTag(Map<String, String> writes, Map<String, Map<String, String>> tags, String arn, String value) {
        String current = tags.getOrDefault(arn, Map.of()).get(PairFinder.PRODUCTION_TAG);
        if (!value.equals(current)) {
            writes.put(arn, value);
        }
    }

    private static List<RouteWrite> writes(List<Route> routes, String want, String other) {
        List<RouteWrite> writes = new ArrayList<>();
        for (Route route : routes) {
            List<Forward> after = route.forwards().stream().map(f -> converge(f, want, other)).toList();
            if (!after.equals(route.forwards())) {
                writes.add(new RouteWrite(route, after));
            }
        }
        return writes;
    }

    /** {@code forward} with its traffic for {@code other} moved to {@code want}. */
    static Forward converge(Forward forward, String want, String other) {
        TargetWeight wanted = forward.target(want).orElse(null);
        TargetWeight unwanted = forward.target(other).orElse(null);
        if (unwanted == null || (wanted != null && wanted.weight() >= unwanted.weight())) {
            return forward;
        }
        List<TargetWeight> targets = new ArrayList<>();
        for (TargetWeight t : forward.targets()) {
            if (wanted == null) {
                targets.add(Objects.equals(t.targetGroupArn(), other) ? t.withArn(want) : t);
            } else if (t.targetGroupArn().equals(want)) {
                targets.add(t.withWeight(unwanted.weight()));
            } else if (t.targetGroupArn().equals(other)) {
                targets.add(t.withWeight(wanted.weight()));
            } else {
                targets.add(t);
            }
        }
        return forward.withTargets(targets);
    }
}
