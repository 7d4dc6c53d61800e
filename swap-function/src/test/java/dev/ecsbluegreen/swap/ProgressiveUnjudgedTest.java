package dev.ecsbluegreen.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.swap.InMemoryLoadBalancers.Fault;
import dev.ecsbluegreen.swap.InMemoryLoadBalancers.Kind2;
import dev.ecsbluegreen.swap.InMemoryProgressiveRelease.Invocation;
import dev.ecsbluegreen.swap.InMemoryProgressiveRelease.State;
import dev.ecsbluegreen.swap.SwapOutcome.Failed;
import dev.ecsbluegreen.swap.SwapOutcome.Succeeded;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An invocation so slow that no time is left to judge green (the restore's reserve kept) is no verdict: the step
 * stays in place and the next job judges it. Only when green goes unjudged {@link ProgressiveSwap#UNJUDGED_LIMIT}
 * past its bake is the release put back, saying to raise the function's timeout.
 */
class ProgressiveUnjudgedTest {
    private static final String CANARY = "{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"canary\", "
            + "\"percent\": 10, \"bakeSeconds\": 0}}";

    @Test
    void aSlowInvocationLeavesTheStepInPlaceAndTheNextOneJudgesIt() throws Exception {
        InMemoryProgressiveRelease release = new InMemoryProgressiveRelease(InMemoryProgressiveRelease.reference(3),
                Duration.ZERO);
        State original = release.state();
        Invocation first = release.first(CANARY);
        assertTrue(first.continued(), first.text());
        State step = release.state();
        assertEquals(InMemoryProgressiveRelease.atStep(original, 10), step);

        // the next invocation's first read takes 15 s: twice that for each call of a restore leaves nothing to judge with
        release.elb.inject(new Fault("DescribeLoadBalancers", (int) release.elb.count("DescribeLoadBalancers"), 1,
                Kind2.SLOW));
        Invocation slow = release.next(CANARY, first);
        assertTrue(slow.continued(), slow.text());
        assertTrue(slow.text().contains("not judged in this invocation"), slow.text());
        assertEquals(step, release.state(), "the step stays in place: no verdict, no step back");

        Invocation judged = release.next(CANARY, slow);
        assertInstanceOf(Succeeded.class, judged.outcome(), judged.text());
        assertEquals(InMemoryProgressiveRelease.swapped(original), release.state());
    }

    @Test
    void greenUnjudgedForTenMinutesPastItsBakeIsPutBackSayingToRaiseTheTimeout() throws Exception {
        InMemoryProgressiveRelease release = new InMemoryProgressiveRelease(InMemoryProgressiveRelease.reference(3),
                Duration.ZERO);
        State original = release.state();
        Invocation last = release.first(CANARY);
        release.elb.inject(Fault.onEvery("DescribeLoadBalancers", null, Kind2.SLOW));
        int invocations = 0;
        while (last.continued() && invocations++ < 100) {
            last = release.next(CANARY, last);
        }
        Failed failed = assertInstanceOf(Failed.class, last.outcome(), last.text());
        assertTrue(invocations > 30, "about 15 s an invocation for 10 minutes, not " + invocations);
        assertTrue(failed.message().contains("could not be judged") && failed.message().contains("raise the function's "
                + "timeout"), failed.message());
        assertTrue(failed.message().contains("reading back confirms"), failed.message());
        assertEquals(original, release.state());
    }
}
