package dev.ecsbluegreen.swap;

import static dev.ecsbluegreen.swap.Routes.arn;
import static dev.ecsbluegreen.swap.Routes.defaultRoute;
import static dev.ecsbluegreen.swap.Routes.forward;
import static dev.ecsbluegreen.swap.Routes.rule;
import static dev.ecsbluegreen.swap.Routes.weighted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwapPlanTest {
    private static final Direction GREEN_LIVE = new Direction(arn("green"), arn("blue"));
    private static final Map<String, Map<String, String>> TAGS_BEFORE = Map.of(
            arn("blue"), Map.of("IsProduction", "true"), arn("green"), Map.of("IsProduction", "false"));

    @Test
    void singleTargetsAreReplacedOnBothListenersAndTagsFlip() {
        SwapPlan plan = SwapPlan.converge(GREEN_LIVE,
                List.of(defaultRoute(forward("blue")), rule(1, forward("blue"))),
                List.of(defaultRoute(forward("green")), rule(1, forward("green"))), TAGS_BEFORE);
        assertEquals(2, plan.liveWrites().size());
        assertEquals(List.of(forward("green")), plan.liveWrites().get(0).forwards());
        assertEquals(List.of(forward("blue")), plan.testWrites().get(1).forwards());
        assertEquals(Map.of(arn("green"), "true", arn("blue"), "false"), plan.tagWrites());
        assertTrue(plan.movesLiveTraffic());
    }

    @Test
    void weightsAreSwappedNotReplaced() {
        assertEquals(weighted("blue", 10, "green", 90),
                SwapPlan.converge(weighted("blue", 90, "green", 10), arn("green"), arn("blue")));
        assertEquals(weighted("green", 100, "blue", 0),
                SwapPlan.converge(weighted("green", 0, "blue", 100), arn("green"), arn("blue")));
    }

    @Test
    void otherTargetGroupsKeepTheirShare() {
        assertEquals(weighted("green", 80, "reports", 20),
                SwapPlan.converge(weighted("blue", 80, "reports", 20), arn("green"), arn("blue")));
        assertEquals(forward("reports"), SwapPlan.converge(forward("reports"), arn("green"), arn("blue")));
    }

    @Test
    void theEndStateNeedsNoWrites() {
        SwapPlan plan = SwapPlan.converge(GREEN_LIVE,
                List.of(defaultRoute(forward("green")), rule(1, weighted("green", 90, "blue", 10))),
                List.of(defaultRoute(forward("blue"))),
                Map.of(arn("green"), Map.of("IsProduction", "true"), arn("blue"), Map.of("IsProduction", "false")));
        assertTrue(plan.isEmpty());
    }

    @Test
    void halfSwappedStateConvergesWithoutUndoingTheDoneHalf() {
        // live was rewritten, the test listener was not: both on green
        SwapPlan plan = SwapPlan.converge(GREEN_LIVE,
                List.of(defaultRoute(forward("green"))), List.of(defaultRoute(forward("green"))), TAGS_BEFORE);
        assertTrue(plan.liveWrites().isEmpty());
        assertFalse(plan.movesLiveTraffic());
        assertEquals(List.of(forward("blue")), plan.testWrites().get(0).forwards());
    }

    @Test
    void missingTagsAreAdded() {
        SwapPlan plan = SwapPlan.converge(GREEN_LIVE, List.of(defaultRoute(forward("green"))),
                List.of(defaultRoute(forward("blue"))), Map.of());
        assertEquals(Map.of(arn("green"), "true", arn("blue"), "false"), plan.tagWrites());
    }
}
