package dev.ecsbluegreen.swap;

import static dev.ecsbluegreen.swap.AlbFixture.forward;
import static dev.ecsbluegreen.swap.AlbFixture.weighted;
import static dev.ecsbluegreen.swap.CodePipelineRecorder.FAILURE;
import static dev.ecsbluegreen.swap.CodePipelineRecorder.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.analysis.Analysis;
import dev.ecsbluegreen.analysis.Sleeper;
import dev.ecsbluegreen.analysis.aws.CloudWatchSource;
import dev.ecsbluegreen.analysis.metrics.Providers;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.aws.CodePipelineJobResults;
import dev.ecsbluegreen.swap.aws.ElbLoadBalancers;
import dev.ecsbluegreen.testing.FaultInjectingProxy;
import dev.ecsbluegreen.testing.Moto;
import dev.ecsbluegreen.testing.TestLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Canary and linear releases end to end: real SDK on the wire to moto (ELB, CloudWatch) and to a recorder standing in
 * for CodePipeline; every continuation sent back as CodePipeline sends it, as a new job carrying the token.
 */
class ProgressiveSwapIT {
    @RegisterExtension
    static final Moto moto = new Moto();
    private static final ObjectMapper MAPPER = Json.newMapper();

    private CodePipelineRecorder codePipeline;
    private final Map<String, String> env = new HashMap<>(Map.of(SwapHandler.MAX_WAIT_ENV, "5"));
    private int jobs;

    @BeforeEach
    void startCodePipeline() throws Exception {
        codePipeline = new CodePipelineRecorder();
    }

    @AfterEach
    void stopCodePipeline() {
        codePipeline.close();
    }

    // ------------------------------------------------------------------ helpers

    private SwapHandler handler(URI elbEndpoint) {
        ElasticLoadBalancingV2Client elb = moto.client(ElasticLoadBalancingV2Client.builder(), elbEndpoint);
        CodePipelineClient cp = moto.client(CodePipelineClient.builder(), codePipeline.endpoint());
        CloudWatchSource cloudWatch = new CloudWatchSource(moto.client(CloudWatchClient.builder()));
        Analysis analysis = new Analysis(new Providers(cloudWatch, cloudWatch), Sleeper.THREAD, Clock.systemUTC());
        return new SwapHandler(new ElbLoadBalancers(elb), new CodePipelineJobResults(cp), () -> analysis, env::get,
                System::nanoTime);
    }

    private SwapHandler handler() {
        return handler(moto.endpoint());
    }

    /** A continued job as CodePipeline sends it: the continuation event file with a new job id and the token. */
    static String continuation(String jobId, String userParameters, String token) throws Exception {
        ObjectNode root = SwapHandlerIT.job("codepipeline-job-continuation.json", jobId, userParameters);
        ((ObjectNode) root.at("/CodePipeline.job/data")).put("continuationToken", token);
        return MAPPER.writeValueAsString(root);
    }

    private CodePipelineRecorder.Report deliver(SwapHandler handler, String event) throws Exception {
        codePipeline.answerOk();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                new TestLambdaContext(60_000));
        CodePipelineRecorder.Report report = codePipeline.take();
        codePipeline.assertNoMoreReports();
        return report;
    }

    private CodePipelineRecorder.Report first(SwapHandler handler, String userParameters) throws Exception {
        return deliver(handler, SwapHandlerIT.event("job-" + (++jobs), userParameters));
    }

    private CodePipelineRecorder.Report next(SwapHandler handler, String userParameters, CodePipelineRecorder.Report last)
            throws Exception {
        return deliver(handler, continuation("job-" + (++jobs), userParameters, token(last)));
    }

    private static String token(CodePipelineRecorder.Report report) {
        return report.body().path("continuationToken").asText(null);
    }

    private static boolean continued(CodePipelineRecorder.Report report) {
        return SUCCESS.equals(report.target()) && token(report) != null;
    }

    /** Continues until CodePipeline would stop (a report without a token), keeping the live routing after each answer. */
    private CodePipelineRecorder.Report runToTheEnd(SwapHandler handler, String userParameters,
                                                    CodePipelineRecorder.Report report, AlbFixture alb, int livePort,
                                                    List<List<String>> liveStates) throws Exception {
        while (continued(report)) {
            assertTrue(token(report).length() <= Progress.MAX_TOKEN, token(report));
            report = next(handler, userParameters, report);
            List<String> live = alb.routing(livePort);
            if (liveStates.isEmpty() || !liveStates.get(liveStates.size() - 1).equals(live)) {
                liveStates.add(live);
            }
            assertTrue(jobs < 40, "the release does not end");
        }
        return report;
    }

    private static void assertFailure(CodePipelineRecorder.Report report, String... fragments) {
        assertEquals(FAILURE, report.target(), report.body().toString());
        for (String fragment : fragments) {
            assertTrue(report.failureMessage().contains(fragment), "\"" + fragment + "\" not in: " + report.failureMessage());
        }
    }

    private static void assertProgressTagsGone(AlbFixture alb) {
        Map<String, String> tags = alb.tags(alb.loadBalancerArn);
        assertFalse(tags.keySet().stream().anyMatch(k -> k.startsWith("ecs-bluegreen:original")
                || k.startsWith("ecs-bluegreen:step")), tags.toString());
    }

    private static final String CANARY = "{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"canary\", \"percent\": 10, "
            + "\"bakeSeconds\": 1}}";
    private static final String CANARY_LONG_BAKE = "{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"canary\", "
            + "\"percent\": 10, \"bakeSeconds\": 300}}";

    // ------------------------------------------------------------------ runs to the end

    @Test
    void canaryOnTheReferenceLayoutRunsToTheEndAndTheNextApprovalSwapsBack() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        String blue = alb.targetGroupArn("app-blue");
        String green = alb.targetGroupArn("app-green");
        SwapHandler handler = handler();

        CodePipelineRecorder.Report step1 = first(handler, CANARY);
        assertTrue(continued(step1), step1.body().toString());
        assertTrue(step1.summary().startsWith("step 1 of 2 (green 10 %) in place"), step1.summary());
        assertFalse(step1.body().has("outputVariables"), "output variables only on the final result");
        assertEquals(List.of("default=app-blue:90,app-green:10", "1=app-blue:90,app-green:10"), alb.routing(80));
        assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(8080), "test stays on green");
        assertEquals("true", alb.isProduction(blue), "IsProduction flips only with the whole swap");
        assertEquals("baking", alb.tags(alb.loadBalancerArn).get("ecs-bluegreen:job-state"));

        List<List<String>> states = new ArrayList<>();
        CodePipelineRecorder.Report last = runToTheEnd(handler, CANARY, step1, alb, 80, states);
        assertEquals(SUCCESS, last.target(), last.body().toString());
        assertNull(token(last));
        assertTrue(last.summary().startsWith("release complete, step 2 of 2 (green 100 %, the whole swap)"), last.summary());
        assertEquals("app-green", last.body().at("/outputVariables/LiveTargetGroup").asText());
        assertEquals(List.of(List.of("default=app-green", "1=app-green")), states, "one step after the canary: the swap");
        assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(8080));
        assertEquals("true", alb.isProduction(green));
        assertEquals("false", alb.isProduction(blue));
        assertEquals("done", alb.tags(alb.loadBalancerArn).get("ecs-bluegreen:job-state"));
        assertProgressTagsGone(alb);

        // the revert button: the next approval, all at once, swaps back
        CodePipelineRecorder.Report back = first(handler, "{\"ElbName\": \"app-alb\"}");
        assertEquals(SUCCESS, back.target(), back.body().toString());
        assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(80));
        assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(8080));
    }

    @Test
    void linearOnADefaultActionOnlyListenerShowsEveryStep() throws Exception {
        AlbFixture alb = AlbFixture.create(moto, "app-alb");
        String blue = alb.targetGroup("app-blue", "true", "10.0.1.10");
        String green = alb.targetGroup("app-green", "false", "10.0.2.10");
        alb.listener(80, forward(blue));
        alb.listener(8080, forward(green));
        String linear = "{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"linear\", \"stepPercent\": 25, "
                + "\"stepBakeSeconds\": 1}}";
        SwapHandler handler = handler();

        CodePipelineRecorder.Report report = first(handler, linear);
        List<List<String>> states = new ArrayList<>(List.of(alb.routing(80)));
        List<Integer> percents = new ArrayList<>(List.of(report.body().at("/executionDetails/percentComplete").asInt()));
        while (continued(report)) {
            report = next(handler, linear, report);
            if (!states.get(states.size() - 1).equals(alb.routing(80))) {
                states.add(alb.routing(80));
            }
            if (continued(report)) {
                assertEquals(List.of("default=app-green"), alb.routing(8080), "test stays on green until the last step");
            }
            if (continued(report)) {
                percents.add(report.body().at("/executionDetails/percentComplete").asInt());
            }
            assertTrue(jobs < 40, "the release does not end");
        }
        assertEquals(SUCCESS, report.target(), report.body().toString());
        assertEquals(List.of(List.of("default=app-blue:75,app-green:25"), List.of("default=app-blue:50,app-green:50"),
                List.of("default=app-blue:25,app-green:75"), List.of("default=app-green")), states);
        assertEquals(List.of("default=app-blue"), alb.routing(8080));
        assertTrue(percents.stream().allMatch(p -> p >= 0 && p < 100), percents.toString());
        assertEquals(percents.stream().sorted().toList(), percents, "progress never goes back");
    }

    @Test
    void weightedStickyLiveListenerKeepsItsStickinessAtEveryStep() throws Exception {
        AlbFixture alb = AlbFixture.create(moto, "app-alb");
        String blue = alb.targetGroup("app-blue", "true", "10.0.1.10");
        String green = alb.targetGroup("app-green", "false", "10.0.2.10");
        alb.listener(80, weighted(blue, 100, green, 0, true));
        alb.listener(8080, weighted(blue, 0, green, 100, false));
        SwapHandler handler = handler();

        CodePipelineRecorder.Report step1 = first(handler, CANARY);
        assertTrue(continued(step1), step1.body().toString());
        assertEquals(List.of("default=app-blue:90,app-green:10"), alb.routing(80));
        var stickiness = alb.rules(80).get(0).actions().get(0).forwardConfig().targetGroupStickinessConfig();
        assertTrue(stickiness.enabled());
        assertEquals(3600, stickiness.durationSeconds());

        CodePipelineRecorder.Report last = runToTheEnd(handler, CANARY, step1, alb, 80, new ArrayList<>());
        assertEquals(SUCCESS, last.target(), last.body().toString());
        // today's swap of 100/0: the weights change places
        assertEquals(List.of("default=app-blue:0,app-green:100"), alb.routing(80));
        assertEquals(List.of("default=app-blue:100,app-green:0"), alb.routing(8080));
        assertTrue(alb.rules(80).get(0).actions().get(0).forwardConfig().targetGroupStickinessConfig().enabled());
    }

    // ------------------------------------------------------------------ judged between steps

    @Test
    void alarmAtStepTwoPutsBackTheOriginalRoutingWithOneFailureReport() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        CloudWatchClient cloudWatch = moto.client(CloudWatchClient.builder());
        cloudWatch.putMetricAlarm(r -> r.alarmName("app-5xx").namespace("AWS/ApplicationELB")
                .metricName("HTTPCode_Target_5XX_Count").statistic(Statistic.SUM).period(60).evaluationPeriods(1)
                .threshold(5.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
        cloudWatch.setAlarmState(r -> r.alarmName("app-5xx").stateValue(StateValue.OK).stateReason("test"));
        cloudWatch.putMetricAlarm(r -> r.alarmName("app-latency").namespace("AWS/ApplicationELB")
                .metricName("TargetResponseTime").statistic(Statistic.AVERAGE).period(60).evaluationPeriods(1)
                .threshold(1.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
        String linear = "{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"linear\", \"stepPercent\": 25, "
                + "\"stepBakeSeconds\": 1}, \"analysis\": {\"interval\": 1, \"count\": 1, \"metrics\": ["
                + "{\"name\": \"latency alarm\", \"alarms\": {\"names\": [\"app-latency\"]}}]}, "
                + "\"alarmNames\": [\"app-5xx\"]}";
        SwapHandler handler = handler();

        CodePipelineRecorder.Report report = first(handler, linear);
        assertEquals(List.of("default=app-blue:75,app-green:25", "1=app-blue:75,app-green:25"), alb.routing(80));
        while (!alb.routing(80).get(0).equals("default=app-blue:50,app-green:50")) {
            report = next(handler, linear, report);
            assertTrue(continued(report), report.body().toString());
            assertTrue(jobs < 10, "step 2 never came");
        }
        cloudWatch.setAlarmState(r -> r.alarmName("app-5xx").stateValue(StateValue.ALARM).stateReason("5xx at step 2"));

        CodePipelineRecorder.Report failed = next(handler, linear, report);
        assertFailure(failed, "the analysis failed at step 2 of 4 (green 50 %)", "app-5xx", "Traffic is back on app-blue",
                "reading back confirms");
        assertEquals("JobFailed", failed.failureType());
        assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(80));
        assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(8080));
        assertEquals("restored", alb.tags(alb.loadBalancerArn).get("ecs-bluegreen:job-state"));
        assertProgressTagsGone(alb);
    }

    @Test
    void anAlarmDuringTheFinalBakePutsBackLiveTestAndIsProduction() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        String blue = alb.targetGroupArn("app-blue");
        String green = alb.targetGroupArn("app-green");
        CloudWatchClient cloudWatch = moto.client(CloudWatchClient.builder());
        cloudWatch.putMetricAlarm(r -> r.alarmName("app-5xx").namespace("AWS/ApplicationELB")
                .metricName("HTTPCode_Target_5XX_Count").statistic(Statistic.SUM).period(60).evaluationPeriods(1)
                .threshold(5.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
        cloudWatch.setAlarmState(r -> r.alarmName("app-5xx").stateValue(StateValue.OK).stateReason("test"));
        String canary = "{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"canary\", \"percent\": 10, "
                + "\"bakeSeconds\": 1, \"finalBakeSeconds\": 300}, \"analysis\": {\"interval\": 1, \"count\": 1, "
                + "\"metrics\": [{\"name\": \"alarms\", \"alarms\": {\"names\": [\"app-5xx\"]}}]}}";
        SwapHandler handler = handler();

        CodePipelineRecorder.Report report = first(handler, canary);
        while (!alb.routing(80).get(0).equals("default=app-green")) {
            report = next(handler, canary, report);
            assertTrue(continued(report), report.body().toString());
            assertTrue(jobs < 10, "the last step never came");
        }
        assertTrue(report.summary().contains("final bake 300 s"), report.summary());
        assertFalse(report.body().has("outputVariables"), "not the final result yet");
        assertEquals("true", alb.isProduction(green));
        cloudWatch.setAlarmState(r -> r.alarmName("app-5xx").stateValue(StateValue.ALARM).stateReason("5xx at 100 %"));

        CodePipelineRecorder.Report failed = next(handler, canary, report);
        assertFailure(failed, "the analysis failed at the final bake (green 100 %)", "Traffic is back on app-blue");
        assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(80));
        assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(8080));
        assertEquals("true", alb.isProduction(blue));
        assertEquals("false", alb.isProduction(green));
    }

    @Test
    void anInvocationThatDiedWritingAStepIsPutBackByTheNextNeverFinished() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        env.put(SwapHandler.MAX_WAIT_ENV, "0");
        SwapHandler handler = handler();
        CodePipelineRecorder.Report step1 = first(handler, CANARY_LONG_BAKE);
        // what an invocation killed between its record and its read-back leaves
        alb.elb.addTags(b -> b.resourceArns(alb.loadBalancerArn).tags(t -> t.key("ecs-bluegreen:job-state").value("stepping")));

        CodePipelineRecorder.Report report = next(handler, CANARY_LONG_BAKE, step1);
        assertFailure(report, "was interrupted or failed while stepping", "puts back the routing before the release",
                "Traffic is back on app-blue");
        assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(80));
        assertEquals("restored", alb.tags(alb.loadBalancerArn).get("ecs-bluegreen:job-state"));
    }

    @Test
    void greenFailingFivePercentOfLiveRequestsIsCaughtAtTheCanaryStep() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        String green = alb.targetGroupArn("app-green");
        String canary = "{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"canary\", \"percent\": 10, "
                + "\"bakeSeconds\": 30}, \"analysis\": {\"interval\": 1, \"count\": 2, \"metrics\": ["
                + "{\"name\": \"green 5xx\", \"preset\": \"green-5xx-ratio\", \"max\": 0.01}]}}";
        SwapHandler handler = handler();

        CodePipelineRecorder.Report report = first(handler, canary);
        assertTrue(continued(report), report.body().toString());
        Thread.sleep(1_200); // the datapoint, a second back, must fall inside the step's window
        traffic(alb, green, 200, 10);
        CodePipelineRecorder.Report failed = next(handler, canary, report);
        for (int i = 0; continued(failed) && i < 5; i++) {
            traffic(alb, green, 200, 10);
            failed = next(handler, canary, failed);
        }
        assertFailure(failed, "the analysis failed at step 1 of 2 (green 10 %)", "green 5xx ratio 5 %",
                "Traffic is back on app-blue");
        assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(80));
    }

    /** What the ALB publishes for a target group, a second ago (moto compares times at whole seconds). */
    private static void traffic(AlbFixture alb, String targetGroupArn, int requests, int errors) {
        Dimension balancer = Dimension.builder().name("LoadBalancer")
                .value(alb.loadBalancerArn.substring(alb.loadBalancerArn.indexOf("app/"))).build();
        Dimension group = Dimension.builder().name("TargetGroup")
                .value(targetGroupArn.substring(targetGroupArn.indexOf("targetgroup/"))).build();
        Instant at = Instant.now().minusSeconds(1);
        moto.client(CloudWatchClient.builder()).putMetricData(r -> r.namespace("AWS/ApplicationELB").metricData(
                MetricDatum.builder().metricName("RequestCount").dimensions(balancer, group).value((double) requests)
                        .unit(StandardUnit.COUNT).timestamp(at).build(),
                MetricDatum.builder().metricName("HTTPCode_Target_5XX_Count").dimensions(balancer, group)
                        .value((double) errors).unit(StandardUnit.COUNT).timestamp(at).build()));
    }

    @Test
    void aStepWriteFailingMidStepPutsBackTheOriginalRoutingNotThePreviousStep() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        String linear = "{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"linear\", \"stepPercent\": 25, "
                + "\"stepBakeSeconds\": 1}}";
        String liveRule = alb.rules(80).get(1).ruleArn();
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            // step 1 writes the rule once; step 2's write of it is refused
            proxy.on("ModifyRule").where(c -> liveRule.equals(c.param("RuleArn"))).after(1).times(1)
                    .fail(403, "AccessDenied", "injected: not authorized to perform ModifyRule");
            SwapHandler handler = handler(proxy.endpoint());
            CodePipelineRecorder.Report report = first(handler, linear);
            assertEquals(List.of("default=app-blue:75,app-green:25", "1=app-blue:75,app-green:25"), alb.routing(80));
            while (continued(report)) {
                report = next(handler, linear, report);
                assertTrue(jobs < 10, "the release does not end");
            }
            assertFailure(report, "writing step 2 of 4 (green 50 %) failed", "ModifyRule", "Traffic is back on app-blue");
            assertEquals("PermissionError", report.failureType());
        }
        assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(80));
        assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(8080));
    }

    @Test
    void aStepWriteWhoseAnswersAreLostAfterLandingIsPutBackAsTheReadBackShows() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        String linear = "{\"ElbName\": \"app-alb\", \"strategy\": {\"type\": \"linear\", \"stepPercent\": 25, "
                + "\"stepBakeSeconds\": 1}}";
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            // from step 2 on, every ModifyListener reaches ELB and its answer is lost, the restore's too
            proxy.on("ModifyListener").after(1).landThenDrop();
            SwapHandler handler = handler(proxy.endpoint());
            CodePipelineRecorder.Report report = first(handler, linear);
            while (continued(report)) {
                report = next(handler, linear, report);
                assertTrue(jobs < 10, "the release does not end");
            }
            assertFailure(report, "writing step 2 of 4 (green 50 %) failed", "Traffic is back on app-blue",
                    "reading back confirms");
        }
        assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(80));
        assertEquals("restored", alb.tags(alb.loadBalancerArn).get("ecs-bluegreen:job-state"));
    }

    // ------------------------------------------------------------------ tokens that converge

    @Test
    void aDuplicatedContinuationChangesNothingAndAnOldTokenNeverStepsBack() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        env.put(SwapHandler.MAX_WAIT_ENV, "0");
        SwapHandler handler = handler();
        CodePipelineRecorder.Report step1 = first(handler, CANARY_LONG_BAKE);
        String event = continuation("job-dup", CANARY_LONG_BAKE, token(step1));

        CodePipelineRecorder.Report once = deliver(handler, event);
        Map<String, String> tags = alb.tags(alb.loadBalancerArn);
        CodePipelineRecorder.Report twice = deliver(handler, event);
        assertTrue(continued(once) && continued(twice), twice.body().toString());
        assertEquals(token(once), token(twice), "the same job, the same answer");
        assertTrue(twice.summary().contains("this delivery changed nothing"), twice.summary());
        assertEquals(tags, alb.tags(alb.loadBalancerArn));
        assertEquals(List.of("default=app-blue:90,app-green:10", "1=app-blue:90,app-green:10"), alb.routing(80));

        // a token from before the last step, replayed after it: answered with the load balancer's step
        alb.elb.addTags(b -> b.resourceArns(alb.loadBalancerArn).tags(t -> t.key("ecs-bluegreen:command").value("promote")));
        assertEquals(SUCCESS, deliver(handler, continuation("job-promote", CANARY_LONG_BAKE, token(once))).target());
        assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(80));
        CodePipelineRecorder.Report replay = deliver(handler, continuation("job-replay", CANARY_LONG_BAKE, token(step1)));
        assertEquals(SUCCESS, replay.target(), replay.body().toString());
        assertNull(token(replay));
        assertTrue(replay.summary().contains("already finished"), replay.summary());
        assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(80), "never steps back without a verdict");
    }

    // ------------------------------------------------------------------ operator controls

    @Test
    void abortPutsBackTheOriginalAndAContinuationArrivingAfterItChangesNothing() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        env.put(SwapHandler.MAX_WAIT_ENV, "0");
        SwapHandler handler = handler();
        CodePipelineRecorder.Report step1 = first(handler, CANARY_LONG_BAKE);
        alb.elb.addTags(b -> b.resourceArns(alb.loadBalancerArn).tags(t -> t.key("ecs-bluegreen:command").value("abort")));

        CodePipelineRecorder.Report aborted = next(handler, CANARY_LONG_BAKE, step1);
        assertFailure(aborted, "aborted by the operator (ecs-bluegreen:command=abort) at step 1 of 2 (green 10 %)",
                "Traffic is back on app-blue");
        assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(80));
        assertFalse(alb.tags(alb.loadBalancerArn).containsKey("ecs-bluegreen:command"), "the command is cleared");

        CodePipelineRecorder.Report late = deliver(handler, continuation("job-late", CANARY_LONG_BAKE, token(step1)));
        assertFailure(late, "was already rolled back", "Nothing was changed");
        assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(80));
        assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(8080));
    }

    @Test
    void promoteMidBakeFinishesNowWithTheWholeSwap() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        env.put(SwapHandler.MAX_WAIT_ENV, "0");
        SwapHandler handler = handler();
        CodePipelineRecorder.Report step1 = first(handler, CANARY_LONG_BAKE);
        CodePipelineRecorder.Report baking = next(handler, CANARY_LONG_BAKE, step1);
        assertTrue(continued(baking), "the bake of 300 s is not over: " + baking.body());
        alb.elb.addTags(b -> b.resourceArns(alb.loadBalancerArn).tags(t -> t.key("ecs-bluegreen:command").value("promote")));

        CodePipelineRecorder.Report promoted = next(handler, CANARY_LONG_BAKE, baking);
        assertEquals(SUCCESS, promoted.target(), promoted.body().toString());
        assertNull(token(promoted));
        assertTrue(promoted.summary().startsWith("promoted by the operator"), promoted.summary());
        assertEquals("app-green", promoted.body().at("/outputVariables/LiveTargetGroup").asText());
        assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(80));
        assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(8080));
        assertFalse(alb.tags(alb.loadBalancerArn).containsKey("ecs-bluegreen:command"));
    }

    @Test
    void anotherJobDuringAReleaseIsRefusedAndWithAbortPutsTheAbandonedReleaseBack() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        env.put(SwapHandler.MAX_WAIT_ENV, "0");
        SwapHandler handler = handler();
        first(handler, CANARY_LONG_BAKE);
        List<String> atCanary = alb.routing(80);

        CodePipelineRecorder.Report refused = first(handler, "{\"ElbName\": \"app-alb\"}");
        assertFailure(refused, "release job-1 is under way", "Nothing was changed");
        assertEquals("ConfigurationError", refused.failureType());
        assertEquals(atCanary, alb.routing(80));

        // its pipeline run is gone (stopped, superseded): the operator aborts it and runs the stage again
        alb.elb.addTags(b -> b.resourceArns(alb.loadBalancerArn).tags(t -> t.key("ecs-bluegreen:command").value("abort")));
        CodePipelineRecorder.Report putBack = first(handler, "{\"ElbName\": \"app-alb\"}");
        assertFailure(putBack, "release job-1 was under way", "put that release back instead of swapping",
                "Traffic is back on app-blue", "Run this stage again");
        assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(80));
        assertFalse(alb.tags(alb.loadBalancerArn).containsKey("ecs-bluegreen:command"));

        CodePipelineRecorder.Report swapped = first(handler, "{\"ElbName\": \"app-alb\"}");
        assertEquals(SUCCESS, swapped.target(), swapped.body().toString());
        assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(80));
    }

    // ------------------------------------------------------------------ drift

    @Test
    void aLiveListenerEditedBetweenStepsStopsTheReleaseAndChangesNothingMore() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        env.put(SwapHandler.MAX_WAIT_ENV, "0");
        SwapHandler handler = handler();
        String blue = alb.targetGroupArn("app-blue");
        CodePipelineRecorder.Report step1 = first(handler, CANARY_LONG_BAKE);
        String rule = alb.rules(80).get(1).ruleArn();
        alb.elb.modifyRule(b -> b.ruleArn(rule).actions(forward(blue)));

        CodePipelineRecorder.Report drift = next(handler, CANARY_LONG_BAKE, step1);
        assertFailure(drift, "changed between steps", "live :80 rule priority 1 forwards to app-blue, the release left it "
                + "forwarding to app-blue 90/app-green 10", "changes nothing more");
        assertEquals(List.of("default=app-blue:90,app-green:10", "1=app-blue"), alb.routing(80), "nothing more changed");
    }

    // ------------------------------------------------------------------ many rules, 2048 characters

    @Test
    void hundredRulesFitTheTokenAndTheTagsAndAnAbortPutsEveryOneBack() throws Exception {
        AlbFixture alb = AlbFixture.create(moto, "app-alb");
        String blue = alb.targetGroup("app-blue", "true", "10.0.1.10");
        String green = alb.targetGroup("app-green", "false", "10.0.2.10");
        String live = alb.listener(80, forward(blue));
        alb.listener(8080, forward(green));
        for (int priority = 1; priority <= 100; priority++) {
            // two runs of alike rules, so the record folds them into two entries (moto allows 10 tags a resource;
            // OriginalRoutesTest cuts a record of a hundred entries into tags of 256 characters)
            alb.rule(live, priority, priority <= 50 ? forward(blue) : weighted(blue, 90, green, 10, false),
                    AlbFixture.pathPattern("/p" + priority));
        }
        List<String> original = alb.routing(80);
        env.put(SwapHandler.MAX_WAIT_ENV, "0");
        String canary = CANARY_LONG_BAKE;
        SwapHandler handler = handler();

        CodePipelineRecorder.Report step1 = first(handler, canary);
        assertTrue(continued(step1), step1.body().toString());
        assertTrue(token(step1).length() < 200, "the token carries a fingerprint, not the routing: " + token(step1));
        assertTrue(step1.summary().length() <= SwapHandler.MAX_SUMMARY);
        assertTrue(alb.routing(80).stream().allMatch(r -> r.endsWith("=app-blue:90,app-green:10")), alb.routing(80).toString());
        Map<String, String> tags = alb.tags(alb.loadBalancerArn);
        assertEquals("live:default=b1 live:1-50=b1 live:51-100=b90g10 test:default=g1",
                tags.get("ecs-bluegreen:original-1"));
        assertTrue(tags.values().stream().allMatch(v -> v.length() <= 256));

        CodePipelineRecorder.Report baking = next(handler, canary, step1);
        assertTrue(continued(baking), baking.body().toString());
        assertTrue(token(baking).length() <= Progress.MAX_TOKEN, token(baking).length() + " characters");
        alb.elb.addTags(b -> b.resourceArns(alb.loadBalancerArn).tags(t -> t.key("ecs-bluegreen:command").value("abort")));
        CodePipelineRecorder.Report aborted = next(handler, canary, baking);
        assertFailure(aborted, "aborted by the operator", "Traffic is back on app-blue");
        assertEquals(original, alb.routing(80));
    }

    // ------------------------------------------------------------------ dry run

    @Test
    void dryRunReportsEveryStepAndWritesNothing() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        Map<String, String> tagsBefore = alb.tags(alb.loadBalancerArn);
        String linear = "{\"ElbName\": \"app-alb\", \"dryRun\": true, \"strategy\": {\"type\": \"linear\", "
                + "\"stepPercent\": 25, \"stepBakeSeconds\": 60, \"finalBakeSeconds\": 120}}";

        CodePipelineRecorder.Report plan = first(handler(), linear);
        assertEquals(SUCCESS, plan.target(), plan.body().toString());
        assertNull(token(plan));
        String summary = plan.summary();
        assertTrue(summary.startsWith("dry run, nothing written"), summary);
        for (String fragment : List.of("step 1 of 4 (green 25 %): live :80 [default action → app-blue 75/app-green 25, "
                        + "rule priority 1 → app-blue 75/app-green 25]",
                "step 2 of 4 (green 50 %)", "step 3 of 4 (green 75 %)",
                "step 4 of 4 (green 100 %, the whole swap): live :80 [default action → app-green, rule priority 1 → "
                        + "app-green]; test :8080 [default action → app-blue, rule priority 1 → app-blue]",
                "IsProduction app-green=true, app-blue=false", "final bake 120 s", "ecs-bluegreen:job-id=job-")) {
            assertTrue(summary.contains(fragment), "\"" + fragment + "\" not in: " + summary);
        }
        assertTrue(summary.length() <= SwapHandler.MAX_SUMMARY);
        assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(80));
        assertEquals(tagsBefore, alb.tags(alb.loadBalancerArn));
    }
}
