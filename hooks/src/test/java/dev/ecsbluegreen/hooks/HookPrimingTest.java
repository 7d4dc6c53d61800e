package dev.ecsbluegreen.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.analysis.gate.TargetHealthSource;
import dev.ecsbluegreen.analysis.gate.TaskCountsSource;
import dev.ecsbluegreen.analysis.metrics.AlarmSource;
import dev.ecsbluegreen.analysis.metrics.MetricDataSource;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.hooks.aws.AwsAdapters;
import dev.ecsbluegreen.hooks.codedeploy.DeploymentTopology;
import dev.ecsbluegreen.hooks.codedeploy.HookReporter;
import dev.ecsbluegreen.hooks.ecs.ServiceRoutingSource;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** SnapStart priming runs whole hook invocations on canned answers and touches nothing of the real function's. */
class HookPrimingTest {
    private static final ObjectMapper JSON = Json.newMapper();

    @Test
    void primingRunsAWholeInvocationOfEachTriggerOnCannedAnswers() throws Exception {
        HookPriming.Primed primed = HookPriming.run();

        JsonNode codeDeploy = JSON.readTree(primed.codeDeployAnswer());
        assertEquals("Succeeded", codeDeploy.path("status").asText(), primed.codeDeployAnswer());
        assertEquals("REPORTED", codeDeploy.path("report").asText());
        assertEquals(List.of("Succeeded"), primed.reportedStatuses());
        // discovery, both gates, the report last
        List<String> operations = primed.awsOperations();
        assertTrue(operations.containsAll(List.of("codedeploy:GetDeployment", "codedeploy:GetDeploymentGroup",
                "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancers",
                "elasticloadbalancing:DescribeTargetHealth", "ecs:DescribeServices",
                "codedeploy:PutLifecycleEventHookExecutionStatus")), operations.toString());
        assertEquals("codedeploy:PutLifecycleEventHookExecutionStatus",
                operations.stream().filter(o -> o.startsWith("codedeploy:")).reduce((a, b) -> b).orElseThrow());

        JsonNode ecs = JSON.readTree(primed.ecsAnswer());
        assertEquals("SUCCEEDED", ecs.path("hookStatus").asText(), primed.ecsAnswer());

        // the default check through the discovered test listener, the ECS hook's checks through hookDetails.baseUrl
        assertTrue(primed.greenRequests().containsAll(List.of("GET /", "GET /health?priming=1", "POST /orders")),
                primed.greenRequests().toString());
        assertEquals(2, primed.greenRequests().stream().filter("POST /orders"::equals).count(), "the burst's two requests");
        assertEquals(0, primed.connectionsLeft(), "the priming client's pool is emptied");
    }

    @Test
    void withoutGreenThePrimingStillRunsEveryCallAndReportsFailed() throws Exception {
        HookPriming.Primed primed = HookPriming.run(false);

        assertEquals(List.of("Failed"), primed.reportedStatuses(), primed.codeDeployAnswer());
        assertEquals(List.of(), primed.greenRequests());
        assertTrue(primed.awsOperations().containsAll(List.of("codedeploy:GetDeployment",
                "elasticloadbalancing:DescribeListeners", "codedeploy:PutLifecycleEventHookExecutionStatus")),
                primed.awsOperations().toString());
        // a failed ECS validation inside the retry window: ECS is asked to call again
        assertEquals("IN_PROGRESS", JSON.readTree(primed.ecsAnswer()).path("hookStatus").asText(), primed.ecsAnswer());
        assertEquals(0, primed.connectionsLeft());
    }

    @Test
    void beforeCheckpointPrimesWithoutTheFunctionsClientsAndEmptiesItsConnectionPool() throws Exception {
        AwsAdapters untouchable = new AwsAdapters(untouchable(DeploymentTopology.class),
                untouchable(HookReporter.class), untouchable(TargetHealthSource.class), untouchable(TaskCountsSource.class),
                untouchable(ServiceRoutingSource.class), untouchable(AlarmSource.class), untouchable(MetricDataSource.class));
        OkHttpClient http = new OkHttpClient();
        try (MockWebServer earlier = new MockWebServer()) {
            earlier.enqueue(new MockResponse.Builder().body("ok").build());
            earlier.start();
            // a connection the function's own client keeps from an invocation before the checkpoint
            try (Response response = http.newCall(new Request.Builder().url(earlier.url("/")).build()).execute()) {
                response.body().string();
            }
            assertEquals(1, http.connectionPool().connectionCount());
            HookHandler handler = new HookHandler(name -> {
                throw new AssertionError("priming read the function's environment: " + name);
            }, untouchable, http, duration -> {
                throw new AssertionError("priming used the function's sleeper");
            }, Clock.systemUTC());

            handler.beforeCheckpoint(null);
            assertEquals(0, http.connectionPool().connectionCount(), "pooled connections are closed before the snapshot");
            assertEquals(1, earlier.getRequestCount(), "priming sent nothing through the function's client");

            handler.afterRestore(null);
        }
    }

    private <T> T untouchable(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    throw new AssertionError("priming called the function's " + type.getSimpleName() + ": "
                            + method.getName());
                }));
    }
}
