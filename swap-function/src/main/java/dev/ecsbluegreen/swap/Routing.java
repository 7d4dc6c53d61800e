package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.core.routing.TargetGroups;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.swap.LoadBalancers.Listener;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Both listeners' routes and the tags of the target groups they concern, as read at one moment; and the wording
 * with which reports describe them.
 *
 * @param tags tags by resource ARN (the target groups asked for; others may be absent)
 */
record Routing(Listener live, Listener test, List<Route> liveRoutes, List<Route> testRoutes,
               Map<String, Map<String, String>> tags) {
    private static final ThreadFactory READERS = Thread.ofPlatform().name("elb-read-", 1).daemon().factory();

    Routing {
        liveRoutes = List.copyOf(liveRoutes);
        testRoutes = List.copyOf(testRoutes);
        tags = Map.copyOf(tags);
    }

    /**
     * Reads both listeners at once, then the tags of {@code tagged} (more may be added: every target group the
     * routes forward to, when {@code withForwarded}); every call bounded by {@code deadline}.
     */
    static Routing read(LoadBalancers elb, Deadline deadline, Listener live, Listener test, Collection<String> tagged,
                        boolean withForwarded) {
        LoadBalancers bounded = elb.within(deadline);
        FutureTask<List<Route>> testRead = new FutureTask<>(() -> bounded.routes(test));
        READERS.newThread(testRead).start();
        List<Route> liveRoutes;
        List<Route> testRoutes;
        try {
            liveRoutes = bounded.routes(live);
        } finally {
            testRoutes = await(testRead, deadline);
        }
        java.util.Set<String> arns = new java.util.LinkedHashSet<>(tagged);
        if (withForwarded) {
            for (List<Route> routes : List.of(liveRoutes, testRoutes)) {
                routes.forEach(r -> r.forwards().forEach(f -> f.targets().forEach(t -> arns.add(t.targetGroupArn()))));
            }
        }
        return new Routing(live, test, liveRoutes, testRoutes, bounded.tags(arns));
    }

    private static List<Route> await(FutureTask<List<Route>> read, Deadline deadline) {
        try {
            return read.get(deadline.remaining().toNanos() + TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            read.cancel(true);
            throw new IllegalStateException("reading the test listener got no answer before the deadline");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the load balancer", e);
        }
    }

    /** The {@code IsProduction} tag of a target group; null when it has none. */
    String isProduction(String targetGroupArn) {
        return tags.getOrDefault(targetGroupArn, Map.of()).get(PairFinder.PRODUCTION_TAG);
    }

    /** How a route is named in a job's record: {@code live:default}, {@code test:12}. */
    static String key(String side, Route route) {
        return side + ":" + (route.isDefault() ? "default" : route.priority());
    }

    /** Whether two reads of a route are the same route (the default actions, or one rule). */
    static boolean same(Route a, Route b) {
        return a.listenerArn().equals(b.listenerArn()) && java.util.Objects.equals(a.ruleArn(), b.ruleArn());
    }

    /** "live :443 [default action → app-blue, …]; test :8443 [...]". */
    String describe() {
        return "live " + describe(live, liveRoutes) + "; test " + describe(test, testRoutes);
    }

    /** The same, with the {@code IsProduction} tags of {@code pair}. */
    String describe(Direction pair) {
        return describe() + "; IsProduction " + TargetGroups.name(pair.newLive()) + "=" + tagText(pair.newLive()) + ", "
                + TargetGroups.name(pair.newTest()) + "=" + tagText(pair.newTest());
    }

    private String tagText(String arn) {
        String value = isProduction(arn);
        return value == null ? "(none)" : value;
    }

    /**
     * ":443 [default action → app-blue, rule priority 1 → app-blue 90/app-green 10]"; consecutive rules that
     * forward alike are one entry ("rule priorities 2-100 → app-blue"), so that a report about a listener with a
     * hundred rules still fits in what CodePipeline shows.
     */
    static String describe(Listener listener, List<Route> routes) {
        List<String> parts = new java.util.ArrayList<>();
        List<Route> forwarding = routes.stream().filter(r -> !r.forwards().isEmpty()).toList();
        for (int i = 0; i < forwarding.size(); ) {
            Route first = forwarding.get(i);
            String to = targets(first.forwards());
            int j = i + 1;
            while (!first.isDefault() && j < forwarding.size() && !forwarding.get(j).isDefault()
                    && targets(forwarding.get(j).forwards()).equals(to)) {
                j++;
            }
            Route last = forwarding.get(j - 1);
            parts.add((j - i == 1 ? first.describe() : "rule priorities " + first.priority() + "-" + last.priority())
                    + " → " + to);
            i = j;
        }
        return listener + " " + (parts.isEmpty() ? "forwards nowhere" : "[" + String.join(", ", parts) + "]");
    }

    static String targets(List<Forward> forwards) {
        return forwards.stream()
                .map(f -> f.targets().size() == 1 ? TargetGroups.name(f.targets().get(0).targetGroupArn())
                        : f.targets().stream().map(t -> TargetGroups.name(t.targetGroupArn()) + " " + t.weight())
                                .collect(Collectors.joining("/")))
                .collect(Collectors.joining(" + "));
    }
}
