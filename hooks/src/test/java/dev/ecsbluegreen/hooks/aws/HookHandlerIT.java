package dev.ecsbluegreen.hooks.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.analysis.check.http.OkHttpProbe;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.hooks.HookHandlerAccess;
import dev.ecsbluegreen.hooks.WireClients;
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
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
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

    @Test
    void anAfterAllowTrafficAnalysisCutByTheDeadlineFailsAndSaysSo() throws Exception {
        try (GreenEnvironment aws = new GreenEnvironment(moto, TargetTypeEnum.IP);
             CodeDeployClient reportClient = WireClients.at(reports.url("/").uri(), CodeDeployClient.builder())) {
            String deploymentId = aws.deployment(List.of(aws.testListenerArn));
            // CodeDeploy's AllowTraffic moved the production listener to green
            aws.elb.modifyListener(r -> r.listenerArn(aws.productionListenerArn).defaultActions(a -> a
                    .type(software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum.FORWARD)
                    .targetGroupArn(aws.greenTargetGroupArn)));
            CloudWatchClient cloudWatch = moto.client(CloudWatchClient.builder());
            String group = aws.greenTargetGroupArn.substring(aws.greenTargetGroupArn.indexOf("targetgroup/"));
            String balancer = aws.loadBalancer.loadBalancerArn().substring(aws.loadBalancer.loadBalancerArn().indexOf("app/"));
            // green serves production traffic while the hook judges it: the ALB publishes its figures as they come
            java.util.concurrent.ScheduledExecutorService alb = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            alb.scheduleAtFixedRate(() -> cloudWatch.putMetricData(r -> r.namespace("AWS/ApplicationELB").metricData(
                    MetricDatum.builder().metricName("RequestCount").value(50.0)
                            // a second back: moto compares times at whole seconds
                            .timestamp(java.time.Instant.now().minusSeconds(1))
                            // sorted by name, as the analysis queries them: moto 5.2 matches dimensions only in the
                            // order they were put (CloudWatch does not mind the order)
                            .dimensions(d -> d.name("LoadBalancer").value(balancer), d -> d.name("TargetGroup").value(group))
                            .build())), 0, 300,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            green.enqueue(new MockResponse.Builder().code(200).body("ok").build());
            env.put("HOOK_STAGE", "AfterAllowTraffic");
            env.remove("GATES");
            // five measurements two seconds apart need ten seconds; the function has 14 s, 10 of them kept for the report
            env.put("ANALYSIS", "{\"interval\": 2, \"count\": 5, \"metrics\": [{\"name\": \"green 5xx\", "
                    + "\"preset\": \"green-5xx-ratio\", \"max\": 0.05, \"minRequests\": 1}]}");
            TestLambdaContext context = new TestLambdaContext(14_000);

            JsonNode answer = HookHandlerAccess.invoke(env, AwsAdapters.of(aws.codeDeploy, aws.elb,
                            moto.client(EcsClient.builder()), cloudWatch).withReporter(new CodeDeployReporter(reportClient)),
                    new OkHttpProbe(), "{\"DeploymentId\":\"" + deploymentId + "\",\"LifecycleEventHookExecutionId\":\"exec-1\"}",
                    context);

            JsonNode body = JSON.readTree(reports.takeRequest().getBody().utf8());
            assertEquals("Failed", body.path("status").asText());
            assertEquals("Failed", answer.path("status").asText());
            assertTrue(answer.path("reason").asText().contains("window cut by the function's deadline"), answer.toString());
            assertTrue(context.log().contains("\"analysis-measurement\""), context.log());
            alb.shutdownNow();
        }
    }
}
