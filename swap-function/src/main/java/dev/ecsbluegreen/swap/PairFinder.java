package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.core.routing.TargetGroups;
import static dev.ecsbluegreen.swap.FailureType.ConfigurationError;

import dev.ecsbluegreen.core.routing.Forward;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds blue (the target group the live listener sends traffic to) and green (the one the test listener
 * sends traffic to) from the listeners' routing, or refuses when that is not clear-cut.
 *
 * <p>A listener "sends traffic to" a group when, in at least one of its forward actions, that group gets more
 * weight than any other (so a 90/10 canary counts for the 90, a 100/0 left by CodeDeploy for the 100). Groups
 * that both listeners send traffic to (a shared {@code /admin} rule, say) are not part of the pair. When
 * more than one candidate remains on a side, the ones carrying an {@code IsProduction} tag are the pair; the
 * operator can always name the pair with {@code targetGroups}, even a pair one of which is shared.
 */
final class PairFinder {
    static final String PRODUCTION_TAG = "IsProduction";

    private PairFinder() {}

    /**
     * @param tags tags of every target group the listeners reference
     * @param namedPair the operator's {@code targetGroups}, or empty
     * @return green as the new live group, blue as the new test group
     * @throws SwapException ConfigurationError when the pair is ambiguous
     */
    static Direction find(String liveName, List<Route> liveRoutes, String testName, List<Route> testRoutes,
                          Map<String, Map<String, String>> tags, List<String> namedPair) {
        Set<String> live = dominantTargets(liveRoutes);
        Set<String> test = dominantTargets(testRoutes);
        if (live.isEmpty()) {
            throw new SwapException(ConfigurationError, "the live listener " + liveName + " forwards traffic to no "
                    + "target group (only redirects or fixed responses): is it the right listener? Name it with "
                    + "\"liveListener\" in UserParameters");
        }
        if (test.isEmpty()) {
            throw new SwapException(ConfigurationError, "the test listener " + testName + " forwards traffic to no "
                    + "target group: is it the right listener? Name it with \"testListener\" in UserParameters");
        }
        if (!namedPair.isEmpty()) {
            return named(resolve(namedPair, liveRoutes, testRoutes), live, test, tags, liveName, testName);
        }
        Set<String> blue = new LinkedHashSet<>(live);
        blue.removeAll(test);
        Set<String> green = new LinkedHashSet<>(test);
        green.removeAll(live);
        if (blue.size() > 1 || green.size() > 1) {
            Set<String> tagged = tags.entrySet().stream()
                    .filter(e -> e.getValue().containsKey(PRODUCTION_TAG))
                    .map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            narrow(blue, tagged);
            narrow(green, tagged);
        }
        if (blue.size() == 1 && green.size() == 1) {
            return new Direction(green.iterator().next(), blue.iterator().next());
        }
        if (live.equals(test)) {
            throw new SwapException(ConfigurationError, "both listeners send traffic to the same target group "
                    + names(live) + " (live " + liveName + " and test " + testName + "), so there is nothing to swap. "
                    + "This is what an interrupted swap leaves behind: point the test listener at the other target "
                    + "group, then run the pipeline stage again");
        }
        throw new SwapException(ConfigurationError, "cannot tell which two target groups to swap: the live listener "
                + liveName + " sends traffic to " + names(live) + " and the test listener " + testName + " to "
                + names(test) + ". Name the pair in UserParameters, e.g. \"targetGroups\": [\"app-blue\", \"app-green\"]");
    }

    /**
     * The operator named the pair: blue is the one the live listener sends traffic to and green the one the test
     * listener does, even when one of them is also used by the other listener (a shared {@code /beta} rule, say).
     * When each listener sends traffic to both, the one tagged {@code IsProduction=true} is blue.
     */
    private static Direction named(List<String> pair, Set<String> live, Set<String> test,
                                   Map<String, Map<String, String>> tags, String liveName, String testName) {
        String a = pair.get(0);
        String b = pair.get(1);
        boolean aBlue = live.contains(a) && test.contains(b);
        boolean bBlue = live.contains(b) && test.contains(a);
        if (aBlue && bBlue) {
            boolean aProduction = "true".equals(tags.getOrDefault(a, Map.of()).get(PRODUCTION_TAG));
            boolean bProduction = "true".equals(tags.getOrDefault(b, Map.of()).get(PRODUCTION_TAG));
            aBlue = aProduction && !bProduction;
            bBlue = bProduction && !aProduction;
            if (!aBlue && !bBlue) {
                throw new SwapException(ConfigurationError, "both listeners send traffic to both named target groups "
                        + names(Set.of(a, b)) + " and neither alone is tagged IsProduction=true, so which one is live "
                        + "cannot be told: point the test listener " + testName + " at green only");
            }
        }
        if (aBlue) {
            return new Direction(b, a);
        }
        if (bBlue) {
            return new Direction(a, b);
        }
        throw new SwapException(ConfigurationError, "targetGroups " + names(new LinkedHashSet<>(pair)) + " in "
                + "UserParameters are not a live/test pair: the live listener " + liveName + " sends traffic to "
                + names(live) + " and the test listener " + testName + " to " + names(test) + "; one of the pair must "
                + "get live traffic and the other test traffic");
    }

    /** Every group that gets the most weight in at least one forward of {@code routes}. */
    static Set<String> dominantTargets(List<Route> routes) {
        Set<String> result = new LinkedHashSet<>();
        for (Route route : routes) {
            for (Forward forward : route.forwards()) {
                forward.dominantTarget().ifPresent(result::add);
            }
        }
        return result;
    }

    private static List<String> resolve(List<String> named, List<Route> liveRoutes, List<Route> testRoutes) {
        Set<String> referenced = new LinkedHashSet<>();
        for (List<Route> routes : List.of(liveRoutes, testRoutes)) {
            routes.forEach(r -> r.forwards().forEach(f -> f.targets().forEach(t -> referenced.add(t.targetGroupArn()))));
        }
        List<String> pair = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : named) {
            referenced.stream().filter(arn -> TargetGroups.matches(name, arn)).findFirst()
                    .ifPresentOrElse(pair::add, () -> missing.add(name));
        }
        if (!missing.isEmpty()) {
            throw new SwapException(ConfigurationError, "targetGroups " + missing + " in UserParameters: neither listener "
                    + "forwards to it; the listeners forward to " + names(referenced));
        }
        return pair;
    }

    private static void narrow(Set<String> candidates, Set<String> tagged) {
        if (candidates.size() > 1 && candidates.stream().anyMatch(tagged::contains)) {
            candidates.retainAll(tagged);
        }
    }

    static String names(Set<String> arns) {
        return arns.stream().map(TargetGroups::name).collect(Collectors.joining(", ", "[", "]"));
    }
}
