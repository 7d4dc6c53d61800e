package dev.ecsbluegreen.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ecsbluegreen.analysis.Measurement;
import dev.ecsbluegreen.analysis.check.AttemptResult;
import dev.ecsbluegreen.analysis.check.BurstStatistics;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.Redaction;
import java.util.function.Consumer;

/**
 * The structured log an operator reads after a rollback: one JSON line per check attempt and one summary
 * line per invocation. Never logs the raw event, nor a secret that a URL, header or message carries
 * ({@link Redaction}). Thread-safe when its sink is.
 */
public final class HookLog {
    private static final ObjectMapper JSON = Json.newMapper();
    private final Consumer<String> sink;

    public HookLog(Consumer<String> sink) {
        this.sink = sink;
    }

    public void attempt(AttemptResult attempt) {
        ObjectNode line = JSON.createObjectNode()
                .put("event", "check-result")
                .put("check", attempt.check())
                .put("attempt", attempt.attempt())
                .put("passed", attempt.passed())
                .put("status", attempt.status())
                .put("latencyMillis", attempt.latency().toMillis());
        ArrayNode failures = line.putArray("failures");
        attempt.failures().forEach(failures::add);
        if (attempt.burst() != null) {
            BurstStatistics burst = attempt.burst();
            line.putObject("burst")
                    .put("requests", burst.requests())
                    .put("successes", burst.successes())
                    .put("p50Millis", burst.p50().toMillis())
                    .put("p95Millis", burst.p95().toMillis())
                    .put("maxMillis", burst.max().toMillis());
        }
        write(line);
    }

    /** A summary line: {@code fields} identify the invocation (trigger, ids, stage, base URL). */
    public void verdict(ObjectNode fields, String verdictName, Verdict verdict) {
        ObjectNode line = JSON.createObjectNode().put("event", "hook-verdict");
        line.setAll(fields);
        line.put("verdict", verdictName).put("reason", verdict.reason());
        ArrayNode gates = line.putArray("gates");
        verdict.gates().forEach(gate -> gates.addObject()
                .put("gate", gate.gate().name()).put("passed", gate.passed()).put("detail", gate.detail()));
        ArrayNode checks = line.putArray("checks");
        verdict.checks().forEach(check -> checks.addObject()
                .put("check", check.check()).put("passed", check.passed()).put("attempts", check.attempts().size()));
        if (!verdict.analysis().isEmpty()) {
            ArrayNode analysis = line.putArray("analysis");
            verdict.analysis().forEach(metric -> analysis.addObject().put("metric", metric.metric())
                    .put("status", metric.status().name()).put("reason", metric.reason())
                    .put("successful", metric.tally().successful()).put("failed", metric.tally().failed())
                    .put("errors", metric.tally().errors()).put("inconclusive", metric.tally().inconclusive()));
        }
        write(line);
    }

    /** One analysis measurement, as it is taken. */
    public void measurement(Measurement measurement) {
        ObjectNode line = JSON.createObjectNode()
                .put("event", "analysis-measurement")
                .put("metric", measurement.metric())
                .put("phase", measurement.phase().name())
                .put("summary", measurement.summary());
        ObjectNode figures = line.putObject("figures");
        measurement.figures().forEach(figures::put);
        write(line);
    }

    public void note(String event, ObjectNode fields) {
        ObjectNode line = JSON.createObjectNode().put("event", event);
        line.setAll(fields);
        write(line);
    }

    private static void redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().forEach(entry -> {
                if (entry.getValue().isTextual()) {
                    entry.setValue(TextNode.valueOf(Redaction.text(entry.getValue().asText())));
                } else {
                    redact(entry.getValue());
                }
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(Redaction.text(array.get(i).asText())));
                } else {
                    redact(array.get(i));
                }
            }
        }
    }

    public static ObjectNode fields() {
        return JSON.createObjectNode();
    }

    /** Every text in the line is shown {@link Redaction#text redacted}, whoever put it there. */
    private void write(ObjectNode line) {
        redact(line);
        try {
            sink.accept(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            sink.accept("{\"event\":\"log-error\",\"error\":\"" + e.getOriginalMessage().replace('"', '\'') + "\"}");
        }
    }
}
