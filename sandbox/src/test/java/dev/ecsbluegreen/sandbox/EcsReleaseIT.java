package dev.ecsbluegreen.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecsbluegreen.sandbox.aws.Emulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;

/**
 * The sandbox playing Amazon ECS against moto and the local listeners, with a hook that answers as scripted (the
 * real hook function runs in {@link SandboxIT}): the order of the calls, the weights each carries, the rules ECS
 * moves, IN_PROGRESS and a rollback.
 */
class EcsReleaseIT {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @Test
    void aHookFailingTheFirstProductionShiftRollsBothRulesBackToBlueAndIsCalledOnceMoreWithGreenAtZero() throws Exception {
        Release.Result result;
        List<EcsRelease.Call> calls;
        try (SandboxEnvironment env = SandboxEnvironment.start(Sandbox.repositoryRoot(), DemoApp.Mode.HEALTHY)) {
            EcsRelease release = new EcsRelease(env, ReleaseStrategy.ECS_LINEAR, answering(request ->
                    request.path("lifecycleStage").asText().equals("PRODUCTION_TRAFFIC_SHIFT") && green(request, "productionTrafficWeights") == 33
                            ? "{\"hookStatus\":\"FAILED\"}" : "{\"hookStatus\":\"SUCCEEDED\"}"), null, print(), false);

            result = release.run();
            calls = release.calls();

            Routing routing = env.emulator().read();
            assertEquals(0, release.greenPercent(routing, Emulator.LIVE_PORT));
            assertEquals(0, release.greenPercent(routing, Emulator.TEST_PORT));
            HttpResponse<String> live = HttpClient.newHttpClient().send(HttpRequest.newBuilder(env.dataPlane().url(Emulator.LIVE_PORT)
                    .resolve("/")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("hello from blue v1\n", live.body());
        }

        assertFalse(result.released());
        assertTrue(result.rolledBack(), printed::toString);
        assertEquals("step 1: PRODUCTION_TRAFFIC_SHIFT (33 %)", result.stoppedAt());
        assertEquals(List.of("POST_TEST_TRAFFIC_SHIFT 0", "PRE_PRODUCTION_TRAFFIC_SHIFT 0", "PRODUCTION_TRAFFIC_SHIFT 33",
                "PRODUCTION_TRAFFIC_SHIFT 0"), calls.stream()
                .map(call -> call.stage() + " " + green(call.request(), "productionTrafficWeights")).toList());
        JsonNode rollback = calls.get(3).request().path("executionDetails");
        assertEquals(0, green(calls.get(3).request(), "testTrafficWeights"), "the rollback call says test traffic left green too");
        assertEquals(100, rollback.path("productionTrafficWeights").properties().stream()
                .filter(e -> !e.getKey().equals(rollback.path("targetServiceRevisionArn").asText()))
                .mapToInt(e -> e.getValue().asInt()).sum(), "blue's revision has the live traffic back");
        assertEquals(List.of("before the release", "POST_TEST_TRAFFIC_SHIFT", "step 1: PRE_PRODUCTION_TRAFFIC_SHIFT",
                "step 1: live rule to 33 %", "step 1: PRODUCTION_TRAFFIC_SHIFT", "rollback: live and test rules to blue",
                "rollback: PRODUCTION_TRAFFIC_SHIFT"), result.steps().stream().map(Release.Step::name).toList());
        assertEquals("v1", result.steps().get(result.steps().size() - 1).live().answer());
        assertTrue(Sandbox.conclusion(result, Sandbox.Options.parse(List.of("--ecs-linear"))).startsWith(
                "release FAILED at step 1: PRODUCTION_TRAFFIC_SHIFT (33 %); rolled back: live traffic is on app-blue"), printed::toString);
    }

    @Test
    void inProgressIsCalledAgainAfterItsDelayWithTheReturnedHookDetailsAndTheServiceNamesWhatTheHooksDiscover() throws Exception {
        Release.Result result;
        List<EcsRelease.Call> calls;
        LoadBalancer configured;
        Emulator.Created created;
        String liveRule;
        String testRule;
        String liveUrl;
        String testUrl;
        try (SandboxEnvironment env = SandboxEnvironment.start(Sandbox.repositoryRoot(), DemoApp.Mode.HEALTHY)) {
            created = env.created();
            int[] postTestCalls = {0};
            EcsRelease release = new EcsRelease(env, ReleaseStrategy.ECS_CANARY, answering(request -> {
                if (request.path("lifecycleStage").asText().equals("POST_TEST_TRAFFIC_SHIFT") && postTestCalls[0]++ == 0) {
                    return "{\"hookStatus\":\"IN_PROGRESS\",\"callBackDelay\":1,\"hookDetails\":{\"ecsBlueGreenValidation\":{\"round\":2}}}";
                }
                return "{\"hookStatus\":\"SUCCEEDED\"}";
            }), null, print(), false);

            result = release.run();
            calls = release.calls();
            liveUrl = env.dataPlane().url(Emulator.LIVE_PORT).toString();
            testUrl = env.dataPlane().url(Emulator.TEST_PORT).toString();
            liveRule = env.emulator().ruleArn(created.liveListenerArn(), "1");
            testRule = env.emulator().ruleArn(created.testListenerArn(), "1");
            assertEquals(100, release.greenPercent(env.emulator().read(), Emulator.LIVE_PORT));
            try (EcsClient ecs = EcsClient.builder().endpointOverride(env.moto().endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build()) {
                configured = ecs.describeServices(b -> b.cluster(env.names().cluster()).services(env.names().service()))
                        .services().get(0).loadBalancers().get(0);
            }
        }

        assertTrue(result.released(), printed::toString);
        assertEquals(List.of("POST_TEST_TRAFFIC_SHIFT 0", "POST_TEST_TRAFFIC_SHIFT 0", "PRE_PRODUCTION_TRAFFIC_SHIFT 0",
                "PRODUCTION_TRAFFIC_SHIFT 10", "PRE_PRODUCTION_TRAFFIC_SHIFT 10", "PRODUCTION_TRAFFIC_SHIFT 100",
                "POST_PRODUCTION_TRAFFIC_SHIFT 100"), calls.stream()
                .map(call -> call.stage() + " " + green(call.request(), "productionTrafficWeights")).toList());
        assertEquals(2, calls.get(1).request().path("hookDetails").path("ecsBlueGreenValidation").path("round").asInt(),
                "the second call carries the hook details the first returned");
        assertEquals(calls.get(0).request().path("executionDetails"), calls.get(1).request().path("executionDetails"));
        assertEquals("SUCCEEDED (2 calls)", result.steps().get(1).verdict());
        calls.forEach(call -> {
            assertTrue(call.request().path("resourceArn").asText().matches(
                    "arn:aws:ecs:us-east-1:123456789012:service-deployment/app-cluster[^/]*/web[^/]*/\\w+"), call.request()::toString);
            assertEquals(100, green(call.request(), "testTrafficWeights"));
        });
        assertEquals(testUrl, calls.get(0).environment().get("TARGET_BASE_URL"), "checks reach green through the test listener");
        assertEquals(liveUrl, calls.get(calls.size() - 1).environment().get("TARGET_BASE_URL"), "and through the live one at 100 %");
        assertEquals(EcsRelease.analysis(), calls.get(0).environment().get("ANALYSIS"));

        assertEquals(created.blueTargetGroupArn(), configured.targetGroupArn());
        assertEquals(created.greenTargetGroupArn(), configured.advancedConfiguration().alternateTargetGroupArn());
        assertEquals(liveRule, configured.advancedConfiguration().productionListenerRule());
        assertEquals(testRule, configured.advancedConfiguration().testListenerRule());
        assertTrue(configured.advancedConfiguration().roleArn().startsWith("arn:aws:iam::123456789012:role/"));
    }

    /** Green's weight in the request's {@code weights} ({@code executionDetails.<weights>[targetServiceRevisionArn]}). */
    private static int green(JsonNode request, String weights) {
        JsonNode details = request.path("executionDetails");
        return details.path(weights).path(details.path("targetServiceRevisionArn").asText()).asInt(-1);
    }

    private static EcsRelease.HookFunction answering(Function<JsonNode, String> script) {
        return (environment, request) -> {
            JsonNode parsed;
            try {
                parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(request);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            return new FunctionRunner.Invocation("scripted-hook", 0, script.apply(parsed), List.of(), Duration.ZERO);
        };
    }

    private PrintStream print() {
        return new PrintStream(printed, true, StandardCharsets.UTF_8);
    }
}
