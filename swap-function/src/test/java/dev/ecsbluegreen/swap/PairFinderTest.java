package dev.ecsbluegreen.swap;

import static dev.ecsbluegreen.swap.Routes.arn;
import static dev.ecsbluegreen.swap.Routes.defaultRoute;
import static dev.ecsbluegreen.swap.Routes.forward;
import static dev.ecsbluegreen.swap.Routes.rule;
import static dev.ecsbluegreen.swap.Routes.weighted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairFinderTest {
    private static Direction find(List<Route> live, List<Route> test, Map<String, Map<String, String>> tags, List<String> pair) {
        return PairFinder.find("live :80", live, "test :8080", test, tags, pair);
    }

    private static Direction find(List<Route> live, List<Route> test) {
        return find(live, test, Map.of(), List.of());
    }

    @Test
    void referenceLayoutGivesBlueOnLiveAndGreenOnTest() {
        Direction d = find(List.of(defaultRoute(forward("blue")), rule(1, forward("blue"))),
                List.of(defaultRoute(forward("green")), rule(1, forward("green"))));
        assertEquals(new Direction(arn("green"), arn("blue")), d);
    }

    @Test
    void weightedForwardsCountForTheirLargerWeight() {
        assertEquals(new Direction(arn("green"), arn("blue")),
                find(List.of(defaultRoute(weighted("blue", 90, "green", 10))), List.of(defaultRoute(weighted("green", 100, "blue", 0)))));
    }

    @Test
    void groupsOnBothListenersAreNotPartOfThePair() {
        Direction d = find(List.of(defaultRoute(forward("blue")), rule(5, forward("admin"))),
                List.of(defaultRoute(forward("green")), rule(5, forward("admin"))));
        assertEquals(new Direction(arn("green"), arn("blue")), d);
    }

    @Test
    void extraGroupOnOneListenerIsResolvedByIsProductionTags() {
        List<Route> live = List.of(defaultRoute(forward("blue")), rule(5, forward("reports")));
        List<Route> test = List.of(defaultRoute(forward("green")));
        SwapException e = assertThrows(SwapException.class, () -> find(live, test));
        assertTrue(e.getMessage().contains("[blue, reports]") && e.getMessage().contains("\"targetGroups\""), e.getMessage());
        Map<String, Map<String, String>> tags = Map.of(arn("blue"), Map.of("IsProduction", "true"),
                arn("green"), Map.of("IsProduction", "false"), arn("reports"), Map.of());
        assertEquals(new Direction(arn("green"), arn("blue")), find(live, test, tags, List.of()));
        assertEquals(new Direction(arn("green"), arn("blue")), find(live, test, Map.of(), List.of("green", arn("blue"))));
    }

    @Test
    void bothListenersOnOneGroupIsRefusedAsHalfSwapped() {
        SwapException e = assertThrows(SwapException.class,
                () -> find(List.of(defaultRoute(forward("green"))), List.of(defaultRoute(forward("green")))));
        assertEquals(FailureType.ConfigurationError, e.type());
        assertTrue(e.getMessage().contains("same target group [green]"), e.getMessage());
    }

    @Test
    void listenerWithoutForwardsIsRefused() {
        SwapException e = assertThrows(SwapException.class,
                () -> find(List.of(defaultRoute()), List.of(defaultRoute(forward("green")))));
        assertTrue(e.getMessage().contains("forwards traffic to no target group"), e.getMessage());
    }

    @Test
    void namedPairMustBeOnTheListeners() {
        SwapException e = assertThrows(SwapException.class, () -> find(List.of(defaultRoute(forward("blue"))),
                List.of(defaultRoute(forward("green"))), Map.of(), List.of("blue", "purple")));
        assertTrue(e.getMessage().contains("[purple]"), e.getMessage());
    }

    @Test
    void evenSplitHasNoDominantGroup() {
        assertEquals(java.util.Optional.empty(), weighted("blue", 50, "green", 50).dominantTarget());
    }

    @Test
    void namedPairIsFoundEvenWhenGreenAlsoServesALiveRule() {
        // live sends /beta to green on purpose: unnamed, green is shared and dropped; named, the pair stands
        List<Route> live = List.of(defaultRoute(forward("blue")), rule(5, forward("green")));
        List<Route> test = List.of(defaultRoute(forward("green")));
        assertThrows(SwapException.class, () -> find(live, test));
        Direction d = find(live, test, Map.of(), List.of("blue", "green"));
        assertEquals(Routes.arn("green"), d.newLive());
        assertEquals(Routes.arn("blue"), d.newTest());
        // the order the operator names them in does not matter
        assertEquals(d, find(live, test, Map.of(), List.of("green", "blue")));
    }

    @Test
    void namedPairUsedByBothListenersIsToldApartByIsProduction() {
        List<Route> live = List.of(defaultRoute(forward("blue")), rule(5, forward("green")));
        List<Route> test = List.of(defaultRoute(forward("green")), rule(5, forward("blue")));
        SwapException ambiguous = assertThrows(SwapException.class, () -> find(live, test, Map.of(), List.of("blue", "green")));
        assertTrue(ambiguous.getMessage().contains("IsProduction"), ambiguous.getMessage());
        Direction d = find(live, test, Map.of(Routes.arn("blue"), Map.of("IsProduction", "true"),
                Routes.arn("green"), Map.of("IsProduction", "false")), List.of("blue", "green"));
        assertEquals(Routes.arn("green"), d.newLive());
    }
}
