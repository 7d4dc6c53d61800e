package dev.ecsbluegreen.swap;

import static dev.ecsbluegreen.swap.AlbFixture.forward;
import static dev.ecsbluegreen.swap.CodePipelineRecorder.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.aws.CodePipelineJobResults;
import dev.ecsbluegreen.swap.aws.ElbLoadBalancers;
import dev.ecsbluegreen.testing.FaultInjectingProxy;
import dev.ecsbluegreen.testing.LogSchema;
import dev.ecsbluegreen.testing.Moto;
import dev.ecsbluegreen.testing.TestLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Every write step of a swap on the reference layout, with each way a write can go wrong on the wire (moto behind
 * the fault-injecting proxy), delivered three times as Lambda may: after every delivery the listeners are as before
 * or fully swapped, tags agree with routing, exactly one report is accepted and it says what was read back.
 */
class SwapFaultMatrixIT {
    @RegisterExtension
    static final Moto moto = new Moto();

    /** A write step of a swap, and which of the proxy's calls are that step. */
    enum Step {
        GREEN_TAG, BLUE_TAG, LIVE_DEFAULT, LIVE_RULE, TEST_DEFAULT, TEST_RULE
    }

    /** How the step's calls fail: every attempt of them, the restore's included. */
    enum Kind {
        /** Each call reaches moto (the write lands), then the connection is dropped before the answer. */
        ANSWER_LOST,
        /** Each call is answered 503 without reaching moto. */
        STICKY_5XX,
        /** Each call is refused by IAM. */
        DENIED
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Step step : Step.values()) {
            for (Kind kind : Kind.values()) {
                cases.add(Arguments.of(step, kind));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyDeliveryLeavesTheListenersAsBeforeOrSwappedAndOneTruthfulReport(Step step, Kind kind) throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        String blue = alb.targetGroupArn("app-blue");
        String green = alb.targetGroupArn("app-green");
        List<String> liveBefore = alb.routing(80);
        List<String> testBefore = alb.routing(8080);
        List<String> liveSwapped = List.of("default=app-green", "1=app-green");
        List<String> testSwapped = List.of("default=app-blue", "1=app-blue");
        Predicate<FaultInjectingProxy.Call> which = switch (step) {
            case GREEN_TAG -> c -> green.equals(c.param("ResourceArns.member.1"));
            case BLUE_TAG -> c -> blue.equals(c.param("ResourceArns.member.1"));
            case LIVE_DEFAULT -> c -> alb.listenerOnPort(80).equals(c.param("ListenerArn"));
            case TEST_DEFAULT -> c -> alb.listenerOnPort(8080).equals(c.param("ListenerArn"));
            case LIVE_RULE -> c -> alb.rules(80).get(1).ruleArn().equals(c.param("RuleArn"));
            case TEST_RULE -> c -> alb.rules(8080).get(1).ruleArn().equals(c.param("RuleArn"));
        };
        String action = switch (step) {
            case GREEN_TAG, BLUE_TAG -> "AddTags";
            case LIVE_DEFAULT, TEST_DEFAULT -> "ModifyListener";
            case LIVE_RULE, TEST_RULE -> "ModifyRule";
        };
        try (CodePipelineRecorder codePipeline = new CodePipelineRecorder();
             FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            FaultInjectingProxy.FaultBuilder fault = proxy.on(action).where(which);
            switch (kind) {
                case ANSWER_LOST -> fault.landThenDrop();
                case STICKY_5XX -> fault.fail(503, "ServiceUnavailable", "injected outage");
                case DENIED -> fault.fail(403, "AccessDenied", "injected: not authorized to perform " + action);
            }
            ElasticLoadBalancingV2Client elb = moto.client(ElasticLoadBalancingV2Client.builder(), proxy.endpoint());
            CodePipelineClient cp = moto.client(CodePipelineClient.builder(), codePipeline.endpoint());
            SwapHandler handler = new SwapHandler(new ElbLoadBalancers(elb), new CodePipelineJobResults(cp), name -> null);

            String acceptedOutcome = null;
            for (int delivery = 1; delivery <= 3; delivery++) {
                if (delivery == 1) {
                    codePipeline.answerOk();
                } else {
                    codePipeline.answerAlreadyReported();
                }
                TestLambdaContext lambda = new TestLambdaContext();
                JsonNode response = invokeWith(handler, lambda);
                CodePipelineRecorder.Report report = codePipeline.take();
                codePipeline.assertNoMoreReports();
                String context = step + " " + kind + " delivery " + delivery + ": " + response;

                List<String> live = alb.routing(80);
                List<String> test = alb.routing(8080);
                boolean original = live.equals(liveBefore) && test.equals(testBefore);
                boolean swapped = live.equals(liveSwapped) && test.equals(testSwapped);
                assertTrue(original || swapped, "half-switched after " + context + "\nlive " + live + " test " + test);
                assertEquals(original ? "true" : "false", alb.isProduction(blue), "tags disagree with routing: " + context);
                assertEquals(original ? "false" : "true", alb.isProduction(green), "tags disagree with routing: " + context);
                String text = "succeeded".equals(response.get("result").asText())
                        ? response.get("summary").asText() : response.get("message").asText();
                if (swapped) {
                    assertEquals("succeeded", response.get("result").asText(), context);
                } else {
                    assertTrue(text.contains("traffic is as before") || text.contains("Nothing was changed")
                            || text.contains("Nothing had been changed") || text.contains("does not swap"), context);
                }
                assertMetricsTellTheOutcome(lambda, response, text, context);
                if (delivery == 1) {
                    acceptedOutcome = report.target() + (swapped ? " swapped" : " original");
                } else {
                    // a later delivery of the job changes nothing the first one left
                    assertEquals(acceptedOutcome, (SUCCESS.equals(acceptedOutcome.split(" ")[0]) ? SUCCESS
                            : CodePipelineRecorder.FAILURE) + (swapped ? " swapped" : " original"), context);
                }
            }
        }
    }

    /** 15 s of latency on a write, with a function that has 20 s: the report still reaches CodePipeline in time. */
    @Test
    void aWriteThatDoesNotAnswerInTimeIsBoundedAndTheReportComesBeforeTheDeadline() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        List<String> liveBefore = alb.routing(80);
        try (CodePipelineRecorder codePipeline = new CodePipelineRecorder();
             FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            proxy.on("ModifyListener").delay(Duration.ofSeconds(15));
            ElasticLoadBalancingV2Client elb = moto.client(ElasticLoadBalancingV2Client.builder(), proxy.endpoint());
            CodePipelineClient cp = moto.client(CodePipelineClient.builder(), codePipeline.endpoint());
            SwapHandler handler = new SwapHandler(new ElbLoadBalancers(elb), new CodePipelineJobResults(cp), name -> null);
            codePipeline.answerOk();
            TestLambdaContext context = new TestLambdaContext(20_000);
            long start = System.nanoTime();
            JsonNode response = invokeWith(handler, context);
            long took = (System.nanoTime() - start) / 1_000_000;
            CodePipelineRecorder.Report report = codePipeline.take();
            assertTrue(took < 20_000, "the invocation outlived its 20 s: " + took + " ms");
            assertEquals(CodePipelineRecorder.FAILURE, report.target(), response.toString());
            String message = report.failureMessage();
            assertTrue(message.contains("elasticloadbalancing:ModifyListener"), message);
            // the delayed writes land after the function gave up on them: the undo, sent after the write, lands last
            proxy.clearFaults();
            long until = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (proxy.landed("ModifyListener") < proxy.count("ModifyListener") && System.nanoTime() < until) {
                Thread.sleep(200);
            }
            if (message.contains("traffic is as before")) {
                assertEquals(liveBefore, alb.routing(80), message);
            } else {
                assertTrue(message.contains("RESTORE INCOMPLETE"), message);
            }
            assertMetricsTellTheOutcome(context, response, message, message);
        }
    }

    /**
     * The invocation's metrics say what its report says: {@code RestoreIncomplete} only when the read-back found the
     * restore incomplete, {@code Restored} only when it confirmed it, one {@code Succeeded} or {@code Failed}.
     */
    private static void assertMetricsTellTheOutcome(TestLambdaContext lambda, JsonNode response, String text,
                                                    String context) {
        LogSchema.Lines lines = LogSchema.check(lambda.logLines(), SwapHandler.SERVICE, lambda.getAwsRequestId());
        boolean succeeded = "succeeded".equals(response.get("result").asText());
        assertEquals(succeeded ? List.of(1.0) : List.of(), lines.values("Succeeded"), context);
        assertEquals(succeeded ? List.of() : List.of(1.0), lines.values("Failed"), context);
        assertEquals(text.contains("RESTORE INCOMPLETE") ? List.of(1.0) : List.of(), lines.values("RestoreIncomplete"),
                context);
        assertEquals(text.contains("reading back confirms traffic is as before") ? List.of(1.0) : List.of(),
                lines.values("Restored"), context);
        assertTrue(lines.values("ReportFailed").isEmpty(), context);
    }

    private static JsonNode invokeWith(SwapHandler handler, TestLambdaContext context) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String event = SwapHandlerIT.event("job-1", "{\"ElbName\": \"app-alb\"}");
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
        return Json.newMapper().readTree(out.toByteArray());
    }

}
