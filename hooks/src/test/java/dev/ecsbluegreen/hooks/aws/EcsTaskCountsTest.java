package dev.ecsbluegreen.hooks.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.analysis.gate.Gate;
import dev.ecsbluegreen.hooks.WireClients;
import java.io.IOException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Task-set counts as ECS sends them during a CodeDeploy deployment (moto keeps none, so a local server
 * speaks ECS's JSON protocol here).
 */
class EcsTaskCountsTest {
    private static final String BLUE = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-blue/0e5b1f6c2b7a9d41";
    private static final String GREEN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-green/7c1d2e3f4a5b6c7d";
    private final MockWebServer ecsEndpoint = new MockWebServer();
    private EcsClient ecs;

    @BeforeEach
    void start() throws IOException {
        ecsEndpoint.start();
        ecs = WireClients.at(ecsEndpoint.url("/").uri(), EcsClient.builder());
    }

    @AfterEach
    void stop() {
        ecs.close();
        ecsEndpoint.close();
    }

    private void serviceWithGreenRunning(int running) {
        ecsEndpoint.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-amz-json-1.1")
                .body("""
                        {"services": [{"serviceName": "web", "status": "ACTIVE", "desiredCount": 3,
                          "deploymentController": {"type": "CODE_DEPLOY"},
                          "taskSets": [
                            {"id": "ecs-svc/1111111111111111111", "status": "PRIMARY", "computedDesiredCount": 3,
                             "runningCount": 3, "pendingCount": 0, "loadBalancers": [{"targetGroupArn": "%s"}]},
                            {"id": "ecs-svc/2222222222222222222", "status": "ACTIVE", "computedDesiredCount": 3,
                             "runningCount": %d, "pendingCount": %d, "loadBalancers": [{"targetGroupArn": "%s"}]}],
                          "deployments": []}],
                         "failures": []}""".formatted(BLUE, running, 3 - running, GREEN))
                .build());
    }

    @Test
    void passesWhenTheGreenTaskSetRunsAllItsTasks() throws Exception {
        serviceWithGreenRunning(3);

        Gate.TaskCounts counts = new EcsTaskCounts(ecs).green("shop-cluster", "web", GREEN);

        assertEquals(new Gate.TaskCounts("task set ecs-svc/2222222222222222222 (ACTIVE)", 3, 3), counts);
        assertTrue(Gate.judgeCounts(counts).passed());
        RecordedRequest request = ecsEndpoint.takeRequest();
        assertEquals("AmazonEC2ContainerServiceV20141113.DescribeServices", request.getHeaders().get("X-Amz-Target"));
        assertEquals("{\"cluster\":\"shop-cluster\",\"services\":[\"web\"]}", request.getBody().utf8());
    }

    @Test
    void failsWhileTheGreenTaskSetIsStillStartingTasks() {
        serviceWithGreenRunning(1);

        Gate.TaskCounts counts = new EcsTaskCounts(ecs).green("shop-cluster", "web", GREEN);

        assertFalse(Gate.judgeCounts(counts).passed());
        assertEquals("task set ecs-svc/2222222222222222222 (ACTIVE) runs 1 of 3 tasks", Gate.judgeCounts(counts).detail());
    }
}
