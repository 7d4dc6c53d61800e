package dev.ecsbluegreen.swap;

import static dev.ecsbluegreen.swap.Routes.arn;
import static dev.ecsbluegreen.swap.Routes.forward;
import static dev.ecsbluegreen.swap.Routes.weighted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.swap.LoadBalancers.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The routing before a progressive release, as its tags record it, and the steps computed from it. */
class OriginalRoutesTest {
    private static final Direction PAIR = new Direction(arn("green"), arn("blue"));
    private static final Listener LIVE = new Listener("live-arn", 80, "HTTP");
    private static final Listener TEST = new Listener("test-arn", 8080, "HTTP");

    private static Route live(int priority, Forward forward) {
        return new Route("live-arn", "live-rule-" + priority, String.valueOf(priority), List.of(forward), null);
    }

    private static Routing routing(List<Route> liveRoutes) {
        return new Routing(LIVE, TEST, liveRoutes,
                List.of(new Route("test-arn", null, "default", List.of(forward("green")), null)), Map.of());
    }

    private static Routing alternatingHundredRules() {
        List<Route> routes = new ArrayList<>();
        routes.add(new Route("live-arn", null, "default", List.of(forward("blue")), null));
        for (int p = 1; p <= 100; p++) {
            routes.add(live(p, p % 2 == 0 ? forward("blue") : weighted("blue", 90, "green", 10)));
        }
        return routing(routes);
    }

    @Test
    void aHundredRulesThatDoNotFoldAreCutIntoTagsOf256CharactersAndReadBackWhole() {
        Routing before = alternatingHundredRules();
        OriginalRoutes original = OriginalRoutes.of(before, PAIR);
        Map<String, String> tags = original.tags(before);

        assertTrue(tags.size() > 3, tags.toString());
        assertTrue(tags.size() < ProgressiveSwap.MAX_TAGS - JobRecord.TAGS.size() - 2);
        assertTrue(tags.values().stream().allMatch(v -> v.length() <= JobRecord.MAX_TAG_VALUE
                && v.matches("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*")), tags.toString());
        // read back against the routing at a step: every route resolves to what it was
        Routing atStep = routing(before.liveRoutes().stream().map(r -> new Route(r.listenerArn(), r.ruleArn(),
                r.priority(), original.atStep(r, 10), null)).toList());
        OriginalRoutes read = OriginalRoutes.from(tags, tags.size(), PAIR, atStep).orElseThrow();
        assertEquals(before.liveRoutes(), read.originalOf(atStep).liveRoutes());
        assertEquals(original.fingerprint(before), read.fingerprint(atStep));
    }

    @Test
    void alikeRulesFoldIntoOneEntry() {
        List<Route> routes = new ArrayList<>();
        for (int p = 1; p <= 100; p++) {
            routes.add(live(p, forward("blue")));
        }
        Routing before = routing(routes);
        assertEquals(Map.of("ecs-bluegreen:original-1", "live:1-100=b1 test:default=g1"),
                OriginalRoutes.of(before, PAIR).tags(before));
    }

    @Test
    void eachStepWeightsBlueAndGreenAndTheLastIsTodaysSwap() {
        Route single = live(1, forward("blue"));
        Route weighted = live(2, weighted("green", 0, "blue", 100));
        Route elsewhere = live(3, forward("other"));
        Routing before = routing(List.of(single, weighted, elsewhere));
        OriginalRoutes original = OriginalRoutes.of(before, PAIR);

        assertEquals(List.of(weighted("blue", 75, "green", 25)), original.atStep(single, 25));
        assertEquals(List.of(weighted("green", 25, "blue", 75)), original.atStep(weighted, 25), "the forward's order kept");
        assertEquals(List.of(forward("green")), original.swapped("live", single));
        assertEquals(List.of(weighted("green", 100, "blue", 0)), original.swapped("live", weighted));
        assertTrue(original.records("live", single) && !original.records("live", elsewhere));
    }

    @Test
    void aRouteEditedOutsideTheReleaseChangesTheFingerprint() {
        Routing before = routing(List.of(live(1, forward("blue")), live(2, forward("other"))));
        OriginalRoutes original = OriginalRoutes.of(before, PAIR);
        Routing edited = routing(List.of(live(1, forward("blue")), live(2, forward("blue-v2"))));
        assertNotEquals(original.fingerprint(before), original.fingerprint(edited));
        Routing ruleAdded = routing(List.of(live(1, forward("blue")), live(2, forward("other")), live(3, forward("x"))));
        assertNotEquals(original.fingerprint(before), original.fingerprint(ruleAdded));
    }

    @Test
    void aForwardToAThirdGroupBesideBlueIsRefusedBeforeAnyWrite() {
        Routing before = routing(List.of(live(7, weighted("blue", 80, "other", 20))));
        SwapException e = assertThrows(SwapException.class, () -> OriginalRoutes.of(before, PAIR));
        assertEquals(FailureType.ConfigurationError, e.type());
        assertTrue(e.getMessage().contains("live :80 rule priority 7 forwards to other as well as to the pair"),
                e.getMessage());
    }
}
