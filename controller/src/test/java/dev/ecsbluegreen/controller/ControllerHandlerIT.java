package dev.ecsbluegreen.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.aws.CodePipelineJobResults;
import dev.ecsbluegreen.testing.EventFiles;
import dev.ecsbluegreen.testing.LogSchema;
import dev.ecsbluegreen.testing.Moto;
import dev.ecsbluegreen.testing.TestLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/** The Lambda actions against moto, reporting to a recording CodePipeline: continuation tokens on the wire. */
class ControllerHandlerIT {
    @RegisterExtension
    static final Moto moto = new Moto();
    static final ObjectMapper MAPPER = Json.newMapper();
    static final String IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.4.2";
    static final String RELEASE = Images.parse(List.of(IMAGE)).releaseId();

    EcsFixture fx;
    JobApi codePipeline;
    ControllerHandler handler;

    @BeforeEach
    void setUp() throws Exception {
        fx = new EcsFixture(moto);
        codePipeline = new JobApi();
        Map<String, String> env = Map.of("LIVE_LISTENER_ARN", fx.live, "TEST_LISTENER_ARN", fx.test,
                "TARGET_GROUP_ARNS", fx.blueGroup + "," + fx.greenGroup);
        handler = new ControllerHandler(fx.controllerEcs(moto), fx.controllerListeners(moto),
                new CodePipelineJobResults(moto.client(CodePipelineClient.builder(), codePipeline.endpoint())), env::get,
                Clock.systemUTC(), System::nanoTime, d -> Thread.sleep(d.toMillis()), Duration.ofMillis(100));
    }

    @AfterEach
    void tearDown() {
        fx.close();
        codePipeline.close();
    }

    /** The events/ payload with these UserParameters and, when not null, a continuation token. */
    static byte[] event(String userParameters, String continuationToken) throws Exception {
        ObjectNode root = (ObjectNode) MAPPER.readTree(EventFiles.read("codepipeline-controller-deploy.json"));
        ObjectNode data = (ObjectNode) root.path("CodePipeline.job").path("data");
        ((ObjectNode) data.path("actionConfiguration").path("configuration")).put("UserParameters", userParameters);
        if (continuationToken != null) {
            data.put("continuationToken", continuationToken);
        }
        return MAPPER.writeValueAsBytes(root);
    }

    static String parameters(String action, String extra) {
        return "{\"action\": \"" + action + "\", \"cluster\": \"prod\", \"service\": \"app\", \"image\": \"" + IMAGE + "\"" + extra + "}";
    }

    /** The last invocation's context: its log and metric lines. */
    private TestLambdaContext lastContext;

    String invoke(byte[] event, long timeoutMillis) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        lastContext = new TestLambdaContext(timeoutMillis);
        handler.handleRequest(new ByteArrayInputStream(event), out, lastContext);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Every line of a waiting and of a finished deploy is in the log schema or valid EMF, and counts the outcome. */
    @Test
    void theLogAndTheMetricsFollowTheSchema() throws Exception {
        fx.neverStabilises(RELEASE);
        invoke(event(parameters("deploy", ""), null), 14_000); // 8 s of work, then a continuation
        String token = codePipeline.next().body().path("continuationToken").asText();
        LogSchema.Lines waiting = LogSchema.check(lastContext.logLines(), ControllerHandler.SERVICE,
                lastContext.getAwsRequestId());
        assertEquals(List.of(1.0), waiting.values("Continued"), lastContext.log());
        assertEquals("app", waiting.lineOf("Continued").path("Service").asText());
        assertTrue(waiting.logs().stream().allMatch(l -> l.path("jobId").isTextual()), waiting.logs().toString());
        assertTrue(waiting.logs().stream().anyMatch(l -> "deploy".equals(l.path("action").asText())));

        fx.stabilises();
        invoke(event(parameters("deploy", ""), token), 60_000);
        codePipeline.next();
        LogSchema.Lines done = LogSchema.check(lastContext.logLines(), ControllerHandler.SERVICE,
                lastContext.getAwsRequestId());
        assertEquals(List.of(1.0), done.values("Succeeded"));
        assertEquals(1, done.values("Duration").size());
        assertTrue(done.values("RestoreIncomplete").isEmpty());
    }

    @Test
    void aDeployWhoseGreenFailsItsChecksReportsTheRollbackAsTheJobsFailure() throws Exception {
        com.sun.net.httpserver.HttpServer green = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        green.createContext("/", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        green.start();
        try {
            String checks = ", \"testUrl\": \"http://127.0.0.1:" + green.getAddress().getPort() + "\", \"checks\": "
                    + "[{\"name\": \"health\", \"path\": \"/health\", \"attempts\": 1, \"expect\": {\"status\": 200}}]";

            invoke(event(parameters("deploy", checks), null), 60_000);

            JobApi.Report failed = codePipeline.next();
            codePipeline.assertNothingMore();
            assertEquals("PutJobFailureResult", failed.operation());
            assertEquals("JobFailed", failed.body().path("failureDetails").path("type").asText());
            String message = failed.body().path("failureDetails").path("message").asText();
            assertTrue(message.startsWith("green failed its checks through the test listener ('health': "), message);
            assertTrue(message.contains("Its task set was scaled to 0 and deleted"), message);
            assertEquals(List.of("PRIMARY app-blue app:1"), fx.taskSets());
            assertEquals("app-blue", fx.routing(fx.live));
            assertEquals("app-blue", fx.routing(fx.test));
            LogSchema.Lines lines = LogSchema.check(lastContext.logLines(), ControllerHandler.SERVICE,
                    lastContext.getAwsRequestId());
            assertEquals(List.of(1.0), lines.values("Failed"), lastContext.log());
            assertTrue(lines.logs().stream().anyMatch(l -> l.path("message").asText().startsWith("  check 'health' attempt 1/1: ")),
                    lastContext.log());
        } finally {
            green.stop(0);
        }
    }

    @Test
    void aCanaryPromoteHandsItsBakeOverInTheContinuationTokenAndTheNextJobFinishesIt() throws Exception {
        invoke(event(parameters("deploy", ""), null), 60_000);
        assertFalse(codePipeline.next().continues());
        // the wall clock the bake counts on runs ahead when the test says, so that a 10-minute bake takes no time
        java.util.concurrent.atomic.AtomicLong ahead = new java.util.concurrent.atomic.AtomicLong();
        Map<String, String> env = Map.of("LIVE_LISTENER_ARN", fx.live, "TEST_LISTENER_ARN", fx.test,
                "TARGET_GROUP_ARNS", fx.blueGroup + "," + fx.greenGroup);
        handler = new ControllerHandler(fx.controllerEcs(moto), fx.controllerListeners(moto),
                new CodePipelineJobResults(moto.client(CodePipelineClient.builder(), codePipeline.endpoint())), env::get,
                dev.ecsbluegreen.testing.TestClocks.utc(() -> java.time.Instant.now().plusMillis(ahead.get())),
                System::nanoTime, d -> Thread.sleep(d.toMillis()), Duration.ofMillis(100));
        String canary = ", \"strategy\": {\"type\": \"canary\", \"percent\": 10, \"bakeSeconds\": 600}";

        // 18 s of invocation: 6 are the report's and the promote keeps 10 s for a restore, so it bakes about a second
        invoke(event(parameters("promote", canary), null), 18_000);

        JobApi.Report baking = codePipeline.next();
        codePipeline.assertNothingMore();
        assertTrue(baking.continues(), baking.body().toString());
        assertTrue(baking.body().path("executionDetails").path("summary").asText()
                .startsWith("step 1 of 2 (live 10 % to green): baking "), baking.body().toString());
        String token = baking.body().path("continuationToken").asText();
        ContinuationToken decoded = ContinuationToken.decode(token, MAPPER);
        assertEquals("promote", decoded.action());
        assertEquals(1, decoded.baking().step());
        assertTrue(MAPPER.readTree(token).path("stepSince").isNumber(), token);
        assertEquals("app-blue,app-green", fx.routing(fx.live), "live is at the canary's weights between the jobs");

        java.util.function.LongSupplier liveWrites = () -> fx.proxy.calls().stream()
                .filter(c -> "ModifyListener".equals(c.action()) && fx.live.equals(c.param("ListenerArn"))).count();
        assertEquals(1, liveWrites.getAsLong(), "the first job wrote the canary's weights");
        ahead.addAndGet(600_000);
        invoke(event(parameters("promote", canary), token), 60_000);

        JobApi.Report done = codePipeline.next();
        codePipeline.assertNothingMore();
        assertEquals("PutJobSuccessResult", done.operation());
        assertFalse(done.continues(), done.body().toString());
        assertEquals("app-green", fx.routing(fx.live));
        assertEquals("app-blue", fx.routing(fx.test));
        assertEquals(List.of("ACTIVE app-blue app:1", "PRIMARY app-green app:2"), fx.taskSets());
        assertEquals(2, liveWrites.getAsLong(), "the continuation wrote live once, to green, and not the weights again");
    }

    @Test
    void aDeployStillWaitingContinuesWithATokenAndFinishesWithOutputVariables() throws Exception {
        fx.neverStabilises(RELEASE);

        // 8 s of invocation: 6 s are the report's, so the run waits about a second, then hands over to a continuation
        invoke(event(parameters("deploy", ""), null), 8_000);

        JobApi.Report waiting = codePipeline.next();
        codePipeline.assertNothingMore();
        assertEquals("PutJobSuccessResult", waiting.operation());
        assertTrue(waiting.continues(), waiting.body().toString());
        assertFalse(waiting.body().has("outputVariables"), "output variables belong on the final result only");
        assertTrue(waiting.body().path("executionDetails").path("summary").asText().startsWith("waiting: green ecs-svc/"),
                waiting.body().toString());
        String token = waiting.body().path("continuationToken").asText();
        assertTrue(token.length() <= 2048);
        ContinuationToken decoded = ContinuationToken.decode(token, MAPPER);
        assertEquals("deploy", decoded.action());
        assertEquals(RELEASE, decoded.release());
        assertEquals("app-blue", fx.routing(fx.test), "the test listener moves only once green is steady");

        fx.stabilises();
        invoke(event(parameters("deploy", ""), token), 60_000);

        JobApi.Report done = codePipeline.next();
        codePipeline.assertNothingMore();
        assertEquals("PutJobSuccessResult", done.operation());
        assertFalse(done.continues(), done.body().toString());
        assertEquals(RELEASE, done.body().path("outputVariables").path("release").asText());
        assertEquals(100, done.body().path("executionDetails").path("percentComplete").asInt());
        assertEquals("app-green", fx.routing(fx.test));
        assertEquals(1, fx.proxy.count("CreateTaskSet"), "the continuation reused the task set of the first invocation");
    }

    @Test
    void aContinuedDeployPastItsWaitRollsGreenBackAndReportsTheFailure() throws Exception {
        fx.neverStabilises(RELEASE);
        invoke(event(parameters("deploy", ", \"waitTimeoutSeconds\": 60"), null), 8_000);
        assertTrue(codePipeline.next().continues());
        String started11MinutesAgo = new ContinuationToken("deploy", RELEASE, System.currentTimeMillis() - 660_000).encode(MAPPER);

        invoke(event(parameters("deploy", ", \"waitTimeoutSeconds\": 60"), started11MinutesAgo), 60_000);

        JobApi.Report failed = codePipeline.next();
        codePipeline.assertNothingMore();
        assertEquals("PutJobFailureResult", failed.operation());
        assertEquals("JobFailed", failed.body().path("failureDetails").path("type").asText());
        assertTrue(failed.body().path("failureDetails").path("message").asText()
                .startsWith("green did not reach STEADY_STATE within 60 s"), failed.body().toString());
        assertEquals(List.of("PRIMARY app-blue app:1"), fx.taskSets());
        assertEquals("app-blue", fx.routing(fx.live));
    }

    @Test
    void promoteAndCleanupReportOnceEachWithTheReleaseAsOutput() throws Exception {
        invoke(event(parameters("deploy", ""), null), 60_000);
        codePipeline.next();
        invoke(event(parameters("promote", ""), null), 60_000);
        JobApi.Report promoted = codePipeline.next();
        assertEquals("PutJobSuccessResult", promoted.operation());
        assertEquals(RELEASE, promoted.body().path("outputVariables").path("release").asText());
        assertEquals("app-green", fx.routing(fx.live));

        invoke(event("{\"action\": \"cleanup\", \"cluster\": \"prod\", \"service\": \"app\", \"release\": \"" + RELEASE + "\"}", null), 60_000);

        JobApi.Report cleaned = codePipeline.next();
        codePipeline.assertNothingMore();
        assertFalse(cleaned.continues());
        assertEquals(List.of("PRIMARY app-green app:2"), fx.taskSets());
    }

    @Test
    void cleanupWaitsThroughAContinuationBeforeDeletingAnything() throws Exception {
        invoke(event(parameters("deploy", ""), null), 60_000);
        invoke(event(parameters("promote", ""), null), 60_000);
        codePipeline.next();
        codePipeline.next();

        invoke(event(parameters("cleanup", ", \"cleanupWaitSeconds\": 600"), null), 8_000);

        JobApi.Report waiting = codePipeline.next();
        assertTrue(waiting.continues());
        assertTrue(waiting.body().path("executionDetails").path("summary").asText().startsWith("cleanup waits "), waiting.body().toString());
        assertEquals(2, fx.taskSets().size(), "nothing is deleted before the wait is over");
        String waitedEnough = new ContinuationToken("cleanup", RELEASE, System.currentTimeMillis() - 601_000).encode(MAPPER);

        invoke(event(parameters("cleanup", ", \"cleanupWaitSeconds\": 600"), waitedEnough), 60_000);

        assertFalse(codePipeline.next().continues());
        assertEquals(List.of("PRIMARY app-green app:2"), fx.taskSets());
    }

    @Test
    void unusableUserParametersAreAConfigurationErrorAndTouchNothing() throws Exception {
        invoke(event("{\"action\": \"deploy\", \"cluster\": \"prod\"}", null), 60_000);

        JobApi.Report failed = codePipeline.next();
        codePipeline.assertNothingMore();
        assertEquals("PutJobFailureResult", failed.operation());
        assertEquals("ConfigurationError", failed.body().path("failureDetails").path("type").asText());
        assertTrue(failed.body().path("failureDetails").path("message").asText().contains("no service given"), failed.body().toString());
        assertEquals(List.of(), fx.proxy.actions(), "no AWS call for a job that cannot be acted on");
    }

    @Test
    void anEcsThatDoesNotAnswerStillGetsTheJobReportedBeforeTheDeadline() throws Exception {
        fx.proxy.on("DescribeServices").delay(Duration.ofSeconds(30));
        long start = System.nanoTime();

        invoke(event(parameters("deploy", ""), null), 12_000);

        JobApi.Report failed = codePipeline.next();
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(12)) < 0, "reported after the deadline");
        assertEquals("PutJobFailureResult", failed.operation());
        assertTrue(failed.body().path("failureDetails").path("message").asText().contains("ecs:DescribeServices"), failed.body().toString());
        codePipeline.assertNothingMore();
        assertEquals(List.of("PRIMARY app-blue app:1"), fx.taskSets());
    }

    @Test
    void aReportThatDoesNotGoThroughFailsTheInvocationSoThatLambdaRetries() throws Exception {
        codePipeline.failNext(3);

        assertThrows(AwsCallException.class, () -> invoke(event(parameters("status", ""), null), 60_000));
    }

    @Test
    void aRetriedDeliveryOfAFailedPromoteWhoseReportWasLostChangesNothingAndReportsTheFailure() throws Exception {
        invoke(event(parameters("deploy", ""), null), 60_000);
        assertFalse(codePipeline.next().continues());
        // the live listener's write lands and its answers are lost: the promote puts the routing back and fails;
        // then its failure report does not go through either, so the invocation fails and Lambda delivers it again
        fx.proxy.on("ModifyListener").where(c -> fx.live.equals(c.param("ListenerArn"))).times(3)
                .landThenFail(500, "InternalFailure", "answer lost");
        codePipeline.failNext(3);
        byte[] promote = event(parameters("promote", ""), null);

        assertThrows(AwsCallException.class, () -> invoke(promote, 60_000));
        for (int i = 0; i < 3; i++) {
            assertEquals("PutJobFailureResult", codePipeline.next().operation(), "the SDK's attempts at the report");
        }
        assertEquals("app-blue", fx.routing(fx.live), "the first delivery put live back");
        LogSchema.Lines first = LogSchema.check(lastContext.logLines(), ControllerHandler.SERVICE, lastContext.getAwsRequestId());
        assertEquals(List.of(1.0), first.values("Restored"), "its restore, confirmed by read-back, is counted");
        assertEquals(List.of(1.0), first.values("ReportFailed"), lastContext.log());
        assertTrue(first.values("RestoreIncomplete").isEmpty());
        String serviceArn = fx.ecs.describeServices(b -> b.cluster(EcsFixture.CLUSTER).services(EcsFixture.SERVICE))
                .services().get(0).serviceArn();
        String jobId = MAPPER.readTree(promote).path("CodePipeline.job").path("id").asText();
        assertEquals(List.of(Tags.FAILED_JOB + "=" + jobId), fx.ecs.listTagsForResource(b -> b.resourceArn(serviceArn)).tags()
                .stream().map(t -> t.key() + "=" + t.value()).toList());
        long writesBefore = fx.writes().size();

        invoke(promote, 60_000);

        JobApi.Report again = codePipeline.next();
        codePipeline.assertNothingMore();
        assertEquals("PutJobFailureResult", again.operation());
        assertEquals(ControllerHandler.ALREADY_FAILED, again.body().path("failureDetails").path("message").asText());
        assertEquals(writesBefore, fx.writes().size(), "the retry wrote nothing: " + fx.writes());
        assertEquals("app-blue", fx.routing(fx.live));

        // a new job (the stage run again) promotes as usual once ELB answers again
        ObjectNode next = (ObjectNode) MAPPER.readTree(promote);
        ((ObjectNode) next.path("CodePipeline.job")).put("id", "55555555-abcd-4444-abcd-444444abcdef");
        invoke(MAPPER.writeValueAsBytes(next), 60_000);
        assertEquals("PutJobSuccessResult", codePipeline.next().operation());
        assertEquals("app-green", fx.routing(fx.live));
    }

    @Test
    void anEventWithoutAJobIdFailsTheInvocationAndReportsNothing() throws Exception {
        assertThrows(IllegalArgumentException.class,
                () -> invoke("{\"hello\": 1}".getBytes(StandardCharsets.UTF_8), 60_000));
        codePipeline.assertNothingMore();
    }
}
