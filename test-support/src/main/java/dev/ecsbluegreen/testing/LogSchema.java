package dev.ecsbluegreen.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What every line a function writes must be: a log line of the project's schema (Powertools' keys), or an
 * Embedded Metric Format line as the EMF specification defines it. Tests give it the lines of real invocations.
 */
public final class LogSchema {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");
    /** What must never reach a log: the job event's artifact credentials and their names. */
    public static final List<String> SECRETS = List.of("artifactCredentials", "secretAccessKey", "sessionToken",
            "ASIAEXAMPLEEXAMPLE01", "EXAMPLEKEY", "SESSIONTOKEN", "encryptionKey");

    private LogSchema() {}

    /** The lines, checked; returns the log lines and the EMF lines apart. */
    public static Lines check(List<String> raw, String service, String requestId) {
        List<JsonNode> logs = new ArrayList<>();
        List<JsonNode> metrics = new ArrayList<>();
        for (String text : raw) {
            for (String line : text.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                for (String secret : SECRETS) {
                    assertFalse(line.contains(secret), secret + " leaked into the log: " + line);
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (Exception e) {
                    fail("not a JSON line: " + line);
                    return null;
                }
                assertTrue(node.isObject(), "not a JSON object: " + line);
                if (node.has("_aws")) {
                    emf(node, line);
                    metrics.add(node);
                } else {
                    logLine(node, line, service, requestId);
                    logs.add(node);
                }
            }
        }
        return new Lines(logs, metrics);
    }

    public record Lines(List<JsonNode> logs, List<JsonNode> metrics) {
        /** The values a metric has on the EMF lines, every line and dimension set together. */
        public List<Double> values(String metric) {
            List<Double> values = new ArrayList<>();
            metrics.forEach(line -> {
                JsonNode value = line.get(metric);
                if (value == null) {
                    return;
                }
                if (value.isArray()) {
                    value.forEach(v -> values.add(v.asDouble()));
                } else {
                    values.add(value.asDouble());
                }
            });
            return values;
        }

        /** The EMF line that carries {@code metric}, with its dimension values; fails when there is none. */
        public JsonNode lineOf(String metric) {
            return metrics.stream().filter(line -> line.has(metric)).findFirst()
                    .orElseThrow(() -> new AssertionError("no EMF line has " + metric + ": " + metrics));
        }
    }

    private static void logLine(JsonNode node, String line, String service, String requestId) {
        assertTrue(TIMESTAMP.matcher(node.path("timestamp").asText()).matches(), "timestamp: " + line);
        assertTrue(LEVELS.contains(node.path("level").asText()), "level: " + line);
        assertTrue(node.path("message").isTextual() && !node.path("message").asText().isEmpty(), "message: " + line);
        assertEquals(service, node.path("service").asText(), "service: " + line);
        assertTrue(node.path("cold_start").isBoolean(), "cold_start: " + line);
        if (requestId != null) {
            assertEquals(requestId, node.path("function_request_id").asText(), "function_request_id: " + line);
        }
    }

    /** The EMF specification's structure: _aws.Timestamp, CloudWatchMetrics directives, their members present. */
    private static void emf(JsonNode node, String line) {
        JsonNode aws = node.get("_aws");
        assertTrue(aws.path("Timestamp").isIntegralNumber(), "_aws.Timestamp (epoch ms): " + line);
        JsonNode directives = aws.path("CloudWatchMetrics");
        assertTrue(directives.isArray() && directives.size() == 1, "_aws.CloudWatchMetrics: " + line);
        for (JsonNode directive : directives) {
            String namespace = directive.path("Namespace").asText();
            assertTrue(!namespace.isEmpty() && namespace.length() <= 1024, "Namespace: " + line);
            JsonNode dimensions = directive.path("Dimensions");
            assertTrue(dimensions.isArray() && dimensions.size() >= 1, "Dimensions: " + line);
            for (JsonNode set : dimensions) {
                assertTrue(set.isArray() && set.size() >= 1 && set.size() <= 30, "a dimension set: " + line);
                for (JsonNode name : set) {
                    JsonNode value = node.get(name.asText());
                    assertTrue(value != null && value.isTextual() && !value.asText().isEmpty(),
                            "dimension " + name + " has no string value: " + line);
                }
            }
            JsonNode metricDefs = directive.path("Metrics");
            assertTrue(metricDefs.isArray() && metricDefs.size() >= 1 && metricDefs.size() <= 100, "Metrics: " + line);
            Set<String> names = new HashSet<>();
            for (JsonNode metric : metricDefs) {
                String name = metric.path("Name").asText();
                assertTrue(!name.isEmpty() && name.length() <= 1024 && names.add(name), "metric Name: " + line);
                assertTrue(UNITS.contains(metric.path("Unit").asText()), "metric Unit: " + line);
                JsonNode value = node.get(name);
                assertTrue(value != null && (value.isNumber() || value.isArray() && value.size() <= 100
                        && value.size() > 0), "metric " + name + " has no value: " + line);
            }
        }
    }
}
