package dev.ecsbluegreen.swap;

import static dev.ecsbluegreen.swap.InMemoryProgressiveRelease.BLUE;
import static dev.ecsbluegreen.swap.InMemoryProgressiveRelease.GREEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecsbluegreen.swap.InMemoryLoadBalancers.Fault;
import dev.ecsbluegreen.swap.InMemoryLoadBalancers.Kind2;
import dev.ecsbluegreen.swap.InMemoryProgressiveRelease.Invocation;
import dev.ecsbluegreen.swap.InMemoryProgressiveRelease.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A linear release (25 % a step, so three weighted steps and the whole swap) on the in-memory load balancer, with
 * one route's or target group's write failing at one step: every write of step 1, step 2 and the last step × {answer
 * lost after it landed, sticky 5xx, refused, an {@code Error} after it landed, 15 s per call} × {that write once, every
 * write from it on (the restore's too)}. After every invocation the listeners are at the original routing or at the
 * planned step; a failure is reported with a read-back that confirms the original routing (or, only when the fault
 * lasts, RESTORE INCOMPLETE and the routing as read); every step's routing change is logged once with its span; every
 * restore is counted for the metrics; and a replay of the last token afterwards changes nothing.
 * ({@code ProgressiveSwapIT} runs a refusal and a lost answer on the wire against moto.)
 */
class ProgressiveExecutionMatrixTest {
    private static final String LINEAR = "{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"linear\", "
            + "\"stepPercent\": 25, \"stepBakeSeconds\": 0}}";
    private static final int RULES = 3;
    private static final int STEPS = 4;

    private static String liveRule(int n) {
        return InMemoryLoadBalancers.LIVE_ARN.replace(":listener/", ":listener-rule/") + "/r" + n;
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        List<Object[]> live = new ArrayList<>();
        live.add(new Object[] {"ModifyListener", InMemoryLoadBalancers.LIVE_ARN});
        for (int n = 1; n <= RULES; n++) {
            live.add(new Object[] {"ModifyRule", liveRule(n)});
        }
        List<Object[]> lastStepOnly = List.of(
                new Object[] {"ModifyListener", InMemoryLoadBalancers.TEST_ARN},
                new Object[] {"ModifyRule", InMemoryLoadBalancers.TEST_ARN.replace(":listener/", ":listener-rule/") + "/r1"},
                new Object[] {"AddTags", GREEN}, new Object[] {"AddTags", BLUE});
        for (int step : List.of(1, 2, STEPS)) {
            List<Object[]> writes = new ArrayList<>(live);
            if (step == STEPS) {
                writes.addAll(lastStepOnly);
            }
            for (Object[] write : writes) {
                // a live route is written once a step; the test listener and the tags only by the last
                int before = write[0].equals("AddTags") || ((String) write[1]).contains("0467ef3c8400ae65") ? 0 : step - 1;
                for (Kind2 kind : Kind2.values()) {
                    for (boolean lasts : List.of(false, true)) {
                        cases.add(Arguments.of(step, write[0], write[1], before, kind, lasts));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "step {0}: {1} {2} {4} lasting={5}")
    @MethodSource("cases")
    void aWriteFailingAtAStepEndsAtTheOriginalRoutingVerifiedOrAtThePlannedStep(int step, String operation,
                                                                                String resource, int before,
                                                                                Kind2 kind, boolean lasts)
            throws Exception {
        InMemoryProgressiveRelease release = new InMemoryProgressiveRelease(InMemoryProgressiveRelease.reference(RULES),
                Duration.ZERO);
        State original = release.state();
        List<State> planned = List.of(original, InMemoryProgressiveRelease.atStep(original, 25),
                InMemoryProgressiveRelease.atStep(original, 50), InMemoryProgressiveRelease.atStep(original, 75),
                InMemoryProgressiveRelease.swapped(original));
        release.elb.inject(new Fault(operation, before, lasts ? Integer.MAX_VALUE : 1, kind, resource));

        Invocation last = release.first(LINEAR);
        Invocation continued = null;
        for (int n = 1; ; n++) {
            State now = release.state();
            String context = "invocation " + n + ": " + last.text();
            if (last.continued()) {
                assertEquals(planned.get(n), now, "a continued step must be in place, " + context);
                assertCutover(last, n, "step " + n + " of 4", RULES + 1);
                assertEquals(0, last.facts().restored.get() + last.facts().restoreIncomplete.get(), context);
                continued = last;
                last = release.next(LINEAR, last);
                assertTrue(n < STEPS, "the release does not end");
                continue;
            }
            if (last.outcome() instanceof SwapOutcome.Succeeded) {
                assertEquals(planned.get(STEPS), now, context);
                assertEquals(STEPS, n, context);
                assertCutover(last, n, "step 4 of 4 (green 100 %, the whole swap)", RULES + 1 + 2);
            } else if (last.text().contains("RESTORE INCOMPLETE")) {
                assertTrue(lasts, "a restore that does not end verified needs a fault that lasts: " + context);
                assertEquals(1, last.facts().restoreIncomplete.get(), context);
                assertEquals(0, last.facts().restored.get(), context);
            } else {
                assertEquals(original, now, "a failure without RESTORE INCOMPLETE leaves the original routing, " + context);
                assertTrue(last.text().contains("reading back confirms"), context);
                assertTrue(last.text().contains("step " + step + " of 4"), "the report names the step: " + context);
                assertEquals(1, last.facts().restored.get(), "the verified restore is counted once, " + context);
                assertEquals(0, last.facts().restoreIncomplete.get(), context);
                assertEquals(step, n, "it fails at the step whose write fails, " + context);
            }
            break;
        }
        if (continued != null && !(last.outcome() instanceof SwapOutcome.Succeeded)) {
            // CodePipeline redelivers the last continuation, or an operator replays it: it never steps on again
            State after = release.state();
            release.elb.clearFaults();
            Invocation replay = release.deliver(release.newJobId(), LINEAR, continued.nextToken());
            assertTrue(replay.outcome() instanceof SwapOutcome.Failed, replay.text());
            State now = release.state();
            assertTrue(now.equals(after) || now.equals(original), "a replay after the failure moved traffic: " + replay.text());
            assertTrue(replay.cutovers().isEmpty(), replay.log());
        }
    }

    /** One {@code routing changed} line: the step, its route writes and a span that was measured. */
    private static void assertCutover(Invocation invocation, int stepIndex, String step, int routeWrites) {
        List<JsonNode> lines = invocation.cutovers();
        assertEquals(1, lines.size(), "one routing change per step: " + invocation.log());
        JsonNode line = lines.get(0);
        assertTrue(line.path("step").asText().startsWith(step), line.toString());
        assertEquals(routeWrites, line.path("routeWrites").asInt(), line.toString());
        assertTrue(line.path("cutoverMillis").isNumber() && line.path("cutoverMillis").asDouble() >= 0, line.toString());
        assertEquals(1, invocation.facts().cutoverMillis().size(), "the span is kept for the metric");
        if (stepIndex < STEPS) {
            assertEquals(stepIndex, line.path("stepIndex").asInt(), line.toString());
            assertEquals(25 * stepIndex, line.path("percent").asInt(), line.toString());
        }
    }

    @Test
    void aReleaseWithoutFaultsLogsEachStepsRoutingChangeAndCountsNoRestore() throws Exception {
        InMemoryProgressiveRelease release = new InMemoryProgressiveRelease(InMemoryProgressiveRelease.reference(RULES),
                Duration.ZERO);
        State original = release.state();
        Invocation last = release.first(LINEAR);
        List<String> steps = new ArrayList<>();
        while (true) {
            last.cutovers().forEach(line -> steps.add(line.path("step").asText() + " × " + line.path("routeWrites").asInt()));
            assertEquals(0, last.facts().restored.get() + last.facts().restoreIncomplete.get());
            if (!last.continued()) {
                break;
            }
            last = release.next(LINEAR, last);
        }
        assertTrue(last.outcome() instanceof SwapOutcome.Succeeded, last.text());
        assertEquals(InMemoryProgressiveRelease.swapped(original), release.state());
        assertEquals(List.of("step 1 of 4 (green 25 %) × 4", "step 2 of 4 (green 50 %) × 4", "step 3 of 4 (green 75 %) × 4",
                "step 4 of 4 (green 100 %, the whole swap) × 6"), steps);
        assertNull(last.nextToken());
    }

    @Test
    void anAbortRestoresVerifiedAndCountsTheRestoreOnce() throws Exception {
        InMemoryProgressiveRelease release = new InMemoryProgressiveRelease(InMemoryProgressiveRelease.reference(RULES),
                Duration.ZERO);
        State original = release.state();
        Invocation step1 = release.first(LINEAR);
        release.elb.tag(InMemoryLoadBalancers.LB_ARN, ProgressiveSwap.TAG_COMMAND, "abort");
        Invocation aborted = release.next(LINEAR, step1);
        assertTrue(aborted.text().contains("aborted by the operator"), aborted.text());
        assertEquals(original, release.state());
        assertEquals(1, aborted.facts().restored.get());
        assertTrue(aborted.cutovers().isEmpty(), "a restore is not a step's routing change");
    }
}
