package dev.ecsbluegreen.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.analysis.check.Exchange;
import dev.ecsbluegreen.analysis.check.HttpProbe;
import dev.ecsbluegreen.analysis.check.http.OkHttpProbe;
import dev.ecsbluegreen.analysis.gate.Gate;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.TargetWeight;
import dev.ecsbluegreen.hooks.aws.CodeDeployReporter;
import dev.ecsbluegreen.hooks.codedeploy.CodeDeployHook;
import dev.ecsbluegreen.hooks.codedeploy.DeploymentTopology;
import dev.ecsbluegreen.hooks.codedeploy.Topology;
import dev.ecsbluegreen.testing.EventFiles;
import dev.ecsbluegreen.testing.LogSchema;
import dev.ecsbluegreen.testing.TestLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;

/**
 * The CodeDeploy trigger end to end in process: green is a real local HTTP server, CodeDeploy is a local
 * server speaking its JSON protocol, and every path must put exactly one status on the wire.
 */
class CodeDeployReportingTest {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final String EXECUTION_ID = executionIdOfTheFixture();

    private final MockWebServer green = new MockWebServer();
    private final MockWebServer codeDeploy = new MockWebServer();
    private final Map<String, String> env = new HashMap<>();
    private CodeDeployClient client;
    private HttpProbe probe = new OkHttpProbe();
    private LongSupplier nanoClock = System::nanoTime;
    private DeploymentTopology topology = id -> {
        throw new AssertionError("discovery is not expected when TARGET_BASE_URL is set and no gate runs");
    };

    @BeforeEach
    void start() throws IOException {
        green.start();
        codeDeploy.start();
        client = WireClients.at(codeDeploy.url("/").uri(), CodeDeployClient.builder());
        env.put("HOOK_STAGE", "AfterAllowTestTraffic");
        env.put("TARGET_BASE_URL", green.url("/").toString());
        env.put("CHECKS", "[{\"name\":\"health\",\"path\":\"/health\",\"attempts\":2,\"intervalMillis\":10}]");
    }

    @AfterEach
    void stop() {
        client.close();
        green.close();
        codeDeploy.close();
    }

    private HookHandler handler() {
        return new HookHandler(env::get, topology, new CodeDeployReporter(client),
                tg -> List.of(), (c, s, tg) -> new Gate.TaskCounts("x", 1, 1), probe, d -> { }, Clock.systemUTC(),
                nanoClock);
    }

    private JsonNode invoke(String event, TestLambdaContext context) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler().handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
        return JSON.readTree(out.toByteArray());
    }

    private static MockResponse accepted() {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-amz-json-1.1")
                .body("{\"lifecycleEventHookExecutionId\":\"" + EXECUTION_ID + "\"}").build();
    }

    /** The one report on the wire, checked for protocol and ids; returns its status. */
    private String onlyReport() throws InterruptedException, IOException {
        assertEquals(1, codeDeploy.getRequestCount(), "exactly one report");
        RecordedRequest request = codeDeploy.takeRequest(1, TimeUnit.SECONDS);
        assertEquals("POST", request.getMethod());
        assertEquals("CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus", request.getHeaders().get("X-Amz-Target"));
        JsonNode body = JSON.readTree(request.getBody().utf8());
        assertEquals("d-4B7XWQ2KP", body.path("deploymentId").asText());
        assertEquals(EXECUTION_ID, body.path("lifecycleEventHookExecutionId").asText());
        assertEquals(3, body.size(), body.toString());
        return body.path("status").asText();
    }

    @Test
    void reportsSucceededOnceWhenGreenAnswers200() throws Exception {
        green.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        codeDeploy.enqueue(accepted());
        TestLambdaContext context = new TestLambdaContext(30_000);

        JsonNode answer = invoke(EventFiles.read("codedeploy-hook.json"), context);

        assertEquals("Succeeded", onlyReport());
        assertEquals("REPORTED", answer.path("report").asText());
        assertEquals("/health", green.takeRequest().getUrl().encodedPath());
        JsonNode summary = logLine(context, "hook-verdict");
        assertEquals("d-4B7XWQ2KP", summary.path("deploymentId").asText());
        assertEquals("AfterAllowTestTraffic", summary.path("stage").asText());
        assertEquals(green.url("/").toString().replaceAll("/$", ""), summary.path("baseUrl").asText());
        assertEquals("Succeeded", summary.path("verdict").asText());
    }

    @Test
    void withZeroConfigurationDiscoversTheTestListenerAndRunsTheDefaultCheck() throws Exception {
        try (MockWebServer production = new MockWebServer()) {
            production.start();
            env.clear();
            topology = id -> new Topology("shop/shop-web",
                    new Topology.Route("arn:test", green.url("/").uri(), "arn:tg/green", "arn:lb", forwardTo("arn:tg/green")),
                    new Topology.Route("arn:prod", production.url("/").uri(), "arn:tg/blue", "arn:lb", forwardTo("arn:tg/blue")),
                    "shop-cluster", "web", List.of());
            green.enqueue(new MockResponse.Builder().code(200).body("ok").build());
            codeDeploy.enqueue(accepted());

            JsonNode answer = invoke(EventFiles.read("codedeploy-hook.json"), new TestLambdaContext(30_000));

            assertEquals("Succeeded", onlyReport());
            assertEquals("/", green.takeRequest().getTarget());
            assertEquals(0, production.getRequestCount());
            assertEquals("1 check(s) and 0 gate(s) passed", answer.path("reason").asText());
        }
    }

    @Test
    void testsGreenThroughTheProductionListenerAtAfterAllowTraffic() throws Exception {
        try (MockWebServer test = new MockWebServer()) {
            test.start();
            env.remove("TARGET_BASE_URL");
            env.put("HOOK_STAGE", "AfterAllowTraffic");
            topology = id -> new Topology("shop/shop-web",
                    new Topology.Route("arn:test", test.url("/").uri(), "arn:tg/green", "arn:lb", forwardTo("arn:tg/green")),
                    new Topology.Route("arn:prod", green.url("/").uri(), "arn:tg/green", "arn:lb", forwardTo("arn:tg/green")),
                    "shop-cluster", "web", List.of());
            green.enqueue(new MockResponse.Builder().code(200).body("ok").build());
            codeDeploy.enqueue(accepted());
            TestLambdaContext context = new TestLambdaContext(30_000);

            invoke(EventFiles.read("codedeploy-hook.json"), context);

            assertEquals("Succeeded", onlyReport());
            assertEquals(0, test.getRequestCount());
            assertEquals("AfterAllowTraffic", logLine(context, "hook-verdict").path("stage").asText());
        }
    }

    @Test
    void reportsFailedOnceWhenGreenAnswers500OnEveryAttempt() throws Exception {
        green.enqueue(new MockResponse.Builder().code(500).body("boom").build());
        green.enqueue(new MockResponse.Builder().code(500).body("boom").build());
        codeDeploy.enqueue(accepted());
        TestLambdaContext context = new TestLambdaContext(30_000);

        JsonNode answer = invoke(EventFiles.read("codedeploy-hook.json"), context);

        assertEquals("Failed", onlyReport());
        assertEquals(2, green.getRequestCount());
        assertTrue(answer.path("reason").asText().contains("status 500, expected 2xx"), answer.toString());
        List<JsonNode> attempts = logLines(context, "check-result");
        assertEquals(2, attempts.size());
        assertEquals(500, attempts.get(1).path("status").asInt());
        assertEquals("health", attempts.get(1).path("check").asText());
    }

    @Test
    void treatsLifecycleEventAlreadyCompletedAsReported() throws Exception {
        green.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        codeDeploy.enqueue(new MockResponse.Builder().code(400)
                .addHeader("Content-Type", "application/x-amz-json-1.1")
                .body("{\"__type\":\"LifecycleEventAlreadyCompletedException\",\"message\":\"The lifecycle event is already completed\"}")
                .build());
        TestLambdaContext context = new TestLambdaContext(30_000);

        JsonNode answer = invoke(EventFiles.read("codedeploy-hook.json"), context);

        assertEquals("Succeeded", onlyReport());
        assertEquals("ALREADY_COMPLETED", answer.path("report").asText());
        assertEquals(1, logLines(context, "report-already-completed").size());
    }

    @Test
    void reportsFailedOnceWhenTheValidationThrows() throws Exception {
        probe = (check, base, timeout) -> {
            throw new IllegalStateException("probe exploded");
        };
        codeDeploy.enqueue(accepted());

        JsonNode answer = invoke(EventFiles.read("codedeploy-hook.json"), new TestLambdaContext(30_000));

        assertEquals("Failed", onlyReport());
        assertTrue(answer.path("reason").asText().contains("probe exploded"), answer.toString());
    }

    @Test
    void reportsFailedOnceWhenDiscoveryFails() throws Exception {
        env.remove("TARGET_BASE_URL");
        topology = id -> {
            throw new AwsCallException("codedeploy:GetDeployment", AwsCallException.Kind.PERMISSION_DENIED,
                    "AccessDeniedException", "the function's role is not allowed to call codedeploy:GetDeployment", null);
        };
        codeDeploy.enqueue(accepted());

        JsonNode answer = invoke(EventFiles.read("codedeploy-hook.json"), new TestLambdaContext(30_000));

        assertEquals("Failed", onlyReport());
        assertTrue(answer.path("reason").asText().contains("codedeploy:GetDeployment"), answer.toString());
        assertEquals(0, green.getRequestCount());
    }

    @Test
    void reportsFailedOnceForAnEventWithAMalformedDeploymentId() throws Exception {
        codeDeploy.enqueue(accepted());
        String event = "{\"DeploymentId\":\"d-4B7XWQ2KP; drop\",\"LifecycleEventHookExecutionId\":\"" + EXECUTION_ID + "\"}";

        JsonNode answer = invoke(event, new TestLambdaContext(30_000));

        assertEquals(1, codeDeploy.getRequestCount());
        JsonNode body = JSON.readTree(codeDeploy.takeRequest().getBody().utf8());
        assertEquals("Failed", body.path("status").asText());
        assertTrue(answer.path("reason").asText().startsWith("bad event"), answer.toString());
        assertEquals(0, green.getRequestCount());
    }

    @Test
    void reportsFailedOnceForAnUnusableConfiguration() throws Exception {
        env.put("CHECKS", "[{\"name\":\"health\",\"atempts\":3}]");
        codeDeploy.enqueue(accepted());

        JsonNode answer = invoke(EventFiles.read("codedeploy-hook.json"), new TestLambdaContext(30_000));

        assertEquals("Failed", onlyReport());
        assertTrue(answer.path("reason").asText().contains("unknown field 'atempts'"), answer.toString());
    }

    @Test
    void failsWithoutReportingWhenTheEventLacksTheExecutionIdToReportTo() {
        String event = "{\"DeploymentId\":\"d-4B7XWQ2KP\",\"LifecycleEventHookExecutionId\":\"\"}";

        assertThrows(IllegalArgumentException.class, () -> invoke(event, new TestLambdaContext(30_000)));
        assertEquals(0, codeDeploy.getRequestCount());
    }

    @Test
    void failsWithoutReportingAnEventOfNeitherTriggerAndLogsOnlyItsFieldNames() {
        String event = "{\"CodePipeline.job\":{\"id\":\"11111111-abcd-1111-abcd-111111abcdef\","
                + "\"data\":{\"artifactCredentials\":{\"secretAccessKey\":\"do-not-log-me\"}}}}";
        TestLambdaContext context = new TestLambdaContext(30_000);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> invoke(event, context));

        assertTrue(e.getMessage().contains("[CodePipeline.job]"), e.getMessage());
        assertEquals(0, codeDeploy.getRequestCount());
        assertEquals("CodePipeline.job", logLine(context, "unrecognised-event").path("fields").asText());
        assertFalse(context.log().contains("do-not-log-me"));
    }

    @Test
    void reportsFailedWithTimedOutWhenAnAttemptTakesAllTheTimeLeft() throws Exception {
        env.put("CHECKS", "[{\"name\":\"slow\",\"path\":\"/\",\"timeoutMillis\":30000,\"attempts\":1}]");
        env.put("REPORT_MARGIN_SECONDS", "1");
        // the validation's clock is ours: the request is given only the time left, and takes all of it
        AtomicLong now = new AtomicLong();
        nanoClock = now::get;
        List<Duration> given = new ArrayList<>();
        probe = (check, base, timeout) -> {
            given.add(timeout);
            now.addAndGet(timeout.toNanos());
            return Exchange.failed("no complete response within " + timeout.toMillis() + " ms", timeout);
        };
        codeDeploy.enqueue(accepted());
        TestLambdaContext context = new TestLambdaContext(2_500);

        JsonNode answer = invoke(EventFiles.read("codedeploy-hook.json"), context);

        assertEquals("Failed", onlyReport());
        assertEquals(1, given.size());
        assertTrue(given.get(0).compareTo(Duration.ofMillis(1_500)) <= 0,
                "the request gets the Lambda's remaining time less REPORT_MARGIN_SECONDS, not its 30 s: " + given);
        String reason = answer.path("reason").asText();
        assertTrue(reason.startsWith("timed out after 1.") && reason.contains("check 'slow'"), reason);
        assertEquals(1, logLines(context, "validation-capped").size(), context.log());
    }

    @Test
    void reportsOnceWithinTheTimeLeftThroughA5xxAndASlowAttempt() throws Exception {
        env.put("REPORT_MARGIN_SECONDS", "4");
        green.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        codeDeploy.enqueue(new MockResponse.Builder().code(500)
                .addHeader("Content-Type", "application/x-amz-json-1.1")
                .body("{\"__type\":\"InternalFailure\",\"message\":\"try again\"}").build());
        // slower than the whole invocation: only an attempt timeout taken from the time left gets past it
        codeDeploy.enqueue(new MockResponse.Builder().code(200).headersDelay(60, TimeUnit.SECONDS)
                .addHeader("Content-Type", "application/x-amz-json-1.1").body("{}").build());
        codeDeploy.enqueue(accepted());
        TestLambdaContext context = new TestLambdaContext(6_000);

        JsonNode answer = invoke(EventFiles.read("codedeploy-hook.json"), context);

        assertTrue(context.getRemainingTimeInMillis() > 0, "answered before the Lambda's deadline");
        assertEquals("REPORTED", answer.path("report").asText());
        assertEquals(3, codeDeploy.getRequestCount(), "a 5xx, a slow attempt given up on, the accepted one");
        for (int i = 0; i < 3; i++) {
            JsonNode body = JSON.readTree(codeDeploy.takeRequest(1, TimeUnit.SECONDS).getBody().utf8());
            assertEquals("Succeeded", body.path("status").asText());
            assertEquals(EXECUTION_ID, body.path("lifecycleEventHookExecutionId").asText());
        }
        assertEquals(0, logLines(context, "report-failed").size());
    }

    @Test
    void boundsTheReportByTheInvocationsTimeLeft() {
        assertEquals(null, CodeDeployHook.reportTime(new TestLambdaContext(0)), "unknown: the client's limits");
        Duration within = CodeDeployHook.reportTime(new TestLambdaContext(3_000));
        assertTrue(within.compareTo(Duration.ofMillis(3_000).minus(CodeDeployHook.ANSWER_TIME)) <= 0, within.toString());
        assertTrue(within.compareTo(Duration.ofMillis(1_000)) > 0, within.toString());
    }

    @Test
    void showsNoSecretOfTheConfigurationInTheLogOrTheAnswer() throws Exception {
        List<String> secrets = List.of("url-pw-8f3a", "bearer-77c1", "apikey-19de", "cookie-5b20", "query-tok-4e11",
                "query-sig-0a9b", "away-tok-6d2c");
        env.put("TARGET_BASE_URL", "http://deployer:url-pw-8f3a@localhost:" + green.getPort());
        env.put("CHECKS", "[{\"path\":\"/health?token=query-tok-4e11&sig=query-sig-0a9b&deep=1\","
                + "\"headers\":{\"Authorization\":\"Bearer bearer-77c1\",\"X-Api-Key\":\"apikey-19de\","
                + "\"Cookie\":\"session=cookie-5b20\"},\"followRedirects\":true,\"attempts\":2,\"intervalMillis\":1}]");
        green.enqueue(new MockResponse.Builder().code(503).body("warming up").build());
        green.enqueue(new MockResponse.Builder().code(302)
                .addHeader("Location", "http://127.0.0.1:" + green.getPort() + "/login?access_token=away-tok-6d2c").build());
        codeDeploy.enqueue(accepted());
        TestLambdaContext context = new TestLambdaContext(30_000);

        JsonNode answer = invoke(EventFiles.read("codedeploy-hook.json"), context);

        assertEquals("Failed", onlyReport());
        RecordedRequest sent = green.takeRequest();
        assertEquals("Bearer bearer-77c1", sent.getHeaders().get("Authorization"), "the configuration was used");
        assertEquals("/health?token=query-tok-4e11&sig=query-sig-0a9b&deep=1", sent.getTarget());
        String shown = context.log() + "\n" + answer;
        for (String secret : secrets) {
            assertFalse(shown.contains(secret), secret + " is shown:\n" + shown);
        }
        assertTrue(answer.path("reason").asText().contains("refused: http://127.0.0.1:" + green.getPort()
                + "/login?access_token=***"), answer.toString());
        assertEquals("http://***@localhost:" + green.getPort(), logLine(context, "hook-verdict").path("baseUrl").asText());
    }

    @Test
    void showsNoSecretOfAnUnusableBaseUrl() throws Exception {
        env.put("TARGET_BASE_URL", "ftp://deployer:url-pw-2c4d@green.example.com");
        codeDeploy.enqueue(accepted());
        TestLambdaContext context = new TestLambdaContext(30_000);

        JsonNode answer = invoke(EventFiles.read("codedeploy-hook.json"), context);

        assertEquals("Failed", onlyReport());
        assertTrue(answer.path("reason").asText().startsWith("configuration: TARGET_BASE_URL 'ftp://***@green.example.com'"),
                answer.toString());
        assertFalse((context.log() + answer).contains("url-pw-2c4d"), context.log());
    }

    @Test
    void rethrowsWhenCodeDeployRefusesTheReport() {
        green.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        codeDeploy.enqueue(new MockResponse.Builder().code(400)
                .addHeader("Content-Type", "application/x-amz-json-1.1")
                .body("{\"__type\":\"AccessDeniedException\",\"message\":\"not authorized to perform codedeploy:PutLifecycleEventHookExecutionStatus\"}")
                .build());
        TestLambdaContext context = new TestLambdaContext(30_000);

        AwsCallException thrown = assertThrows(AwsCallException.class,
                () -> invoke(EventFiles.read("codedeploy-hook.json"), context));

        assertEquals(AwsCallException.Kind.PERMISSION_DENIED, thrown.kind());
        assertEquals(1, codeDeploy.getRequestCount());
        assertEquals(1, logLines(context, "report-failed").size());
        LogSchema.Lines lines = LogSchema.check(context.logLines(), HookHandler.SERVICE, context.getAwsRequestId());
        assertEquals(List.of(1.0), lines.values("ReportFailed"), context.log());
    }

    /**
     * Every line of a real invocation is in the schema (Powertools' keys, the hook's ids on every line after they
     * are known) or valid EMF; a failed check is {@code Failed} with {@code Reason} check, each attempt's latency
     * is a {@code CheckLatencyMillis} value.
     */
    @Test
    void theLogAndTheMetricsOfAFailedCheckFollowTheSchema() throws Exception {
        green.enqueue(new MockResponse.Builder().code(500).body("no").build());
        green.enqueue(new MockResponse.Builder().code(503).body("no").build());
        codeDeploy.enqueue(accepted());
        TestLambdaContext context = new TestLambdaContext(30_000);

        invoke(EventFiles.read("codedeploy-hook.json"), context);

        assertEquals("Failed", onlyReport());
        LogSchema.Lines lines = LogSchema.check(context.logLines(), HookHandler.SERVICE, context.getAwsRequestId());
        List<JsonNode> attempts = lines.logs().stream().filter(l -> "check-result".equals(l.path("event").asText()))
                .toList();
        assertEquals(2, attempts.size(), context.log());
        for (JsonNode line : lines.logs()) {
            assertEquals("d-4B7XWQ2KP", line.path("deploymentId").asText(), line.toString());
            assertEquals(EXECUTION_ID, line.path("hookExecutionId").asText(), line.toString());
            assertEquals("AfterAllowTestTraffic", line.path("stage").asText(), line.toString());
        }
        assertEquals("WARN", attempts.get(0).path("level").asText());
        assertEquals(List.of(1.0), lines.values("Failed"));
        JsonNode failed = lines.lineOf("Failed");
        assertEquals("check", failed.path("Reason").asText());
        assertEquals("AfterAllowTestTraffic", failed.path("Stage").asText());
        assertEquals(2, lines.values("CheckLatencyMillis").size());
        assertEquals(1, lines.values("Duration").size());
        assertTrue(lines.values("Succeeded").isEmpty());
    }

    private static String executionIdOfTheFixture() {
        try {
            return JSON.readTree(EventFiles.read("codedeploy-hook.json")).path("LifecycleEventHookExecutionId").asText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode logLine(TestLambdaContext context, String event) {
        List<JsonNode> lines = logLines(context, event);
        assertEquals(1, lines.size(), context.log());
        return lines.get(0);
    }

    static List<JsonNode> logLines(TestLambdaContext context, String event) {
        return context.logLines().stream().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("log line is not JSON: " + line, e);
            }
        }).filter(node -> event.equals(node.path("event").asText())).toList();
    }

    private static Forward forwardTo(String targetGroupArn) {
        return new Forward(List.of(new TargetWeight(targetGroupArn, 1)));
    }
}
