package dev.ecsbluegreen.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.core.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses the {@code ANALYSIS} configuration into {@link MetricSpec}s (documented with examples in docs/hooks.md):
 * <pre>{@code
 * {"interval": 60, "count": 3, "failureLimit": 0, "consecutiveErrorLimit": 4, "inconclusiveLimit": 0,
 *  "inconclusive": "fail" | "wait",
 *  "metrics": [
 *    {"name": "alarms", "alarms": {"names": ["shop-5xx"], "prefix": "shop-"}},
 *    {"name": "green 5xx", "preset": "green-5xx-ratio", "max": 0.01, "minRequests": 20},
 *    {"name": "vs blue", "greenVersusBlue": {"errorRatioMargin": 0.01, "latencyStat": "p95", "latencyMargin": 0.2,
 *                                            "minRequests": 50}},
 *    {"name": "custom", "queries": [{"id": "e", "namespace": "Shop", "metricName": "Errors",
 *                                    "dimensions": {"TargetGroup": "${greenTargetGroup}"}, "period": 60, "stat": "Sum"}],
 *     "resultId": "e", "fold": "sum", "condition": {"operator": "<=", "threshold": 5}}]}
 * }</pre>
 * Top-level values are every metric's defaults; a metric may override {@code interval}, {@code count}, the limits
 * and {@code inconclusive}. Unknown fields are refused. Every error names the field at fault.
 */
public final class AnalysisParser {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    static final int DEFAULT_COUNT = 3;
    static final int DEFAULT_FAILURE_LIMIT = 0;
    static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
    static final int DEFAULT_INCONCLUSIVE_LIMIT = 0;
    private static final ObjectMapper JSON = Json.newMapper();
    private static final Set<String> TOP = Set.of("interval", "count", "failureLimit", "consecutiveErrorLimit",
            "inconclusiveLimit", "inconclusive", "metrics");
    private static final Set<String> COMMON = Set.of("name", "interval", "count", "failureLimit",
            "consecutiveErrorLimit", "inconclusiveLimit", "inconclusive");
    private static final List<String> KINDS = List.of("alarms", "preset", "greenVersusBlue", "queries");

    private AnalysisParser() {}

    /** @throws InvalidConfigurationException naming the field at fault */
    public static List<MetricSpec> parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidConfigurationException("ANALYSIS is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidConfigurationException("ANALYSIS must be a JSON object with a \"metrics\" array");
        }
        refuseUnknown(root, TOP, "ANALYSIS");
        Defaults defaults = new Defaults(
                seconds(root, "interval", DEFAULT_INTERVAL, "ANALYSIS"),
                intIn(root, "count", DEFAULT_COUNT, 1, 100, "ANALYSIS"),
                intIn(root, "failureLimit", DEFAULT_FAILURE_LIMIT, 0, 100, "ANALYSIS"),
                intIn(root, "consecutiveErrorLimit", DEFAULT_CONSECUTIVE_ERROR_LIMIT, 0, 100, "ANALYSIS"),
                intIn(root, "inconclusiveLimit", DEFAULT_INCONCLUSIVE_LIMIT, 0, 100, "ANALYSIS"),
                policy(root, InconclusivePolicy.FAIL, "ANALYSIS"));
        JsonNode metrics = root.get("metrics");
        if (metrics == null || !metrics.isArray() || metrics.isEmpty()) {
            throw new InvalidConfigurationException("ANALYSIS.metrics must be a non-empty array of metrics");
        }
        List<MetricSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < metrics.size(); i++) {
            MetricSpec spec = metric(metrics.get(i), "ANALYSIS metrics[" + i + "]", defaults);
            if (!names.add(spec.name())) {
                throw new InvalidConfigurationException("ANALYSIS metrics[" + i + "].name: '" + spec.name()
                        + "' is the name of an earlier metric; names must be unique");
            }
            specs.add(spec);
        }
        return specs;
    }

    private record Defaults(Duration interval, int count, int failureLimit, int consecutiveErrorLimit,
                            int inconclusiveLimit, InconclusivePolicy inconclusive) {}

    private static MetricSpec metric(JsonNode node, String where, Defaults defaults) {
        if (node == null || !node.isObject()) {
            throw new InvalidConfigurationException(where + " is not a JSON object");
        }
        JsonNode name = node.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw new InvalidConfigurationException(where + ".name: every metric needs a name (non-blank text)");
        }
        List<String> kinds = KINDS.stream().filter(node::has).toList();
        if (kinds.size() != 1) {
            throw new InvalidConfigurationException(where + " ('" + name.asText() + "'): give exactly one of "
                    + String.join(", ", KINDS) + (kinds.isEmpty() ? "" : ", not " + String.join(" and ", kinds)));
        }
        String kind = kinds.get(0);
        Set<String> allowed = new HashSet<>(COMMON);
        allowed.add(kind);
        ProviderSpec provider = switch (kind) {
            case "alarms" -> alarms(node.get("alarms"), where + ".alarms");
            case "preset" -> {
                allowed.addAll(Set.of("max", "min", "minRequests"));
                yield preset(node, where);
            }
            case "greenVersusBlue" -> greenVersusBlue(node.get("greenVersusBlue"), where + ".greenVersusBlue");
            default -> {
                allowed.addAll(Set.of("resultId", "fold", "condition"));
                yield queries(node, where);
            }
        };
        refuseUnknown(node, allowed, where);
        return new MetricSpec(name.asText().trim(), provider,
                seconds(node, "interval", defaults.interval(), where),
                intIn(node, "count", defaults.count(), 1, 100, where),
                intIn(node, "failureLimit", defaults.failureLimit(), 0, 100, where),
                intIn(node, "consecutiveErrorLimit", defaults.consecutiveErrorLimit(), 0, 100, where),
                intIn(node, "inconclusiveLimit", defaults.inconclusiveLimit(), 0, 100, where),
                policy(node, defaults.inconclusive(), where));
    }

    private static ProviderSpec.Alarms alarms(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new InvalidConfigurationException(where + " must be an object: {\"names\": [...], \"prefix\": \"...\"}");
        }
        refuseUnknown(node, Set.of("names", "prefix"), where);
        List<String> names = new ArrayList<>();
        JsonNode list = node.get("names");
        if (list != null) {
            if (!list.isArray()) {
                throw new InvalidConfigurationException(where + ".names must be an array of alarm names");
            }
            for (int i = 0; i < list.size(); i++) {
                if (!list.get(i).isTextual() || list.get(i).asText().isBlank()) {
                    throw new InvalidConfigurationException(where + ".names[" + i + "] is not an alarm name");
                }
                names.add(list.get(i).asText());
            }
        }
        String prefix = optionalText(node, "prefix", where);
        if (names.isEmpty() && prefix == null) {
            throw new InvalidConfigurationException(where + ": name at least one alarm (names) or a prefix");
        }
        return new ProviderSpec.Alarms(names, prefix);
    }

    private static ProviderSpec.Preset preset(JsonNode node, String where) {
        String text = optionalText(node, "preset", where);
        ProviderSpec.PresetKind kind = null;
        for (ProviderSpec.PresetKind candidate : ProviderSpec.PresetKind.values()) {
            if (candidate.configName().equals(text)) {
                kind = candidate;
            }
        }
        if (kind == null) {
            List<String> known = java.util.Arrays.stream(ProviderSpec.PresetKind.values())
                    .map(ProviderSpec.PresetKind::configName).toList();
            throw new InvalidConfigurationException(where + ".preset: '" + text + "' is not one of " + String.join(", ", known));
        }
        if (node.has("max") && node.has("min")) {
            throw new InvalidConfigurationException(where + ": give max or min, not both");
        }
        double fallback = switch (kind) {
            case GREEN_5XX_RATIO -> 0.01;
            case GREEN_P95_LATENCY -> 1.0;
            case GREEN_P99_LATENCY -> 2.0;
            case GREEN_UNHEALTHY_HOSTS -> 0;
        };
        ProviderSpec.Condition condition = node.has("min")
                ? new ProviderSpec.Condition(ProviderSpec.Operator.GREATER_THAN_OR_EQUAL, number(node, "min", 0, where))
                : new ProviderSpec.Condition(ProviderSpec.Operator.LESS_THAN_OR_EQUAL, number(node, "max", fallback, where));
        long minRequests = intIn(node, "minRequests", 20, 0, 1_000_000_000, where);
        return new ProviderSpec.Preset(kind, condition, minRequests);
    }

    private static ProviderSpec.GreenVersusBlue greenVersusBlue(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new InvalidConfigurationException(where + " must be an object (may be empty: {})");
        }
        refuseUnknown(node, Set.of("errorRatioMargin", "latencyStat", "latencyMargin", "minRequests"), where);
        String stat = optionalText(node, "latencyStat", where);
        if (stat != null && !stat.matches("p\\d{1,2}(\\.\\d+)?|Average|Maximum|Minimum")) {
            throw new InvalidConfigurationException(where + ".latencyStat: '" + stat
                    + "' is not a CloudWatch statistic such as p95, p99 or Average");
        }
        return new ProviderSpec.GreenVersusBlue(number(node, "errorRatioMargin", 0.01, where), stat,
                number(node, "latencyMargin", 0.2, where), intIn(node, "minRequests", 50, 0, 1_000_000_000, where));
    }

    private static ProviderSpec.MetricQuery queries(JsonNode node, String where) {
        JsonNode list = node.get("queries");
        if (!list.isArray() || list.isEmpty()) {
            throw new InvalidConfigurationException(where + ".queries must be a non-empty array of queries");
        }
        List<ProviderSpec.Query> queries = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            ProviderSpec.Query query = query(list.get(i), where + ".queries[" + i + "]");
            if (!ids.add(query.id())) {
                throw new InvalidConfigurationException(where + ".queries[" + i + "].id: '" + query.id() + "' is used twice");
            }
            queries.add(query);
        }
        String resultId = optionalText(node, "resultId", where);
        if (resultId == null) {
            resultId = queries.get(queries.size() - 1).id();
        } else if (!ids.contains(resultId)) {
            throw new InvalidConfigurationException(where + ".resultId: '" + resultId + "' is not the id of one of its queries");
        }
        String foldText = optionalText(node, "fold", where);
        ProviderSpec.Fold fold;
        try {
            fold = foldText == null ? ProviderSpec.Fold.LAST : ProviderSpec.Fold.valueOf(foldText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(where + ".fold: '" + foldText + "' is not one of sum, average, "
                    + "maximum, minimum, last");
        }
        return new ProviderSpec.MetricQuery(queries, resultId, fold, condition(node.get("condition"), where + ".condition"));
    }

    private static ProviderSpec.Query query(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new InvalidConfigurationException(where + " is not a JSON object");
        }
        refuseUnknown(node, Set.of("id", "namespace", "metricName", "dimensions", "period", "stat", "expression",
                "returnData"), where);
        String id = optionalText(node, "id", where);
        if (id == null || !id.matches("[a-z][a-zA-Z0-9_]*")) {
            throw new InvalidConfigurationException(where + ".id: '" + id + "' must start with a lower-case letter and "
                    + "hold only letters, digits and _ (as CloudWatch requires)");
        }
        Integer period = node.has("period") ? intIn(node, "period", 60, 1, 86_400, where) : null;
        boolean returnData = !node.has("returnData") || bool(node, "returnData", where);
        String expression = optionalText(node, "expression", where);
        if (expression != null) {
            if (node.has("namespace") || node.has("metricName") || node.has("stat") || node.has("dimensions")) {
                throw new InvalidConfigurationException(where + ": an expression query takes no namespace, "
                        + "metricName, stat or dimensions");
            }
            return new ProviderSpec.Query(id, null, null, Map.of(), period, null, expression, returnData);
        }
        String namespace = required(node, "namespace", where);
        String metricName = required(node, "metricName", where);
        String stat = required(node, "stat", where);
        Map<String, String> dimensions = new LinkedHashMap<>();
        JsonNode dims = node.get("dimensions");
        if (dims != null) {
            if (!dims.isObject()) {
                throw new InvalidConfigurationException(where + ".dimensions must be an object of name: value");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = dims.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().isTextual()) {
                    throw new InvalidConfigurationException(where + ".dimensions." + entry.getKey() + " is not text");
                }
                dimensions.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return new ProviderSpec.Query(id, namespace, metricName, dimensions, period == null ? 60 : period, stat, null,
                returnData);
    }

    private static ProviderSpec.Condition condition(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new InvalidConfigurationException(where + " must be an object: {\"operator\": \"<=\", \"threshold\": 5}");
        }
        refuseUnknown(node, Set.of("operator", "threshold"), where);
        String symbol = optionalText(node, "operator", where);
        for (ProviderSpec.Operator operator : ProviderSpec.Operator.values()) {
            if (operator.symbol().equals(symbol)) {
                if (!node.has("threshold")) {
                    throw new InvalidConfigurationException(where + ".threshold is missing");
                }
                return new ProviderSpec.Condition(operator, number(node, "threshold", 0, where));
            }
        }
        throw new InvalidConfigurationException(where + ".operator: '" + symbol + "' is not one of <, <=, >, >=");
    }

    private static InconclusivePolicy policy(JsonNode node, InconclusivePolicy fallback, String where) {
        String text = optionalText(node, "inconclusive", where);
        if (text == null) {
            return fallback;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "fail" -> InconclusivePolicy.FAIL;
            case "wait" -> InconclusivePolicy.WAIT;
            default -> throw new InvalidConfigurationException(where + ".inconclusive: '" + text + "' is not one of fail, wait");
        };
    }

    private static Duration seconds(JsonNode node, String field, Duration fallback, String where) {
        return node.has(field) ? Duration.ofSeconds(intIn(node, field, 0, 1, 3600, where)) : fallback;
    }

    private static int intIn(JsonNode node, String field, int fallback, int min, int max, String where) {
        JsonNode value = node.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            throw new InvalidConfigurationException(where + "." + field + ": " + value + " is not a whole number from "
                    + min + " to " + max);
        }
        return value.asInt();
    }

    private static double number(JsonNode node, String field, double fallback, String where) {
        JsonNode value = node.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble()) || value.asDouble() < 0) {
            throw new InvalidConfigurationException(where + "." + field + ": " + value + " is not a number ≥ 0");
        }
        return value.asDouble();
    }

    private static boolean bool(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (!value.isBoolean()) {
            throw new InvalidConfigurationException(where + "." + field + ": " + value + " is not true or false");
        }
        return value.asBoolean();
    }

    private static String optionalText(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new InvalidConfigurationException(where + "." + field + ": " + value + " is not non-blank text");
        }
        return value.asText().trim();
    }

    private static String required(JsonNode node, String field, String where) {
        String value = optionalText(node, field, where);
        if (value == null) {
            throw new InvalidConfigurationException(where + "." + field + " is missing");
        }
        return value;
    }

    private static void refuseUnknown(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                throw new InvalidConfigurationException(where + ": unknown field '" + field + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }
}
