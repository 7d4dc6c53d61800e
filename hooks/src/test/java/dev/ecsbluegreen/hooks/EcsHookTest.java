package dev.ecsbluegreen.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.analysis.check.http.OkHttpProbe;
import dev.ecsbluegreen.analysis.gate.Gate;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.hooks.ecs.EcsHook;
import dev.ecsbluegreen.hooks.ecs.EcsStage;
import dev.ecsbluegreen.testing.EventFiles;
import dev.ecsbluegreen.testing.TestLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Amazon ECS's own blue/green hook requests: the return value is the protocol. */
class EcsHookTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final Instant NOW = Instant.parse("2026-11-22T05:00:00Z");

    private final MockWebServer green = new MockWebServer();
    private final Map<String, String> env = new HashMap<>();
    private final List<String> countedServices = new ArrayList<>();
    private Gate.TaskCounts counts = new Gate.TaskCounts("primary deployment ecs-svc/1", 2, 2);

    @BeforeEach
    void start() throws IOException {
        green.start();
        env.put("TARGET_BASE_URL", green.url("/").toString());
        env.put("CHECKS", "[{\"name\":\"health\",\"path\":\"/health\",\"attempts\":1}]");
    }

    @AfterEach
    void stop() {
        green.close();
    }

    private JsonNode invoke(JsonNode event, TestLambdaContext context) throws IOException {
        HookHandler handler = new HookHandler(env::get,
                id -> {
                    throw new AssertionError("no CodeDeploy discovery for ECS requests");
                },
                (deploymentId, executionId, succeeded, within) -> {
                    throw new AssertionError("ECS requests are answered by the return value, not reported to CodeDeploy");
                },
                tg -> List.of(),
                (cluster, service, tg) -> {
                    countedServices.add(cluster + "/" + service);
                    return counts;
                },
                new OkHttpProbe(), d -> { }, Clock.fixed(NOW, ZoneOffset.UTC));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, context);
        return JSON.readTree(out.toByteArray());
    }

    private JsonNode invoke(JsonNode event) throws IOException {
        return invoke(event, new TestLambdaContext(30_000));
    }

    private static ObjectNode fixture(String name) throws IOException {
        return (ObjectNode) JSON.readTree(EventFiles.read(name));
    }

    private static ObjectNode atStage(EcsStage stage) throws IOException {
        ObjectNode event = fixture("ecs-hook-post-test-traffic-shift.json");
        event.put("lifecycleStage", stage.name());
        return event;
    }

    private void greenAnswers(int status) {
        green.enqueue(new MockResponse.Builder().code(status).body("x").build());
    }

    @Test
    void succeedsAtPostTestTrafficShiftWhenGreenPasses() throws Exception {
        greenAnswers(200);
        TestLambdaContext context = new TestLambdaContext(30_000);

        JsonNode answer = invoke(fixture("ecs-hook-post-test-traffic-shift.json"), context);

        assertEquals(JSON.readTree("{\"hookStatus\":\"SUCCEEDED\"}"), answer);
        assertEquals("/health", green.takeRequest().getTarget());
        JsonNode summary = CodeDeployReportingTest.logLine(context, "hook-verdict");
        assertEquals("a635edb5-a66b-4f44-bf3f-fcee4b3641a5", summary.path("executionId").asText());
        assertEquals("POST_TEST_TRAFFIC_SHIFT", summary.path("stage").asText());
        assertEquals("SUCCEEDED", summary.path("verdict").asText());
    }

    @ParameterizedTest
    @EnumSource(EcsStage.class)
    void testsGreenAtEveryStageWhereItTakesTrafficAndPassesTheOthers(EcsStage stage) throws Exception {
        greenAnswers(200);

        JsonNode answer = invoke(atStage(stage));

        assertEquals("SUCCEEDED", answer.path("hookStatus").asText());
        assertEquals(stage.listener() == null ? 0 : 1, green.getRequestCount(), stage.name());
    }

    @Test
    void answersInProgressWithItsStateWhenGreenFailsWithinTheRetryWindow() throws Exception {
        greenAnswers(503);

        JsonNode answer = invoke(fixture("ecs-hook-post-test-traffic-shift.json"));

        assertEquals("IN_PROGRESS", answer.path("hookStatus").asText());
        assertEquals(30, answer.path("callBackDelay").asInt());
        JsonNode state = answer.path("hookDetails").path(EcsHook.STATE);
        assertEquals(NOW.toEpochMilli(), state.path("startedAtEpochMillis").asLong());
        assertEquals(2, state.path("round").asInt());
        assertTrue(state.path("lastFailure").asText().contains("status 503"), state.toString());
    }

    @Test
    void continuesFromTheHookDetailsOfThePreviousCall() throws Exception {
        long started = NOW.minus(Duration.ofMinutes(4)).toEpochMilli();
        ObjectNode event = fixture("ecs-hook-post-test-traffic-shift.json");
        event.putObject("hookDetails").putObject(EcsHook.STATE).put("startedAtEpochMillis", started).put("round", 3);
        greenAnswers(503);
        greenAnswers(200);

        JsonNode stillFailing = invoke(event);
        JsonNode nowPassing = invoke(event);

        assertEquals("IN_PROGRESS", stillFailing.path("hookStatus").asText());
        assertEquals(started, stillFailing.path("hookDetails").path(EcsHook.STATE).path("startedAtEpochMillis").asLong());
        assertEquals(4, stillFailing.path("hookDetails").path(EcsHook.STATE).path("round").asInt());
        assertEquals("SUCCEEDED", nowPassing.path("hookStatus").asText());
    }

    @Test
    void keepsTheServiceConfiguredBaseUrlAcrossInProgressRounds() throws Exception {
        // the service's lifecycle hook configures baseUrl; ECS hands back only what the last answer returned
        env.remove("TARGET_BASE_URL");
        ObjectNode event = fixture("ecs-hook-post-test-traffic-shift.json");
        event.putObject("hookDetails").put("baseUrl", green.url("/configured").toString()).put("team", "shop");
        for (int round = 1; round <= 3; round++) {
            greenAnswers(503);

            JsonNode answer = invoke(event);

            assertEquals("IN_PROGRESS", answer.path("hookStatus").asText(), "round " + round);
            assertEquals("/configured/health", green.takeRequest().getTarget(), "round " + round);
            JsonNode returned = answer.path("hookDetails");
            assertEquals(green.url("/configured").toString(), returned.path("baseUrl").asText());
            assertEquals("shop", returned.path("team").asText());
            assertEquals(round + 1, returned.path(EcsHook.STATE).path("round").asInt());
            event.set("hookDetails", returned.deepCopy());
        }
        greenAnswers(200);

        assertEquals("SUCCEEDED", invoke(event).path("hookStatus").asText());
        assertEquals("/configured/health", green.takeRequest().getTarget());
    }

    @Test
    void showsNoSecretOfTheHooksBaseUrlInTheLogOrTheFailureItReturns() throws Exception {
        env.remove("TARGET_BASE_URL");
        env.put("CHECKS", "[{\"name\":\"health\",\"path\":\"/health?access_token=tok-3e8f\",\"attempts\":1}]");
        String configured = "http://svc:hd-pw-91ab@localhost:" + green.getPort();
        ObjectNode event = fixture("ecs-hook-post-test-traffic-shift.json");
        event.putObject("hookDetails").put("baseUrl", configured);
        green.enqueue(new MockResponse.Builder().code(302)
                .addHeader("Location", "http://127.0.0.1:1/?sig=sig-7d01").build());
        env.put("CHECKS", "[{\"name\":\"health\",\"path\":\"/health?access_token=tok-3e8f\",\"attempts\":1,"
                + "\"followRedirects\":true}]");
        TestLambdaContext context = new TestLambdaContext(30_000);

        JsonNode answer = invoke(event, context);

        assertEquals("IN_PROGRESS", answer.path("hookStatus").asText());
        String lastFailure = answer.path("hookDetails").path(EcsHook.STATE).path("lastFailure").asText();
        assertTrue(lastFailure.contains("sig=***"), lastFailure);
        for (String secret : List.of("hd-pw-91ab", "tok-3e8f", "sig-7d01")) {
            assertFalse(context.log().contains(secret), secret + " in the log:\n" + context.log());
            assertFalse(lastFailure.contains(secret), secret + " in " + lastFailure);
        }
        // the service's own hookDetails go back to ECS as they came: the next round needs the real URL
        assertEquals(configured, answer.path("hookDetails").path("baseUrl").asText());
    }

    @Test
    void failsOnceTheRetryWindowHasPassed() throws Exception {
        ObjectNode event = fixture("ecs-hook-post-test-traffic-shift.json");
        event.putObject("hookDetails").putObject(EcsHook.STATE)
                .put("startedAtEpochMillis", NOW.minus(Duration.ofMinutes(10)).toEpochMilli()).put("round", 20);
        greenAnswers(503);

        JsonNode answer = invoke(event);

        assertEquals(JSON.readTree("{\"hookStatus\":\"FAILED\"}"), answer);
    }

    @Test
    void testsProductionTrafficShiftAtTheUrlGivenInTheHooksDetails() throws Exception {
        ObjectNode event = fixture("ecs-hook-production-traffic-shift.json");
        ((ObjectNode) event.get("hookDetails")).put("baseUrl", green.url("/prod").toString());
        env.put("TARGET_BASE_URL", "http://test-listener.invalid:8080");
        greenAnswers(200);

        JsonNode answer = invoke(event);

        assertEquals("SUCCEEDED", answer.path("hookStatus").asText());
        assertEquals("/prod/health", green.takeRequest().getTarget());
    }

    @Test
    void answersARollbackCallWithoutTestingGreen() throws Exception {
        TestLambdaContext context = new TestLambdaContext(30_000);

        JsonNode answer = invoke(fixture("ecs-hook-rollback.json"), context);

        assertEquals("SUCCEEDED", answer.path("hookStatus").asText());
        assertEquals(0, green.getRequestCount());
        assertTrue(CodeDeployReportingTest.logLine(context, "hook-verdict").path("reason").asText().startsWith("rollback"));
    }

    @Test
    void answersARollbackCallEvenWhenTheConfigurationIsBroken() throws Exception {
        env.put("CHECKS", "not json");

        assertEquals("SUCCEEDED", invoke(fixture("ecs-hook-rollback.json")).path("hookStatus").asText());
        assertEquals("FAILED", invoke(fixture("ecs-hook-post-test-traffic-shift.json")).path("hookStatus").asText());
    }

    @Test
    void failsAtOnceWithoutABaseUrlBecauseRetryingCannotHelp() throws Exception {
        env.remove("TARGET_BASE_URL");
        TestLambdaContext context = new TestLambdaContext(30_000);

        JsonNode answer = invoke(fixture("ecs-hook-post-test-traffic-shift.json"), context);

        assertEquals("FAILED", answer.path("hookStatus").asText());
        assertTrue(CodeDeployReportingTest.logLine(context, "hook-verdict").path("reason").asText().contains("TARGET_BASE_URL"));
    }

    @Test
    void failsAnUnknownStage() throws Exception {
        ObjectNode event = fixture("ecs-hook-post-test-traffic-shift.json");
        event.put("lifecycleStage", "BAKE_TIME");

        assertEquals("FAILED", invoke(event).path("hookStatus").asText());
        assertEquals(0, green.getRequestCount());
    }

    @Test
    void runsTheTaskCountGateOnTheRequestsServiceWhenGatesAreConfigured() throws Exception {
        env.put("GATES", "TASK_COUNTS");
        counts = new Gate.TaskCounts("primary deployment ecs-svc/1", 4, 1);

        JsonNode answer = invoke(atStage(EcsStage.POST_SCALE_UP));

        assertEquals("IN_PROGRESS", answer.path("hookStatus").asText());
        assertEquals(List.of("shop-cluster/web"), countedServices);
        assertTrue(answer.path("hookDetails").path(EcsHook.STATE).path("lastFailure").asText()
                .contains("runs 1 of 4 tasks"));
        assertEquals(0, green.getRequestCount());
    }

    @Test
    void recognisesRollbackOnlyWhenGreensWeightIsZeroWhileAnotherRevisionHasTraffic() throws Exception {
        JsonNode forward = fixture("ecs-hook-production-traffic-shift.json").path("executionDetails");
        JsonNode back = fixture("ecs-hook-rollback.json").path("executionDetails");
        JsonNode empty = fixture("ecs-hook-post-test-traffic-shift.json").path("executionDetails");

        assertFalse(EcsHook.isRollback(EcsStage.PRODUCTION_TRAFFIC_SHIFT, forward));
        assertTrue(EcsHook.isRollback(EcsStage.PRODUCTION_TRAFFIC_SHIFT, back));
        assertTrue(EcsHook.isRollback(EcsStage.TEST_TRAFFIC_SHIFT, back));
        assertFalse(EcsHook.isRollback(EcsStage.POST_TEST_TRAFFIC_SHIFT, empty));
    }
}
