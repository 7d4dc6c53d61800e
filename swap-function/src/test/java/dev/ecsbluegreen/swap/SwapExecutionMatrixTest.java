package dev.ecsbluegreen.swap;

import static dev.ecsbluegreen.swap.SwapExecutionPropertiesTest.BLUE;
import static dev.ecsbluegreen.swap.SwapExecutionPropertiesTest.GREEN;
import static dev.ecsbluegreen.swap.SwapExecutionPropertiesTest.state;
import static dev.ecsbluegreen.swap.SwapExecutionPropertiesTest.swapped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.swap.InMemoryLoadBalancers.Fault;
import dev.ecsbluegreen.swap.InMemoryLoadBalancers.Kind2;
import dev.ecsbluegreen.swap.SwapExecutionPropertiesTest.State;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The matrix on the in-memory load balancer, where 15 s of latency costs no wall clock: each write step of a
 * reference-layout swap × {answer lost, sticky 5xx, refused, 15 s per call} on every call of that step (the
 * restore's included) × 3 deliveries. After every delivery the listeners are as before or fully swapped, tags agree,
 * a later delivery changes nothing, every report comes before the deadline and exactly one is accepted.
 * ({@code SwapFaultMatrixIT} runs the first three kinds on the wire against moto.)
 */
class SwapExecutionMatrixTest {
    private static final String LIVE_RULE = InMemoryLoadBalancers.LIVE_ARN.replace(":listener/", ":listener-rule/") + "/r1";
    private static final String TEST_RULE = InMemoryLoadBalancers.TEST_ARN.replace(":listener/", ":listener-rule/") + "/r1";

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        List<Object[]> steps = List.of(
                new Object[] {"AddTags", GREEN}, new Object[] {"AddTags", BLUE},
                new Object[] {"ModifyListener", InMemoryLoadBalancers.LIVE_ARN}, new Object[] {"ModifyRule", LIVE_RULE},
                new Object[] {"ModifyListener", InMemoryLoadBalancers.TEST_ARN}, new Object[] {"ModifyRule", TEST_RULE});
        for (Object[] step : steps) {
            for (Kind2 kind : List.of(Kind2.LOST, Kind2.SERVER_ERROR, Kind2.DENIED, Kind2.SLOW)) {
                cases.add(Arguments.of(step[0], step[1], kind));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void everyDeliveryLeavesTheListenersAsBeforeOrSwapped(String operation, String resource, Kind2 kind) throws Exception {
        InMemoryLoadBalancers elb = new InMemoryLoadBalancers()
                .route(true, "default", List.of(Routes.forward("app-blue")))
                .route(true, "1", List.of(Routes.forward("app-blue")))
                .route(false, "default", List.of(Routes.forward("app-green")))
                .route(false, "1", List.of(Routes.forward("app-green")))
                .tag(BLUE, "IsProduction", "true").tag(GREEN, "IsProduction", "false");
        State original = state(elb);
        State swapped = swapped(original);
        elb.inject(Fault.onEvery(operation, resource, kind));
        InMemoryRelease release = new InMemoryRelease(elb, 60_000);
        State afterFirst = null;
        for (int delivery = 1; delivery <= 3; delivery++) {
            InMemoryRelease.Delivery d = release.deliver("job-1", "{\"ElbName\": \"app-alb\"}");
            State now = state(elb);
            String context = operation + " " + resource + " " + kind + " delivery " + delivery + ": " + d.text();
            assertTrue(now.equals(original) || now.equals(swapped), "half-switched after " + context);
            assertEquals(now.equals(swapped), d.succeeded() || (delivery > 1 && afterFirst.equals(swapped)), context);
            if (delivery == 1) {
                afterFirst = now;
            } else {
                assertEquals(afterFirst, now, "a later delivery changed what the first left: " + context);
            }
        }
        release.accepted("job-1");
        assertTrue(release.reports.stream().allMatch(InMemoryRelease.Report::beforeDeadline), release.reports.toString());
        assertEquals(afterFirst.equals(swapped), release.accepted("job-1").succeeded(), release.reports.toString());
    }
}
