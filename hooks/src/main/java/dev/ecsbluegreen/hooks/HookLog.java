package dev.ecsbluegreen.hooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.analysis.Measurement;
import dev.ecsbluegreen.analysis.check.AttemptResult;
import dev.ecsbluegreen.analysis.check.BurstStatistics;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.Redaction;
import dev.ecsbluegreen.core.telemetry.Level;
import dev.ecsbluegreen.core.telemetry.Metric;
import dev.ecsbluegreen.core.telemetry.MetricsLog;
import dev.ecsbluegreen.core.telemetry.StructuredLog;
import java.util.Locale;

/**
 * The structured log an operator reads after a rollback, in the project's one schema ({@link StructuredLog}:
 * Powertools' keys, plus {@code event} naming the line's kind): one line per check attempt, per analysis
 * measurement and one summary line per invocation. Never logs the raw event, nor a secret that a URL, header or
 * message carries ({@link Redaction}: every text is shown redacted). Also counts what the invocation's metrics are
 * made of ({@link #count}). Thread-safe when its sink is.
 */
public final class HookLog {
    private static final ObjectMapper JSON = Json.newMapper();
    private volatile StructuredLog log;
    private final MetricsLog metrics;

    public HookLog(StructuredLog log, MetricsLog metrics) {
        this.log = log;
        this.metrics = metrics;
    }

    /**
     * Every later line carries {@code key} ({@code deploymentId}, {@code hookExecutionId}, {@code stage}); called
     * once the invocation's ids are known, before any check runs.
     */
    public HookLog keep(String key, String value) {
        log = log.with(key, value == null ? null : Redaction.text(value));
        if ("stage".equals(key)) {
            metrics.scope("Stage", value);
        }
        return this;
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
        log.log(attempt.passed() ? Level.INFO : Level.WARN, "check '" + attempt.check() + "' attempt "
                + attempt.attempt() + (attempt.passed() ? " passed" : " failed"), line);
        synchronized (metrics) {
            metrics.add(Metric.CHECK_LATENCY, attempt.latency().toNanos() / 1_000_000.0);
            if (attempt.burst() != null) {
                metrics.add(Metric.BURST_P95, attempt.burst().p95().toNanos() / 1_000_000.0);
            }
        }
    }

    /**
     * A summary line: {@code fields} identify the invocation (trigger, ids, stage, base URL). {@code verdictName}
     * is what the hook answers: CodeDeploy's {@code Succeeded}/{@code Failed}, ECS's {@code SUCCEEDED},
     * {@code FAILED} or {@code IN_PROGRESS}.
     */
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
        String answer = verdictName.toUpperCase(Locale.ROOT);
        boolean failed = answer.equals("FAILED");
        if (failed) {
            line.put("reasonClass", verdict.reasonClass() == null ? "error" : verdict.reasonClass());
        }
        log.log(failed ? Level.WARN : Level.INFO, "hook " + verdictName + ": " + verdict.reason(), line);
        synchronized (metrics) {
            switch (answer) {
                case "SUCCEEDED" -> metrics.add(Metric.SUCCEEDED, 1);
                case "IN_PROGRESS" -> metrics.add(Metric.CONTINUED, 1);
                default -> metrics.add(Metric.FAILED, 1, "Reason",
                        verdict.reasonClass() == null ? "error" : verdict.reasonClass());
            }
        }
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
        log.log(Level.INFO, "analysis " + measurement.metric() + ": " + measurement.phase().name().toLowerCase(Locale.ROOT)
                + ": " + measurement.summary(), line);
        String status = measurement.phase().name().charAt(0)
                + measurement.phase().name().substring(1).toLowerCase(Locale.ROOT);
        synchronized (metrics) {
            metrics.add(Metric.ANALYSIS_MEASUREMENT, 1, "Status", status);
        }
    }

    /** A line of its own kind ({@code event}); {@code report-failed} also counts {@code ReportFailed}. */
    public void note(String event, ObjectNode fields) {
        ObjectNode line = JSON.createObjectNode().put("event", event);
        line.setAll(fields);
        boolean reportFailed = "report-failed".equals(event);
        log.log(reportFailed || event.startsWith("unrecognised") ? Level.ERROR : Level.INFO, event.replace('-', ' '), line);
        if (reportFailed) {
            synchronized (metrics) {
                metrics.add(Metric.REPORT_FAILED, 1);
            }
        }
    }

    /** Adds the invocation's duration and writes its metrics. */
    public void count(double durationMillis) {
        synchronized (metrics) {
            metrics.add(Metric.DURATION, durationMillis);
            metrics.flush();
        }
    }

    public static ObjectNode fields() {
        return JSON.createObjectNode();
    }
}
