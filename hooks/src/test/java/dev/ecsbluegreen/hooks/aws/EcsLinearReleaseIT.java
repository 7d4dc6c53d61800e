package dev.ecsbluegreen.hooks.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.ecsbluegreen.analysis.check.http.OkHttpProbe;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.hooks.HookHandler;
import dev.ecsbluegreen.hooks.HookHandlerAccess;
import dev.ecsbluegreen.testing.LogSchema;
import dev.ecsbluegreen.testing.Moto;
import dev.ecsbluegreen.testing.TestLambdaContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * An Amazon ECS linear deployment of three steps (green 0 → 33 → 66 → 100 %) replayed against moto with the request
 * shapes ECS sends (events/ecs-hook-production-traffic-shift.json): at each step the hook is called at
 * PRE_PRODUCTION_TRAFFIC_SHIFT (weights before the shift: the drift check), the production rule is shifted as ECS
 * shifts it, then PRODUCTION_TRAFFIC_SHIFT is called — and called again after each IN_PROGRESS — until it answers.
 * The ALB's metrics are put into moto's CloudWatch as the load balancer would publish them.
 */
class EcsLinearReleaseIT {
    @RegisterExtension
    static final Moto moto = new Moto();
    private static final ObjectMapper JSON = Json.newMapper();
    private static final String CLUSTER = "shop-cluster";
    private static final String SERVICE = "web";
    private static final String BLUE_REVISION = "arn:aws:ecs:us-east-1:" + Moto.ACCOUNT + ":service-revision/shop-cluster/web/4419251835127096731";
    private static final String GREEN_REVISION = "arn:aws:ecs:us-east-1:" + Moto.ACCOUNT + ":service-revision/shop-cluster/web/9386398427419951854";
    /** Short intervals keep the replay fast; a real configuration measures each minute (ALB metrics are 1-minute). */
    private static final String ANALYSIS = """
            {"interval": 2, "count": 2, "metrics": [
              {"name": "green 5xx", "preset": "green-5xx-ratio", "max": 0.02, "minRequests": 10},
              {"name": "green vs blue", "greenVersusBlue": {"errorRatioMargin": 0.01, "minRequests": 10}}]}""";

    private GreenEnvironment aws;
    private CloudWatchClient cloudWatch;
    private EcsClient ecs;
    private String productionRule;
    private HttpServer green;
    private final List<JsonNode> answers = new ArrayList<>();
    private final List<String> logLines = new ArrayList<>();

    @BeforeEach
    void provision() throws IOException {
        aws = new GreenEnvironment(moto, TargetTypeEnum.IP);
        cloudWatch = moto.client(CloudWatchClient.builder());
        ecs = moto.client(EcsClient.builder());
        productionRule = rule(aws.productionListenerArn, aws.blueTargetGroupArn);
        String testRule = rule(aws.testListenerArn, aws.greenTargetGroupArn);
        ecs.createCluster(r -> r.clusterName(CLUSTER));
        ecs.registerTaskDefinition(r -> r.family("web").containerDefinitions(c -> c.name("web").image("nginx").memory(256)));
        ecs.createService(r -> r.cluster(CLUSTER).serviceName(SERVICE).taskDefinition("web").desiredCount(2)
                .loadBalancers(lb -> lb.targetGroupArn(aws.blueTargetGroupArn).containerName("web").containerPort(8080)
                        .advancedConfiguration(a -> a.alternateTargetGroupArn(aws.greenTargetGroupArn)
                                .productionListenerRule(productionRule).testListenerRule(testRule)
                                .roleArn("arn:aws:iam::" + Moto.ACCOUNT + ":role/ecsInfrastructureRole"))));
        green = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        green.createContext("/", exchange -> {
            byte[] body = "green".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        green.start();
    }

    @AfterEach
    void close() {
        green.stop(0);
        aws.close();
    }

    @Test
    void aHealthyGreenPassesEveryStep() throws Exception {
        for (int percent : new int[] {33, 66, 100}) {
            assertEquals("SUCCEEDED", step(percent, 0).path("hookStatus").asText(), lastVerdictReason());
        }
        assertTrue(logLines.stream().anyMatch(line -> line.contains("analysis-measurement")
                && line.contains("green vs blue")), "green was compared with blue while both took traffic");
        // every step's lines in the schema; each measurement counted by its status, each step's verdict once
        LogSchema.Lines lines = LogSchema.check(logLines, HookHandler.SERVICE, null);
        long measurements = lines.logs().stream()
                .filter(l -> "analysis-measurement".equals(l.path("event").asText())).count();
        assertTrue(measurements > 0, String.join("\n", logLines));
        assertEquals(measurements, lines.values("AnalysisMeasurement").size());
        assertTrue(lines.metrics().stream().filter(l -> l.has("AnalysisMeasurement"))
                .allMatch(l -> l.path("Status").asText().equals("Successful")), lines.metrics().toString());
        long verdicts = lines.logs().stream().filter(l -> "hook-verdict".equals(l.path("event").asText())).count();
        assertEquals(verdicts, lines.values("Succeeded").size() + lines.values("Continued").size());
        assertTrue(lines.values("Failed").isEmpty());
    }

    @Test
    void aGreenWhose5xxRatioRisesAtStepTwoFailsThere() throws Exception {
        assertEquals("SUCCEEDED", step(33, 0).path("hookStatus").asText());
        JsonNode answer = step(66, 12);
        assertEquals("FAILED", answer.path("hookStatus").asText(), answers.toString());
        String verdict = lastVerdictReason();
        assertTrue(verdict.contains("green 5xx") && verdict.contains("step at green 66 %"), verdict);
    }

    @Test
    void aProductionRuleChangedByHandBetweenStepsFailsTheNextShift() throws Exception {
        assertEquals("SUCCEEDED", step(33, 0).path("hookStatus").asText());
        shift(50); // someone "helps" by hand
        JsonNode answer = invoke("PRE_PRODUCTION_TRAFFIC_SHIFT", 33, null);
        assertEquals("FAILED", answer.path("hookStatus").asText());
        String verdict = lastVerdictReason();
        assertTrue(verdict.contains("weight drift") && verdict.contains("forwards green 50 % / blue 50 %")
                && verdict.contains("reports green 33 % / blue 67 %"), verdict);
    }

    @Test
    void aRollbackCallIsAnsweredAtOnce() throws Exception {
        assertEquals("SUCCEEDED", step(33, 0).path("hookStatus").asText());
        shift(0); // ECS rolls back: green's weight back to 0, and calls the traffic-shift hook again
        long started = System.nanoTime();
        JsonNode answer = invoke("PRODUCTION_TRAFFIC_SHIFT", 0, null);
        assertEquals("SUCCEEDED", answer.path("hookStatus").asText());
        assertTrue(lastVerdictReason().startsWith("rollback"), lastVerdictReason());
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "no bake on a rollback");
    }

    /**
     * One step as ECS runs it; green fails {@code greenErrors} of each 100 requests (blue 1 of 200).
     *
     * @return PRODUCTION_TRAFFIC_SHIFT's final answer, or PRE_PRODUCTION's when it failed
     */
    private JsonNode step(int percent, int greenErrors) throws Exception {
        int before = currentGreenPercent();
        JsonNode pre = invoke("PRE_PRODUCTION_TRAFFIC_SHIFT", before, null);
        if (!"SUCCEEDED".equals(pre.path("hookStatus").asText())) {
            return pre;
        }
        shift(percent);
        JsonNode hookDetails = null;
        for (int call = 0; call < 10; call++) {
            JsonNode answer = invoke("PRODUCTION_TRAFFIC_SHIFT", percent, hookDetails);
            if (!"IN_PROGRESS".equals(answer.path("hookStatus").asText())) {
                return answer;
            }
            Thread.sleep(answer.path("callBackDelay").asLong() * 1000);
            traffic(aws.blueTargetGroupArn, percent == 100 ? 0 : 200, percent == 100 ? 0 : 1);
            traffic(aws.greenTargetGroupArn, 100, greenErrors);
            hookDetails = answer.path("hookDetails");
        }
        throw new AssertionError("no answer but IN_PROGRESS after 10 calls: " + answers);
    }

    private JsonNode invoke(String stage, int greenPercent, JsonNode hookDetails) throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(Files.readString(Path.of("../events/ecs-hook-production-traffic-shift.json")));
        event.put("lifecycleStage", stage);
        ObjectNode details = (ObjectNode) event.path("executionDetails");
        String serviceArn = "arn:aws:ecs:us-east-1:" + Moto.ACCOUNT + ":service/" + CLUSTER + "/" + SERVICE;
        details.put("serviceArn", serviceArn).put("targetServiceRevisionArn", GREEN_REVISION);
        details.putObject("productionTrafficWeights").put(BLUE_REVISION, 100 - greenPercent).put(GREEN_REVISION, greenPercent);
        details.putObject("testTrafficWeights").put(GREEN_REVISION, 100);
        if (hookDetails != null) {
            event.set("hookDetails", hookDetails);
        }
        Map<String, String> env = new HashMap<>();
        env.put("TARGET_BASE_URL", "http://127.0.0.1:" + green.getAddress().getPort());
        env.put("ANALYSIS", ANALYSIS);
        TestLambdaContext context = new TestLambdaContext(60_000);
        AwsAdapters adapters = AwsAdapters.of(aws.codeDeploy, aws.elb, ecs, cloudWatch);
        JsonNode answer = HookHandlerAccess.invoke(env, adapters, new OkHttpProbe(new OkHttpClient()),
                JSON.writeValueAsString(event), context);
        answers.add(answer);
        logLines.addAll(context.logLines());
        return answer;
    }

    private String lastVerdictReason() throws IOException {
        for (int i = logLines.size() - 1; i >= 0; i--) {
            if (logLines.get(i).contains("\"hook-verdict\"")) {
                return JSON.readTree(logLines.get(i)).path("reason").asText();
            }
        }
        throw new AssertionError("no hook-verdict line in " + logLines);
    }

    /** The production rule, as ECS writes it at a step: blue 100 − p, green p. */
    private void shift(int greenPercent) {
        aws.elb.modifyRule(r -> r.ruleArn(productionRule).actions(a -> a.type(ActionTypeEnum.FORWARD)
                .forwardConfig(f -> f.targetGroups(
                        TargetGroupTuple.builder().targetGroupArn(aws.blueTargetGroupArn).weight(100 - greenPercent).build(),
                        TargetGroupTuple.builder().targetGroupArn(aws.greenTargetGroupArn).weight(greenPercent).build()))));
    }

    private int currentGreenPercent() {
        return aws.elb.describeRules(r -> r.ruleArns(productionRule)).rules().get(0).actions().get(0).forwardConfig() == null
                ? 0
                : aws.elb.describeRules(r -> r.ruleArns(productionRule)).rules().get(0).actions().get(0).forwardConfig()
                        .targetGroups().stream().filter(t -> t.targetGroupArn().equals(aws.greenTargetGroupArn))
                        .mapToInt(TargetGroupTuple::weight).sum();
    }

    private String rule(String listenerArn, String targetGroupArn) {
        return aws.elb.createRule(r -> r.listenerArn(listenerArn).priority(1)
                        .conditions(c -> c.field("path-pattern").values("/*"))
                        .actions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(targetGroupArn)))
                .rules().get(0).ruleArn();
    }

    /** What the ALB publishes for a target group: its requests and its targets' 5xx answers, now. */
    private void traffic(String targetGroupArn, int requests, int errors) {
        Dimension group = Dimension.builder().name("TargetGroup")
                .value(targetGroupArn.substring(targetGroupArn.indexOf("targetgroup/"))).build();
        Dimension balancer = Dimension.builder().name("LoadBalancer")
                .value(aws.loadBalancer.loadBalancerArn().substring(aws.loadBalancer.loadBalancerArn().indexOf("app/"))).build();
        // LoadBalancer before TargetGroup: moto 5.2 matches dimensions only in the order they were put, and the
        // analysis queries them sorted by name (CloudWatch does not mind the order).
        // A second back: moto compares GetMetricData's StartTime/EndTime with datapoint times at whole seconds, and the
        // ALB too publishes a minute's figures only after that minute
        Instant now = Instant.now().minusSeconds(1);
        List<MetricDatum> data = List.of(
                MetricDatum.builder().metricName("RequestCount").dimensions(balancer, group).value((double) requests)
                        .unit(StandardUnit.COUNT).timestamp(now).build(),
                MetricDatum.builder().metricName("HTTPCode_Target_5XX_Count").dimensions(balancer, group)
                        .value((double) errors).unit(StandardUnit.COUNT).timestamp(now).build());
        cloudWatch.putMetricData(r -> r.namespace("AWS/ApplicationELB").metricData(data));
    }
}
