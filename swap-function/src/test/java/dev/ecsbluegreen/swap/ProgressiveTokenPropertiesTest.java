package dev.ecsbluegreen.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.swap.InMemoryProgressiveRelease.Invocation;
import dev.ecsbluegreen.swap.InMemoryProgressiveRelease.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Continuation tokens converge: over canary and linear releases (bakes that take one invocation or two, with and
 * without a final bake) on the in-memory load balancer, any token handed out so far — or the first job again —
 * delivered in any order, as a new job or as the same job again. After every delivery the live listener is the
 * original, one of the planned steps or the whole swap; it never moves back (no verdict fails here), never moves more
 * than one step, moves only for a token that agrees with the load balancer's step, and a job delivered twice in a
 * row changes nothing the second time. Whatever came before, following the last token handed out ends the release
 * swapped.
 */
class ProgressiveTokenPropertiesTest {
    /** A strategy and the live routing at each of its steps (the original first, the whole swap last). */
    record Plan(String userParameters, List<Integer> percents) {
        @Override
        public String toString() {
            return userParameters;
        }
    }

    /**
     * @param token which of the tokens handed out so far (modulo their number; 0 is the first job again, no token)
     * @param again deliver the previous job once more, at once, instead
     */
    record Replay(int token, boolean again) {}

    /** A token handed out, and the job that first carried it (null until one did). */
    private static final class Handed {
        final String token;
        String job;

        Handed(String token, String job) {
            this.token = token;
            this.job = job;
        }
    }

    @Property(tries = 120)
    void anyTokenInAnyOrderNeverStepsBackNorTwiceAndTheReleaseEndsSwapped(@ForAll("plans") Plan plan,
                                                                          @ForAll("replays") List<Replay> replays)
            throws Exception {
        InMemoryProgressiveRelease release = new InMemoryProgressiveRelease(InMemoryProgressiveRelease.reference(2),
                Duration.ofSeconds(5));
        State original = release.state();
        List<State> planned = new ArrayList<>(List.of(original));
        plan.percents().forEach(p -> planned.add(InMemoryProgressiveRelease.atStep(original, p)));
        planned.add(InMemoryProgressiveRelease.swapped(original));
        int last = planned.size() - 1;

        Invocation first = release.first(plan.userParameters());
        assertTrue(first.continued(), first.text());
        assertEquals(planned.get(1), release.state());
        List<Handed> handed = new ArrayList<>(List.of(new Handed(null, first.jobId()), new Handed(first.nextToken(), null)));
        int at = 1;
        String previousJob = null;
        String previousToken = null;
        int stepped = 0;
        for (Replay replay : replays) {
            String jobId;
            String token;
            boolean again = replay.again() && previousJob != null;
            if (again) {
                jobId = previousJob;
                token = previousToken;
            } else {
                Handed h = handed.get(replay.token() % handed.size());
                token = h.token;
                jobId = h.token == null ? h.job : release.newJobId();
                if (h.job == null) {
                    h.job = jobId;
                }
            }
            Map<String, String> tagsBefore = release.elb.tagsOf(InMemoryLoadBalancers.LB_ARN);
            Invocation invocation = release.deliver(jobId, plan.userParameters(), token);
            int now = planned.indexOf(release.state());
            String context = (again ? "again " : "") + jobId + " with " + token + ": " + invocation.text();
            assertTrue(now >= 0, "the live listener is not at a planned step: " + release.state() + "; " + context);
            assertFalse(invocation.outcome() instanceof SwapOutcome.Failed, context);
            assertTrue(now >= at, "stepped back without a verdict: " + at + " → " + now + "; " + context);
            assertTrue(now <= at + 1, "stepped twice: " + at + " → " + now + "; " + context);
            if (now > at) {
                assertFalse(again, "a job delivered twice in a row stepped the second time: " + context);
                assertTrue(token != null && step(token) == at, "stepped for a token behind or ahead of the load "
                        + "balancer (at step " + at + "): " + context);
                assertEquals(1, invocation.cutovers().size(), invocation.log());
                stepped++;
            } else {
                assertTrue(invocation.cutovers().isEmpty(), "routes written without a step: " + invocation.log());
            }
            if (again) {
                assertEquals(tagsBefore, release.elb.tagsOf(InMemoryLoadBalancers.LB_ARN),
                        "a job delivered twice in a row changed the release's tags: " + context);
            }
            if (invocation.continued()) {
                handed.add(new Handed(invocation.nextToken(), null));
            }
            at = now;
            previousJob = jobId;
            previousToken = token;
        }
        Statistics.label("steps taken by replays").collect(stepped);

        // CodePipeline goes on with the last token it was handed
        Invocation next = release.deliver(release.newJobId(), plan.userParameters(), handed.get(handed.size() - 1).token);
        for (int n = 0; next.continued(); n++) {
            assertTrue(n < 30, "the release does not end");
            int before = planned.indexOf(release.state());
            next = release.next(plan.userParameters(), next);
            int now = planned.indexOf(release.state());
            assertTrue(now == before || now == before + 1, before + " → " + now + ": " + next.text());
        }
        assertTrue(next.outcome() instanceof SwapOutcome.Succeeded, next.text());
        assertEquals(planned.get(last), release.state(), next.text());
    }

    private static int step(String token) throws Exception {
        return InMemoryProgressiveRelease.MAPPER.readTree(token).path("s").asInt();
    }

    @Provide
    Arbitrary<Plan> plans() {
        return Combinators.combine(Arbitraries.of("canary", "linear"), Arbitraries.of(0, 7), Arbitraries.of(0, 7))
                .as((type, bake, finalBake) -> type.equals("canary")
                        ? new Plan("{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"canary\", \"percent\": 10, "
                                + "\"bakeSeconds\": " + bake + ", \"finalBakeSeconds\": " + finalBake + "}}", List.of(10))
                        : new Plan("{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"linear\", \"stepPercent\": 25, "
                                + "\"stepBakeSeconds\": " + bake + ", \"finalBakeSeconds\": " + finalBake + "}}",
                                List.of(25, 50, 75)));
    }

    @Provide
    Arbitrary<List<Replay>> replays() {
        return Combinators.combine(Arbitraries.integers().between(0, 40), Arbitraries.of(false, false, true))
                .as(Replay::new).list().ofMaxSize(14);
    }
}
