package dev.ecsbluegreen.hooks.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.hooks.HookHandlerAccess;
import dev.ecsbluegreen.hooks.WireClients;
import dev.ecsbluegreen.hooks.http.OkHttpProbe;
import dev.ecsbluegreen.testing.Moto;
import dev.ecsbluegreen.testing.TestLambdaContext;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * BeforeAllowTraffic end to end: discovery and the target-health gate against moto, green as a local HTTP
 * server, the verdict on the wire to a local CodeDeploy endpoint (moto does not implement the report).
 */
class HookHandlerIT {
    @RegisterExtension
    static final Moto moto = new Moto();
    private static final ObjectMapper JSON = Json.newMapper();

    private final MockWebServer green = new MockWebServer();
    private final MockWebServer reports = new MockWebServer();
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        green.start();
        reports.start();
        reports.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-amz-json-1.1")
                .body("{\"lifecycleEventHookExecutionId\":\"exec-1\"}").build());
        env.put("HOOK_STAGE", "BeforeAllowTraffic");
        env.put("GATES", "TARGET_HEALTH");
        // the ALB's DNS name from moto resolves nowhere: green is reached at its local stand-in
        env.put("TARGET_BASE_URL", green.url("/").toString());
    }

    @AfterEach
    void stop() {
        green.close();
        reports.close();
    }

    private String reportedStatus(GreenEnvironment aws, String deploymentId, TestLambdaContext context) throws Exception {
        try (CodeDeployClient reportClient = WireClients.at(reports.url("/").uri(), CodeDeployClient.builder())) {
            JsonNode answer = HookHandlerAccess.invoke(env, new CodeDeployTopology(aws.codeDeploy, aws.elb),
                    new CodeDeployReporter(reportClient), new ElbTargetHealth(aws.elb),
                    new EcsTaskCounts(moto.client(EcsClient.builder())), new OkHttpProbe(),
                    "{\"DeploymentId\":\"" + deploymentId + "\",\"LifecycleEventHookExecutionId\":\"exec-1\"}", context);
            assertEquals(1, reports.getRequestCount());
            JsonNode body = JSON.readTree(reports.takeRequest().getBody().utf8());
            assertEquals(deploymentId, body.path("deploymentId").asText());
            assertEquals(body.path("status").asText(), answer.path("status").asText());
            return body.path("status").asText();
        }
    }

    @Test
    void reportsSucceededWhenGreenIsHealthyAndAnswers() throws Exception {
        try (GreenEnvironment aws = new GreenEnvironment(moto, TargetTypeEnum.IP)) {
            aws.elb.registerTargets(r -> r.targetGroupArn(aws.greenTargetGroupArn).targets(t -> t.id("10.0.1.7").port(8080)));
            String deploymentId = aws.deployment(List.of(aws.testListenerArn));
            green.enqueue(new MockResponse.Builder().code(200).body("ok").build());
            TestLambdaContext context = new TestLambdaContext(30_000);

            assertEquals("Succeeded", reportedStatus(aws, deploymentId, context));
            assertTrue(context.log().contains("\"gate\":\"TARGET_HEALTH\",\"passed\":true"), context.log());
        }
    }

    @Test
    void reportsFailedWhenGreenHasNoHealthyTargetsEvenThoughItAnswers() throws Exception {
        try (GreenEnvironment aws = new GreenEnvironment(moto, TargetTypeEnum.IP)) {
            String deploymentId = aws.deployment(List.of(aws.testListenerArn));
            green.enqueue(new MockResponse.Builder().code(200).body("ok").build());
            TestLambdaContext context = new TestLambdaContext(30_000);

            assertEquals("Failed", reportedStatus(aws, deploymentId, context));
            assertTrue(context.log().contains("no targets are registered in " + aws.greenTargetGroupArn), context.log());
        }
    }
}
