package dev.ecsbluegreen.core.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.core.Json;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * One invocation's metrics, written at its end as CloudWatch Embedded Metric Format log lines
 * (<a href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html">the
 * specification</a>): {@code {"_aws": {"Timestamp": ms, "CloudWatchMetrics": [{"Namespace", "Dimensions",
 * "Metrics": [{"Name", "Unit"}]}]}, "<dimension>": "<value>", "<metric>": value}}. CloudWatch Logs turns each line
 * into metric data in Lambda without an agent or an API call, so emitting costs no time and no permission.
 *
 * <p>Dimension sets, as in {@link Metric}: {@code [service]}, {@code [service, <scope>]} when a scope was given, and
 * {@code [service, <breakdown>]} for the values added with a breakdown; one line per distinct set of dimension
 * values. Several values of one metric on one line become an array (at most 100, the specification's limit). The
 * cold start is its own line, as Powertools for Python and TypeScript write it: {@code ColdStart} under
 * {@code [service, function_name]} (Powertools for Java 2.9 names its dimension {@code Service}, measured in
 * BENCHMARKS.md; this project keeps one spelling, the log key's).
 * The line also carries {@code function_request_id} and {@code xray_trace_id} as plain properties, so that Logs
 * Insights finds the invocation behind a data point. Not thread-safe: one per invocation, on its thread.
 */
public final class MetricsLog {
    public static final String NAMESPACE_ENV = "POWERTOOLS_METRICS_NAMESPACE";
    public static final String DEFAULT_NAMESPACE = "ecs-bluegreen";
    static final int MAX_VALUES = 100;
    static final int MAX_DIMENSION_VALUE = 250;
    private static final ObjectMapper JSON = Json.newMapper();

    private final String namespace;
    private final Invocation invocation;
    private final Consumer<String> sink;
    private final LongSupplier epochMillis;
    private final Map<String, String> scope = new LinkedHashMap<>();
    /** breakdown (null for none) → metric → values. */
    private final Map<List<String>, Map<Metric, List<Double>>> values = new LinkedHashMap<>();

    public MetricsLog(Invocation invocation, UnaryOperator<String> env, Consumer<String> sink) {
        this(namespace(env), invocation, sink, System::currentTimeMillis);
    }

    MetricsLog(String namespace, Invocation invocation, Consumer<String> sink, LongSupplier epochMillis) {
        this.namespace = namespace;
        this.invocation = invocation;
        this.sink = sink;
        this.epochMillis = epochMillis;
    }

    static String namespace(UnaryOperator<String> env) {
        String value = env.apply(NAMESPACE_ENV);
        return value == null || value.isBlank() ? DEFAULT_NAMESPACE : value.strip();
    }

    /** The invocation's subject (for example {@code LoadBalancer} = the load balancer's name); blank is ignored. */
    public MetricsLog scope(String dimension, String value) {
        if (value != null && !value.isBlank()) {
            scope.put(dimension, clip(value));
        }
        return this;
    }

    public MetricsLog add(Metric metric, double value) {
        return add(metric, value, null, null);
    }

    /** A value broken down by {@code dimension} = {@code value} (for example {@code Reason} = {@code JobFailed}). */
    public MetricsLog add(Metric metric, double value, String dimension, String dimensionValue) {
        List<String> breakdown = dimension == null || dimensionValue == null || dimensionValue.isBlank()
                ? List.of() : List.of(dimension, clip(dimensionValue));
        values.computeIfAbsent(breakdown, b -> new EnumMap<>(Metric.class))
                .computeIfAbsent(metric, m -> new ArrayList<>()).add(value);
        return this;
    }

    /** Writes every line (the cold start's first, when this is one) and forgets them. */
    public void flush() {
        long now = epochMillis.getAsLong();
        if (invocation.coldStart()) {
            ObjectNode line = envelope(now, List.of(List.of("service", "function_name")),
                    Map.of(Metric.COLD_START, List.of(1.0)));
            line.put("service", invocation.service());
            line.put("function_name", invocation.functionName() == null ? invocation.service() : invocation.functionName());
            finish(line, Map.of(Metric.COLD_START, List.of(1.0)));
        }
        values.forEach((breakdown, metrics) -> {
            for (int from = 0; ; from += MAX_VALUES) {
                Map<Metric, List<Double>> chunk = chunk(metrics, from);
                if (chunk.isEmpty()) {
                    break;
                }
                List<List<String>> sets = new ArrayList<>();
                sets.add(List.of("service"));
                scope.keySet().forEach(key -> sets.add(List.of("service", key)));
                if (!breakdown.isEmpty()) {
                    sets.add(List.of("service", breakdown.get(0)));
                }
                ObjectNode line = envelope(now, sets, chunk);
                line.put("service", invocation.service());
                scope.forEach(line::put);
                if (!breakdown.isEmpty()) {
                    line.put(breakdown.get(0), breakdown.get(1));
                }
                finish(line, chunk);
            }
        });
        values.clear();
    }

    private static Map<Metric, List<Double>> chunk(Map<Metric, List<Double>> metrics, int from) {
        Map<Metric, List<Double>> chunk = new EnumMap<>(Metric.class);
        metrics.forEach((metric, list) -> {
            if (from < list.size()) {
                chunk.put(metric, list.subList(from, Math.min(list.size(), from + MAX_VALUES)));
            }
        });
        return chunk;
    }

    private ObjectNode envelope(long now, List<List<String>> dimensionSets, Map<Metric, List<Double>> metrics) {
        ObjectNode line = JSON.createObjectNode();
        ObjectNode aws = line.putObject("_aws").put("Timestamp", now);
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject().put("Namespace", namespace);
        ArrayNode dimensions = directive.putArray("Dimensions");
        dimensionSets.forEach(set -> {
            ArrayNode names = dimensions.addArray();
            set.forEach(names::add);
        });
        ArrayNode definitions = directive.putArray("Metrics");
        metrics.keySet().forEach(metric -> definitions.addObject().put("Name", metric.metricName)
                .put("Unit", metric.unit.emfName));
        return line;
    }

    private void finish(ObjectNode line, Map<Metric, List<Double>> metrics) {
        metrics.forEach((metric, list) -> {
            if (list.size() == 1) {
                line.put(metric.metricName, list.get(0));
            } else {
                ArrayNode array = line.putArray(metric.metricName);
                list.forEach(array::add);
            }
        });
        if (invocation.requestId() != null) {
            line.put("function_request_id", invocation.requestId());
        }
        if (invocation.traceId() != null) {
            line.put("xray_trace_id", invocation.traceId());
        }
        sink.accept(line.toString());
    }

    private static String clip(String value) {
        return value.length() <= MAX_DIMENSION_VALUE ? value : value.substring(0, MAX_DIMENSION_VALUE);
    }
}
