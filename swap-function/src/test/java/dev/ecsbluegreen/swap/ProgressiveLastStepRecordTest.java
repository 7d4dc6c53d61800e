package dev.ecsbluegreen.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.swap.InMemoryLoadBalancers.Fault;
import dev.ecsbluegreen.swap.InMemoryLoadBalancers.Kind2;
import dev.ecsbluegreen.swap.InMemoryProgressiveRelease.Invocation;
import dev.ecsbluegreen.swap.InMemoryProgressiveRelease.State;
import dev.ecsbluegreen.swap.SwapOutcome.Failed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The job invocation that judges a canary and goes on to the last step, with one of its writes of the load balancer's
 * own tags (the release's progress, the job's record) failing: refused, 5xx, or landed with its answer lost. Whatever
 * the write, the listeners end swapped, at the canary step still to be judged, or back at the routing before the
 * release verified by read-back — never left at the canary weights by a failure that says nothing was changed.
 */
class ProgressiveLastStepRecordTest {
    private static final String CANARY = "{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"canary\", "
            + "\"percent\": 10, \"bakeSeconds\": 0}}";

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (int write = 0; write < 4; write++) {
            for (Kind2 kind : List.of(Kind2.LOST, Kind2.SERVER_ERROR, Kind2.DENIED)) {
                cases.add(Arguments.of(write, kind));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "load balancer tag write {0} of the last step's job: {1}")
    @MethodSource("cases")
    void aFailedTagWriteOfTheLastStepNeverLeavesTheCanaryInPlaceUnreported(int write, Kind2 kind) throws Exception {
        InMemoryProgressiveRelease release = new InMemoryProgressiveRelease(InMemoryProgressiveRelease.reference(3),
                Duration.ZERO);
        State original = release.state();
        State canary = InMemoryProgressiveRelease.atStep(original, 10);
        State swapped = InMemoryProgressiveRelease.swapped(original);
        Invocation first = release.first(CANARY);
        assertTrue(first.continued(), first.text());
        int before = (int) release.elb.count("AddTags " + InMemoryLoadBalancers.LB_ARN);
        release.elb.inject(new Fault("AddTags", before + write, 1, kind, InMemoryLoadBalancers.LB_ARN));

        Invocation last = release.next(CANARY, first);

        State now = release.state();
        String context = write + " " + kind + ": " + last.text() + "\n" + now;
        if (last.outcome() instanceof Failed) {
            assertEquals(original, now, context);
            assertTrue(last.text().contains("reading back confirms") || last.text().contains("RESTORE INCOMPLETE"),
                    context);
        } else if (last.continued()) {
            assertTrue(now.equals(canary) || now.equals(original), context);
        } else {
            assertEquals(swapped, now, context);
        }
    }
}
