package dev.ecsbluegreen.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.TargetWeight;
import dev.ecsbluegreen.swap.InMemoryLoadBalancers.Fault;
import dev.ecsbluegreen.swap.InMemoryLoadBalancers.Kind2;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

/**
 * The swap's promise over generated listener layouts and fault schedules, against a load balancer in memory that
 * applies writes exactly as ELB does: after every delivery of a job the routing is the original or the full swap
 * (or the report says RESTORE INCOMPLETE and shows the routing as it is), tags agree with the routing, a later
 * delivery of a finished job changes nothing, exactly one report is accepted, every report is sent before the
 * deadline, and the accepted report agrees with the state.
 */
class SwapExecutionPropertiesTest {
    static final String BLUE = Routes.arn("app-blue");
    static final String GREEN = Routes.arn("app-green");
    static final String ADMIN = Routes.arn("app-admin");
    static final Direction SWAP = new Direction(GREEN, BLUE);

    /** A generated load balancer: each listener's routes (the first is the default action), the pair's tags. */
    record Layout(List<List<Forward>> live, List<List<Forward>> test, String blueTag, String greenTag, boolean named) {
        @Override
        public String toString() {
            return "live " + live + " test " + test + " blue=" + blueTag + " green=" + greenTag + " named=" + named;
        }
    }

    /** The state a test compares: both listeners' forwards and the pair's IsProduction values. */
    record State(List<List<Forward>> live, List<List<Forward>> test, String blueTag, String greenTag) {}

    @Property(tries = 250)
    void everyDeliveryEndsOriginalOrSwappedAndReportsTheTruth(@ForAll("layouts") Layout layout,
                                                             @ForAll("faults") List<Fault> faults,
                                                             @ForAll @IntRange(min = 1, max = 3) int deliveries)
            throws Exception {
        InMemoryRelease release = new InMemoryRelease(build(layout), 60_000);
        State original = state(release.elb);
        State swapped = swapped(original);
        faults.forEach(release.elb::inject);
        String params = layout.named() ? "{\"ElbName\": \"app-alb\", \"targetGroups\": [\"app-blue\", \"app-green\"]}"
                : "{\"ElbName\": \"app-alb\"}";
        boolean sticky = faults.stream().anyMatch(f -> f.times() > 1);

        State afterFirst = null;
        boolean firstFinished = false;
        State previous = original;
        for (int i = 0; i < deliveries; i++) {
            InMemoryRelease.Delivery d = release.deliver("job-1", params);
            State now = state(release.elb);
            String text = d.text();
            String outcome;
            if (d.succeeded()) {
                assertEquals(swapped, now, "reported success: " + text);
                outcome = "swapped";
            } else if (text.contains("RESTORE INCOMPLETE")) {
                assertTrue(sticky, "a restore that ran out of retries needs a fault that lasts: " + faults + "\n" + text);
                String described = release.elb.snapshot(Set.of(BLUE, GREEN)).describe(SWAP);
                assertTrue(text.contains(described) || text.contains("could not be read back"),
                        "the report must show the routing as it is: " + described + "\n" + text);
                outcome = "incomplete";
            } else if (text.contains("Nothing was changed") || text.contains("does not swap")) {
                assertEquals(previous, now, "reported that nothing was changed: " + text);
                outcome = "unchanged";
            } else {
                assertEquals(original, now, "reported failure without RESTORE INCOMPLETE: " + text);
                outcome = "put back";
            }
            previous = now;
            Statistics.label("delivery " + (i + 1)).collect(outcome);
            if (i == 0) {
                afterFirst = now;
                // a first delivery that failed before it could even record the job leaves nothing a duplicate
                // could recognise it by: the duplicate then acts as a first delivery (said in docs/swap-function.md)
                firstFinished = !outcome.equals("incomplete")
                        && "job-1".equals(release.elb.tagsOf(InMemoryLoadBalancers.LB_ARN).get(JobRecord.TAG_JOB));
            } else if (firstFinished) {
                assertEquals(afterFirst, now, "a later delivery of a finished job changed the state: " + text);
            }
        }
        release.accepted("job-1");
        assertTrue(release.reports.stream().allMatch(InMemoryRelease.Report::beforeDeadline), "late report: " + release.reports);
        InMemoryRelease.Report report = release.accepted("job-1");
        if (report.succeeded()) {
            assertEquals(swapped, afterFirst);
        } else if (!report.text().contains("RESTORE INCOMPLETE")) {
            assertEquals(original, afterFirst, report.text());
        }
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Layout> layouts() {
        return Arbitraries.of(true, false).flatMap(named -> Combinators.combine(
                liveForward(named).list().ofMaxSize(100),
                testForward(named).list().ofMaxSize(100),
                Arbitraries.of("true", null).injectNull(0.0),
                Arbitraries.of("false", null).injectNull(0.0),
                liveDefault(), testDefault()
        ).as((liveRules, testRules, blueTag, greenTag, liveDefault, testDefault) -> {
            List<List<Forward>> live = new ArrayList<>();
            live.add(liveDefault);
            live.addAll(liveRules);
            List<List<Forward>> test = new ArrayList<>();
            test.add(testDefault);
            test.addAll(testRules);
            return new Layout(live, test, blueTag, greenTag, named);
        }));
    }

    private static Arbitrary<List<Forward>> liveDefault() {
        return Arbitraries.oneOf(Arbitraries.just(List.of(Routes.forward("app-blue"))),
                weights().map(w -> List.of(Routes.weighted("app-blue", w[0], "app-green", w[1]))));
    }

    private static Arbitrary<List<Forward>> testDefault() {
        return Arbitraries.oneOf(Arbitraries.just(List.of(Routes.forward("app-green"))),
                weights().map(w -> List.of(Routes.weighted("app-green", w[0], "app-blue", w[1]))));
    }

    /** A larger weight first: the dominant target group of a weighted forward. */
    private static Arbitrary<int[]> weights() {
        return Combinators.combine(Arbitraries.integers().between(1, 999), Arbitraries.integers().between(0, 998))
                .as((a, b) -> a > b ? new int[] {a, b} : new int[] {b + 1, a - 1 < 0 ? 0 : Math.min(a, b)});
    }

    private static Arbitrary<List<Forward>> liveForward(boolean named) {
        List<Arbitrary<List<Forward>>> kinds = new ArrayList<>(List.of(
                liveDefault(),
                Arbitraries.just(List.of(Routes.forward("app-admin"))),
                weights().map(w -> List.of(Routes.weighted("app-blue", w[0], "app-admin", w[1]))),
                Arbitraries.just(List.<Forward>of())));
        if (named) {
            kinds.add(Arbitraries.just(List.of(Routes.forward("app-green"))));
        }
        return Arbitraries.oneOf(kinds);
    }

    private static Arbitrary<List<Forward>> testForward(boolean named) {
        List<Arbitrary<List<Forward>>> kinds = new ArrayList<>(List.of(
                testDefault(),
                Arbitraries.just(List.of(Routes.forward("app-admin"))),
                Arbitraries.just(List.<Forward>of())));
        if (named) {
            kinds.add(Arbitraries.just(List.of(Routes.forward("app-blue"))));
        }
        return Arbitraries.oneOf(kinds);
    }

    @Provide
    Arbitrary<List<Fault>> faults() {
        Arbitrary<Fault> fault = Combinators.combine(
                Arbitraries.of("ModifyListener", "ModifyRule", "AddTags", "RemoveTags", "DescribeRules",
                        "DescribeTags", "DescribeListeners", "DescribeTargetHealth", "DescribeLoadBalancers"),
                Arbitraries.integers().between(0, 12),
                Arbitraries.of(1, 2, Integer.MAX_VALUE),
                Arbitraries.of(Kind2.class)).as(Fault::new);
        return fault.list().ofMaxSize(3);
    }

    // ------------------------------------------------------------------ the model

    static InMemoryLoadBalancers build(Layout layout) {
        InMemoryLoadBalancers elb = new InMemoryLoadBalancers();
        for (int i = 0; i < layout.live().size(); i++) {
            elb.route(true, i == 0 ? "default" : String.valueOf(i), layout.live().get(i));
        }
        for (int i = 0; i < layout.test().size(); i++) {
            elb.route(false, i == 0 ? "default" : String.valueOf(i), layout.test().get(i));
        }
        if (layout.blueTag() != null) {
            elb.tag(BLUE, "IsProduction", layout.blueTag());
        }
        if (layout.greenTag() != null) {
            elb.tag(GREEN, "IsProduction", layout.greenTag());
        }
        elb.tag(ADMIN, "team", "admin");
        return elb;
    }

    static State state(InMemoryLoadBalancers elb) {
        return new State(elb.forwards(true), elb.forwards(false), elb.tagsOf(BLUE).get("IsProduction"),
                elb.tagsOf(GREEN).get("IsProduction"));
    }

    /**
     * The full swap, as the README states it: on the live listener every forward whose traffic goes to blue more
     * than to green sends it to green instead (a single target replaced, weights swapped); the mirror image on
     * the test listener; IsProduction true on green, false on blue.
     */
    static State swapped(State s) {
        return new State(s.live().stream().map(fs -> move(fs, BLUE, GREEN)).toList(),
                s.test().stream().map(fs -> move(fs, GREEN, BLUE)).toList(), "false", "true");
    }

    private static List<Forward> move(List<Forward> forwards, String from, String to) {
        List<Forward> result = new ArrayList<>();
        for (Forward f : forwards) {
            TargetWeight source = f.target(from).orElse(null);
            TargetWeight target = f.target(to).orElse(null);
            if (source == null || (target != null && target.weight() >= source.weight())) {
                result.add(f);
                continue;
            }
            List<TargetWeight> targets = new ArrayList<>();
            for (TargetWeight t : f.targets()) {
                if (target == null) {
                    targets.add(Objects.equals(t.targetGroupArn(), from) ? t.withArn(to) : t);
                } else if (t.targetGroupArn().equals(from)) {
                    targets.add(t.withWeight(target.weight()));
                } else if (t.targetGroupArn().equals(to)) {
                    targets.add(t.withWeight(source.weight()));
                } else {
                    targets.add(t);
                }
            }
            result.add(f.withTargets(targets));
        }
        return result;
    }
}
