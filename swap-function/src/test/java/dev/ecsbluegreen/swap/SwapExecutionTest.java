package dev.ecsbluegreen.swap;

import static dev.ecsbluegreen.swap.SwapExecutionPropertiesTest.BLUE;
import static dev.ecsbluegreen.swap.SwapExecutionPropertiesTest.GREEN;
import static dev.ecsbluegreen.swap.SwapExecutionPropertiesTest.state;
import static dev.ecsbluegreen.swap.SwapExecutionPropertiesTest.swapped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.swap.InMemoryLoadBalancers.Fault;
import dev.ecsbluegreen.swap.InMemoryLoadBalancers.Kind2;
import dev.ecsbluegreen.swap.SwapExecutionPropertiesTest.State;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The swap's execution against the in-memory load balancer: faults and deadlines that moto cannot stage exactly. */
class SwapExecutionTest {
    private static final String PARAMS = "{\"ElbName\": \"app-alb\"}";

    /** The reference layout with {@code rules} rules on each listener. */
    private static InMemoryLoadBalancers reference(int rules) {
        InMemoryLoadBalancers elb = new InMemoryLoadBalancers();
        elb.route(true, "default", List.of(Routes.forward("app-blue")));
        elb.route(false, "default", List.of(Routes.forward("app-green")));
        for (int i = 1; i <= rules; i++) {
            elb.route(true, String.valueOf(i), List.of(Routes.forward("app-blue")));
            elb.route(false, String.valueOf(i), List.of(Routes.forward("app-green")));
        }
        return elb.tag(BLUE, "IsProduction", "true").tag(GREEN, "IsProduction", "false");
    }

    @Test
    void hundredRuleSwapWhoseRestoreCallsAreAllSlowStillReportsBeforeTheDeadline() throws Exception {
        InMemoryLoadBalancers elb = reference(100);
        InMemoryRelease release = new InMemoryRelease(elb, 60_000);
        // the test listener's default action is refused after the live listener moved; every undo of a rule
        // then takes 15 s: 100+ of them cannot fit in a minute
        elb.inject(new Fault("ModifyListener", 1, 1, Kind2.DENIED));
        elb.inject(new Fault("ModifyRule", 100, Integer.MAX_VALUE, Kind2.SLOW));
        InMemoryRelease.Delivery d = release.deliver("job-1", PARAMS);

        InMemoryRelease.Report report = release.accepted("job-1");
        assertTrue(report.beforeDeadline(), "the report must reach CodePipeline before Lambda stops the function");
        assertTrue(elb.nanoTime() < 60_000_000_000L, "ran past the function's timeout: " + elb.nanoTime());
        assertTrue(report.text().contains("RESTORE INCOMPLETE"), report.text());
        String tail = report.text().substring(Math.max(0, report.text().indexOf("The listeners")));
        assertTrue(report.text().contains(elb.snapshot(Set.of(BLUE, GREEN)).describe(new Direction(GREEN, BLUE))),
                "the report must show the routing as read back: " + tail);
        assertEquals("restore-incomplete", elb.tagsOf(InMemoryLoadBalancers.LB_ARN).get(JobRecord.TAG_STATE), d.log());
    }

    @Test
    void redeliveryAfterAnIncompleteRestoreFinishesTheRestoreNotTheSwap() throws Exception {
        InMemoryLoadBalancers elb = reference(3);
        State original = state(elb);
        InMemoryRelease release = new InMemoryRelease(elb, 60_000);
        // the test listener's default write is refused; every rule write after the live ones is refused too,
        // so the live rules cannot be put back by this delivery
        elb.inject(new Fault("ModifyListener", 1, Integer.MAX_VALUE, Kind2.DENIED));
        elb.inject(new Fault("ModifyRule", 3, Integer.MAX_VALUE, Kind2.DENIED));
        InMemoryRelease.Delivery first = release.deliver("job-1", PARAMS);
        assertTrue(first.text().contains("RESTORE INCOMPLETE"), first.text());
        assertFalse(original.equals(state(elb)));

        // Lambda delivers the job again once IAM is fixed: it must put back, not swap
        elb.clearFaults();
        InMemoryRelease.Delivery second = release.deliver("job-1", PARAMS);
        assertFalse(second.succeeded(), second.text());
        assertTrue(second.text().contains("puts back what it changed instead of swapping"), second.text());
        assertEquals(original, state(elb));
        assertEquals("restored", elb.tagsOf(InMemoryLoadBalancers.LB_ARN).get(JobRecord.TAG_STATE));
    }

    @Test
    void routesTheSwapLeavesAloneStayAloneWhenALaterDeliveryPutsBack() throws Exception {
        // live :80 sends /beta to green on purpose; the operator names the pair
        InMemoryLoadBalancers elb = new InMemoryLoadBalancers()
                .route(true, "default", List.of(Routes.forward("app-blue")))
                .route(true, "5", List.of(Routes.forward("app-green")))
                .route(false, "default", List.of(Routes.forward("app-green")))
                .tag(BLUE, "IsProduction", "true").tag(GREEN, "IsProduction", "false");
        State original = state(elb);
        String named = "{\"ElbName\": \"app-alb\", \"targetGroups\": [\"app-blue\", \"app-green\"]}";
        InMemoryRelease release = new InMemoryRelease(elb, 60_000);
        elb.inject(new Fault("ModifyListener", 1, Integer.MAX_VALUE, Kind2.DENIED)); // test listener, then every undo
        assertTrue(release.deliver("job-1", named).text().contains("RESTORE INCOMPLETE"));
        assertEquals("live:5", elb.tagsOf(InMemoryLoadBalancers.LB_ARN).get(JobRecord.TAG_UNSWAPPED));

        elb.clearFaults();
        release.deliver("job-1", named);
        assertEquals(original, state(elb), "rule 5 forwarded to green before the job and must still do so");
    }

    @Test
    void anErrorInAWriteTakesTheRestoreAndReportPath() throws Exception {
        InMemoryLoadBalancers elb = reference(2);
        State original = state(elb);
        InMemoryRelease release = new InMemoryRelease(elb, 60_000);
        elb.inject(new Fault("ModifyRule", 1, 1, Kind2.ERROR));
        InMemoryRelease.Delivery d = release.deliver("job-1", PARAMS);
        assertFalse(d.succeeded());
        assertTrue(d.text().contains("unexpected error: java.lang.NoClassDefFoundError"), d.text());
        assertTrue(d.text().contains("reading back confirms traffic is as before"), d.text());
        assertEquals(original, state(elb));
        assertEquals(1, release.reports.size());
    }

    @Test
    void aWriteThatLandedButLostItsAnswerIsPutBack() throws Exception {
        InMemoryLoadBalancers elb = reference(1);
        State original = state(elb);
        InMemoryRelease release = new InMemoryRelease(elb, 60_000);
        // the test listener's default action lands, its answer is lost; the rule beside it is refused
        elb.inject(new Fault("ModifyListener", 1, 1, Kind2.LOST));
        elb.inject(new Fault("ModifyRule", 1, 1, Kind2.DENIED));
        InMemoryRelease.Delivery d = release.deliver("job-1", PARAMS);
        assertTrue(d.text().contains("reading back confirms traffic is as before"), d.text());
        assertEquals(original, state(elb), "both listeners would forward to green had the lost write stayed");
        assertEquals("restored", elb.tagsOf(InMemoryLoadBalancers.LB_ARN).get(JobRecord.TAG_STATE));
        // the retried delivery refuses: the job failed and was put back
        assertTrue(release.deliver("job-1", PARAMS).text().contains("does not swap"));
        assertEquals(original, state(elb));
    }

    @Test
    void aSecondRunOfAFinishedJobChangesNothing() throws Exception {
        InMemoryLoadBalancers elb = reference(2);
        InMemoryRelease release = new InMemoryRelease(elb, 60_000);
        State original = state(elb);
        assertTrue(release.deliver("job-1", PARAMS).succeeded());
        assertEquals(swapped(original), state(elb));
        long writes = elb.count("ModifyListener") + elb.count("ModifyRule") + elb.count("AddTags");
        assertTrue(release.deliver("job-1", PARAMS).succeeded());
        assertEquals(swapped(original), state(elb));
        assertEquals(writes, elb.count("ModifyListener") + elb.count("ModifyRule") + elb.count("AddTags"));
    }

    /** Found by the property test: one lost read-back after a lost job record must not end in RESTORE INCOMPLETE. */
    @Test
    void aReadBackThatFailsOnceIsReadAgain() throws Exception {
        InMemoryLoadBalancers elb = reference(0);
        State original = state(elb);
        InMemoryRelease release = new InMemoryRelease(elb, 60_000);
        elb.inject(new Fault("AddTags", 0, 1, Kind2.LOST));
        elb.inject(new Fault("DescribeRules", 4, 1, Kind2.LOST));
        release.deliver("job-1", PARAMS);
        InMemoryRelease.Delivery second = release.deliver("job-1", PARAMS);
        assertFalse(second.text().contains("RESTORE INCOMPLETE"), second.text());
        assertEquals(original, state(elb));
    }
}
