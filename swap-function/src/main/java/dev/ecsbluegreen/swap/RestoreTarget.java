package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.core.routing.TargetGroups;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.swap.execution.Change;
import dev.ecsbluegreen.swap.execution.VerifiedRestore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The state a restore must reach — every route's forwards and the pair's {@code IsProduction} tags as they were
 * before the job — and the read-back that compares the load balancer with it.
 *
 * <p>A delivery that fails knows that state: it read it before its first write ({@link #before}). A later
 * delivery of a job that was interrupted or whose restore was cut short does not; it computes it from the state
 * it reads and the job's record ({@link #reverse}): every route the swap changes is the mirror image of what it
 * was — a forward that now sends green's traffic sent it to blue, swapped weights swap back — except the routes
 * the record lists as left alone.
 */
final class RestoreTarget implements VerifiedRestore.Target {
    private final LoadBalancers elb;
    private final Routing shape;
    private final List<Route> wantedLive;
    private final List<Route> wantedTest;
    private final Direction pair;
    /** target group ARN → the IsProduction value it must have; null: no such tag. */
    private final Map<String, String> wantedTags;

    private RestoreTarget(LoadBalancers elb, Routing shape, List<Route> wantedLive, List<Route> wantedTest,
                          Direction pair, Map<String, String> wantedTags) {
        this.elb = elb;
        this.shape = shape;
        this.wantedLive = wantedLive;
        this.wantedTest = wantedTest;
        this.pair = pair;
        this.wantedTags = wantedTags;
    }

    /** The state read before the first write. */
    static RestoreTarget before(LoadBalancers elb, Routing before, Direction pair) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(pair.newLive(), before.isProduction(pair.newLive()));
        tags.put(pair.newTest(), before.isProduction(pair.newTest()));
        return new RestoreTarget(elb, before, before.liveRoutes(), before.testRoutes(), pair, tags);
    }

    /** The state before {@code job}, computed from {@code now} (see the class comment); needs a reversible record. */
    static RestoreTarget reverse(LoadBalancers elb, Routing now, JobRecord job) {
        Direction pair = job.direction();
        List<Route> live = reversed(now.liveRoutes(), "live", pair.newTest(), pair.newLive(), job);
        List<Route> test = reversed(now.testRoutes(), "test", pair.newLive(), pair.newTest(), job);
        return new RestoreTarget(elb, now, live, test, pair, job.before());
    }

    /** The routes a reverse of the swap would move although the swap leaves them alone: recorded with the job. */
    static java.util.Set<String> unswapped(Routing before, Direction pair) {
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        for (Route route : before.liveRoutes()) {
            if (!reversed(route, pair.newTest(), pair.newLive()).equals(route.forwards())) {
                keys.add(Routing.key("live", route));
            }
        }
        for (Route route : before.testRoutes()) {
            if (!reversed(route, pair.newLive(), pair.newTest()).equals(route.forwards())) {
                keys.add(Routing.key("test", route));
            }
        }
        return keys;
    }

    private static List<Route> reversed(List<Route> routes, String side, String want, String other, JobRecord job) {
        List<Route> result = new ArrayList<>();
        for (Route route : routes) {
            List<Forward> forwards = job.unswapped().contains(Routing.key(side, route)) ? route.forwards()
                    : reversed(route, want, other);
            result.add(new Route(route.listenerArn(), route.ruleArn(), route.priority(), forwards, route.source()));
        }
        return result;
    }

    private static List<Forward> reversed(Route route, String want, String other) {
        return route.forwards().stream().map(f -> SwapPlan.converge(f, want, other)).toList();
    }

    @Override
    public VerifiedRestore.ReadBack readBack(Deadline deadline) {
        Routing now = Routing.read(elb, deadline, shape.live(), shape.test(), wantedTags.keySet(), false);
        List<Change> corrections = new ArrayList<>();
        corrections.addAll(corrections("live " + now.live(), wantedLive, now.liveRoutes()));
        corrections.addAll(corrections("test " + now.test(), wantedTest, now.testRoutes()));
        corrections.addAll(tagCorrections(elb, wantedTags, now));
        return new VerifiedRestore.ReadBack(corrections, now.describe(pair));
    }

    /**
     * The writes that put each target group's {@code IsProduction} tag back to {@code wanted} (a null value: no tag)
     * where {@code now} reads otherwise.
     */
    static List<Change> tagCorrections(LoadBalancers elb, Map<String, String> wanted, Routing now) {
        List<Change> corrections = new ArrayList<>();
        wanted.forEach((arn, value) -> {
            if (!Objects.equals(value, now.isProduction(arn))) {
                corrections.add(Change.correction("IsProduction tag of " + TargetGroups.name(arn), d -> {
                    if (value == null) {
                        elb.within(d).removeTags(arn, List.of(PairFinder.PRODUCTION_TAG));
                    } else {
                        elb.within(d).putTags(arn, Map.of(PairFinder.PRODUCTION_TAG, value));
                    }
                }));
            }
        });
        return corrections;
    }

    private List<Change> corrections(String listener, List<Route> wanted, List<Route> current) {
        List<Change> corrections = new ArrayList<>();
        for (Route want : wanted) {
            String what = listener + " " + want.describe();
            Route found = current.stream().filter(r -> Routing.same(r, want)).findFirst().orElse(null);
            if (found == null) {
                corrections.add(Change.correction(what, d -> {
                    throw new IllegalStateException("it no longer exists, so it cannot be put back");
                }));
            } else if (!found.forwards().equals(want.forwards())) {
                corrections.add(Change.correction(what, d -> elb.within(d).rewrite(found, want.forwards())));
            }
        }
        return corrections;
    }
}
