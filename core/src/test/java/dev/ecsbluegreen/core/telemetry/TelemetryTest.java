package dev.ecsbluegreen.core.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> lines = new ArrayList<>();
    private final Invocation invocation = new Invocation("svc", true, "fn", "arn:aws:lambda:eu-west-1:1:function:fn",
            1024, "$LATEST", "req-1", "1-5759e988-bd862e3fe1be46a994272793");

    @Test
    void aLogLineHasPowertoolsKeysFirstThenTheKeptKeysThenItsFields() throws Exception {
        StructuredLog log = new StructuredLog(invocation, Level.INFO, lines::add, false).with("jobId", "job-1");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("count", 3);
        fields.put("message", "a field that would hide the message");
        log.info("hello", fields);
        JsonNode line = JSON.readTree(lines.get(0));
        List<String> keys = new ArrayList<>();
        line.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("timestamp", "level", "message", "service", "cold_start", "function_name", "function_arn",
                "function_memory_size", "function_version", "function_request_id", "xray_trace_id", "jobId", "count",
                "message_"), keys);
        assertEquals("hello", line.get("message").asText());
        assertEquals("INFO", line.get("level").asText());
        assertTrue(line.get("cold_start").asBoolean());
        assertEquals(1024, line.get("function_memory_size").asInt());
        assertTrue(line.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertEquals(1, lines.size());
    }

    @Test
    void linesUnderTheThresholdAreNotWrittenAndRedactionHidesSecrets() throws Exception {
        StructuredLog log = new StructuredLog(invocation, Level.WARN, lines::add, true);
        log.info("quiet", Map.of());
        log.warn("fetching https://user:hunter2@example.com/health?token=abc", Map.of("header", "Authorization: Bearer xyz"));
        assertEquals(1, lines.size());
        assertFalse(lines.get(0).contains("hunter2"), lines.get(0));
        assertFalse(lines.get(0).contains("abc"), lines.get(0));
        assertFalse(lines.get(0).contains("xyz"), lines.get(0));
    }

    @Test
    void theThresholdComesFromPowertoolsThenLambdaAndABadValueMeansInfo() {
        assertEquals(Level.DEBUG, Level.threshold(Map.of("POWERTOOLS_LOG_LEVEL", "debug", "AWS_LAMBDA_LOG_LEVEL", "ERROR")::get));
        assertEquals(Level.ERROR, Level.threshold(Map.of("AWS_LAMBDA_LOG_LEVEL", "ERROR")::get));
        assertEquals(Level.INFO, Level.threshold(Map.of("AWS_LAMBDA_LOG_LEVEL", "LOUD")::get));
        assertEquals(Level.INFO, Level.threshold(name -> null));
    }

    @Test
    void metricsAreEmfLinesOnePerSetOfDimensionValuesWithTheColdStartApart() throws Exception {
        MetricsLog metrics = new MetricsLog("ns", invocation, lines::add, () -> 1_700_000_000_000L)
                .scope("LoadBalancer", "app-alb");
        metrics.add(Metric.SUCCEEDED, 1, "Strategy", "canary");
        metrics.add(Metric.CUTOVER_MILLIS, 12.5);
        metrics.add(Metric.CUTOVER_MILLIS, 20);
        metrics.add(Metric.DURATION, 300);
        metrics.flush();
        assertEquals(3, lines.size(), String.join("\n", lines));
        JsonNode cold = JSON.readTree(lines.get(0));
        assertEquals("[[\"service\",\"function_name\"]]", cold.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
        assertEquals(1, cold.get("ColdStart").asInt());
        assertEquals("fn", cold.get("function_name").asText());

        JsonNode succeeded = JSON.readTree(lines.get(1));
        assertEquals(1_700_000_000_000L, succeeded.at("/_aws/Timestamp").asLong());
        assertEquals("ns", succeeded.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
        assertEquals("[[\"service\"],[\"service\",\"LoadBalancer\"],[\"service\",\"Strategy\"]]",
                succeeded.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
        assertEquals("[{\"Name\":\"Succeeded\",\"Unit\":\"Count\"}]",
                succeeded.at("/_aws/CloudWatchMetrics/0/Metrics").toString());
        assertEquals("canary", succeeded.get("Strategy").asText());
        assertEquals("app-alb", succeeded.get("LoadBalancer").asText());
        assertEquals("req-1", succeeded.get("function_request_id").asText());

        JsonNode rest = JSON.readTree(lines.get(2));
        assertEquals("[[\"service\"],[\"service\",\"LoadBalancer\"]]", rest.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
        assertEquals("[12.5,20.0]", rest.get("CutoverMillis").toString());
        assertEquals(300, rest.get("Duration").asInt());
        assertEquals("Milliseconds", rest.at("/_aws/CloudWatchMetrics/0/Metrics/0/Unit").asText());

        lines.clear();
        metrics.flush();
        assertEquals(1, lines.size(), "a second flush writes only the cold start again, nothing twice: " + lines);
    }

    @Test
    void moreThanAHundredValuesOfAMetricSpanSeveralLines() throws Exception {
        Invocation warm = new Invocation("svc", false, null, null, null, null, null, null);
        MetricsLog metrics = new MetricsLog("ns", warm, lines::add, () -> 1L);
        for (int i = 0; i < 250; i++) {
            metrics.add(Metric.CHECK_LATENCY, i);
        }
        metrics.flush();
        assertEquals(3, lines.size());
        assertEquals(100, JSON.readTree(lines.get(0)).get("CheckLatencyMillis").size());
        assertEquals(50, JSON.readTree(lines.get(2)).get("CheckLatencyMillis").size());
    }

    @Test
    void theNamespaceAndTheServiceComeFromPowertoolsVariables() {
        assertEquals("mine", MetricsLog.namespace(Map.of("POWERTOOLS_METRICS_NAMESPACE", "mine")::get));
        assertEquals("ecs-bluegreen", MetricsLog.namespace(name -> null));
        Invocation inv = Invocation.of("default-svc", null, Map.of("POWERTOOLS_SERVICE_NAME", "stack-swap",
                "_X_AMZN_TRACE_ID", "Root=1-abc-def;Parent=53995c3f42cd8ad8;Sampled=1")::get);
        assertEquals("stack-swap", inv.service());
        assertEquals("1-abc-def", inv.traceId());
        assertEquals("default-svc", Invocation.of("default-svc", null, name -> null).service());
    }

    @Test
    void onlyTheFirstInvocationIsACold​StartUntilASnapshotIsRestored() {
        Invocation.coldStartAgain();
        assertTrue(Invocation.of("s", null, name -> null).coldStart());
        assertFalse(Invocation.of("s", null, name -> null).coldStart());
        Invocation.coldStartAgain();
        assertTrue(Invocation.of("s", null, name -> null).coldStart());
    }
}
