package dev.ecsbluegreen.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.analysis.ProviderSpec.Condition;
import dev.ecsbluegreen.analysis.ProviderSpec.Operator;
import dev.ecsbluegreen.analysis.ProviderSpec.PresetKind;
import dev.ecsbluegreen.analysis.metrics.Placeholder;
import dev.ecsbluegreen.core.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the {@code ANALYSIS} configuration (JSON) into {@link MetricSpec}s, with the defaults filled in; and the
 * {@code ALARM_NAMES} gate. Unknown fields are refused and every error names the field's path, e.g.
 * {@code ANALYSIS metrics[1].preset: 'green-5xx' is not one of green-5xx-ratio, …}, so a typo fails the deployment
 * loudly instead of silently judging less. Pure and thread-safe.
 *
 * <h2>Shape</h2>
 * <pre>{@code
 * {
 *   "interval": 60,               // seconds between two measurements of a metric, 1-3600          (default 60)
 *   "count": 3,                   // counted measurements (successful or failed) to pass, 1-100       (default 3)
 *   "failureLimit": 0,            // failed measurements tolerated, 0-100                            (default 0)
 *   "consecutiveErrorLimit": 4,   // provider errors in a row tolerated, 0-100                       (default 4)
 *   "inconclusiveLimit": 0,       // inconclusive measurements tolerated under "fail", 0-100         (default 0)
 *   "inconclusive": "fail",       // "fail" or "wait" (keep measuring; an ECS hook answers IN_PROGRESS) (default "fail")
 *   "metrics": [                  // at least one; each may override the six values above
 *     {"name": "alarms", "alarms": {"names": ["shop-5xx", "shop-latency"], "prefix": "shop-"}},
 *     {"name": "green 5xx", "preset": "green-5xx-ratio", "max": 0.01, "minRequests": 20},
 *     {"name": "green p95", "preset": "green-p95-latency", "max": 0.8, "interval": 120},
 *     {"name": "green vs blue", "greenVersusBlue": {"errorRatioMargin": 0.01, "latencyStat": "p95",
 *                                                   "latencyMargin": 0.2, "minRequests": 50}},
 *     {"name": "orders 5xx rate", "queries": [
 *         {"id": "errors", "namespace": "AWS/ApplicationELB", "metricName": "HTTPCode_Target_5XX_Count",
 *          "dimensions": {"TargetGroup": "${greenTargetGroup}", "LoadBalancer": "${loadBalancer}"},
 *          "period": 60, "stat": "Sum"},
 *         {"id": "rate", "expression": "errors / 60"}],
 *      "resultId": "rate", "fold": "maximum", "condition": {"operator": "<=", "threshold": 0.5}}
 *   ]
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Every metric has a unique, non-blank {@code name} (at most 100 characters) and exactly one of
 *       {@code alarms}, {@code preset}, {@code greenVersusBlue} or {@code queries}.
 *   <li>{@code alarms}: {@code names} (alarm names) and/or {@code prefix} (every alarm whose name starts with it).
 *   <li>{@code preset}: {@code green-5xx-ratio} (default {@code max} 0.01 = 1 %, {@code minRequests} 20),
 *       {@code green-p95-latency} (default {@code max} 1.0 s), {@code green-p99-latency} (2.0 s),
 *       {@code green-unhealthy-hosts} (0). {@code max} means the figure must be {@code <=} it, {@code min} that it
 *       must be {@code >=} it; give at most one. {@code minRequests} applies to {@code green-5xx-ratio} only.
 *   <li>{@code greenVersusBlue}: {@code errorRatioMargin} (absolute, 0-1, default 0.01), {@code latencyStat}
 *       ({@code Average}, {@code Minimum}, {@code Maximum} or a percentile {@code pNN}/{@code pNN.N}; absent: latency
 *       not compared), {@code latencyMargin} (relative, default 0.2 = 20 %, needs {@code latencyStat}),
 *       {@code latencyFloor} (seconds, default 0: a green latency at or under it passes whatever blue's),
 *       {@code minRequests} (default 50).
 *   <li>{@code queries}: 1-20 CloudWatch {@code GetMetricData} queries, each an {@code id} (CloudWatch's rule:
 *       a lowercase letter, then letters, digits and underscores) with either {@code expression} or a metric stat
 *       ({@code namespace}, {@code metricName}, {@code stat}, {@code period} 1, 5, 10, 30 or a multiple of 60 up to
 *       86400 (default 60), {@code dimensions} whose value may be {@code ${greenTargetGroup}},
 *       {@code ${blueTargetGroup}} or {@code ${loadBalancer}}); {@code resultId} (the query whose values are judged;
 *       may be left out when there is one query), {@code fold} ({@code sum}, {@code average}, {@code maximum},
 *       {@code minimum}, {@code last}) and {@code condition} ({@code operator} {@code <}, {@code <=}, {@code >},
 *       {@code >=}, and a {@code threshold}). Each measurement reads the last interval.
 * </ul>
 */
public final class AnalysisParser {
    /** The name of the gate {@link #alarms(String, Defaults)} makes from the {@code ALARM_NAMES} variable. */
    public static final String ALARM_NAMES = "ALARM_NAMES";
    static final int MAX_NAME = 100;
    static final int MAX_QUERIES = 20;
    private static final ObjectMapper JSON = Json.newMapper();
    private static final Pattern QUERY_ID = Pattern.compile("[a-z][a-zA-Z0-9_]*");
    private static final Pattern STATISTIC = Pattern.compile("Average|Minimum|Maximum|p(100|[0-9]{1,2})(\\.[0-9]{1,2})?");
    private static final List<String> LIMITS = List.of("interval", "count", "failureLimit", "consecutiveErrorLimit",
            "inconclusiveLimit", "inconclusive");
    private static final List<String> KINDS = List.of("alarms", "preset", "greenVersusBlue", "queries");
    private static final Map<String, List<String>> KIND_FIELDS = Map.of(
            "alarms", List.of("alarms"),
            "preset", List.of("preset", "max", "min", "minRequests"),
            "greenVersusBlue", List.of("greenVersusBlue"),
            "queries", List.of("queries", "resultId", "fold", "condition"));
    private static final Set<String> ALARMS_FIELDS = Set.of("names", "prefix");
    private static final Set<String> COMPARISON_FIELDS = Set.of("errorRatioMargin", "latencyStat", "latencyMargin", "latencyFloor",
            "minRequests");
    private static final Set<String> QUERY_FIELDS = Set.of("id", "namespace", "metricName", "dimensions", "period",
            "stat", "expression");
    private static final Set<String> CONDITION_FIELDS = Set.of("operator", "threshold");
    private static final Map<PresetKind, Double> PRESET_MAX = Map.of(PresetKind.GREEN_5XX_RATIO, 0.01,
            PresetKind.GREEN_P95_LATENCY, 1.0, PresetKind.GREEN_P99_LATENCY, 2.0, PresetKind.GREEN_UNHEALTHY_HOSTS, 0.0);
    static final long DEFAULT_PRESET_MIN_REQUESTS = 20;
    static final long DEFAULT_COMPARISON_MIN_REQUESTS = 50;

    private AnalysisParser() {}

    /** What a metric that does not say otherwise gets: the top-level values of {@code ANALYSIS}. */
    public record Defaults(Duration interval, int count, int failureLimit, int consecutiveErrorLimit,
                           int inconclusiveLimit, InconclusivePolicy inconclusive) {
        /** Every 60 s, 3 counted, no failure, 4 errors in a row, no inconclusive measurement tolerated. */
        public static final Defaults STANDARD = new Defaults(Duration.ofSeconds(60), 3, 0, 4, 0, InconclusivePolicy.FAIL);
    }

    /**
     * @param json the {@code ANALYSIS} variable
     * @throws InvalidConfigurationException naming the field at fault
     */
    public static List<MetricSpec> parse(String json) {
        JsonNode root = root(json);
        Defaults defaults = limits(root, Defaults.STANDARD, "ANALYSIS ");
        return metrics(root, defaults, Set.of());
    }

    /**
     * The analysis of both variables: {@code ANALYSIS}'s metrics, then the {@code ALARM_NAMES} gate with
     * {@code ANALYSIS}'s top-level values ({@link Defaults#STANDARD} without it). Either may be null or blank.
     *
     * @throws InvalidConfigurationException naming the variable and field at fault
     */
    public static List<MetricSpec> parse(String analysisJson, String alarmNames) {
        boolean noAnalysis = analysisJson == null || analysisJson.isBlank();
        boolean noAlarms = alarmNames == null || alarmNames.isBlank();
        JsonNode root = noAnalysis ? null : root(analysisJson);
        Defaults defaults = root == null ? Defaults.STANDARD : limits(root, Defaults.STANDARD, "ANALYSIS ");
        List<MetricSpec> metrics = new ArrayList<>(root == null ? List.of()
                : metrics(root, defaults, noAlarms ? Set.of() : Set.of(ALARM_NAMES)));
        if (!noAlarms) {
            metrics.add(alarms(alarmNames, defaults));
        }
        return List.copyOf(metrics);
    }

    /**
     * The {@code ALARM_NAMES} gate, named {@value #ALARM_NAMES}: comma-separated alarm names, of which one entry may
     * end in {@code *} to mean every alarm whose name starts with what comes before it.
     *
     * @throws InvalidConfigurationException when it names no alarm, more than one prefix, or has a {@code *} inside
     */
    public static MetricSpec alarms(String alarmNames, Defaults defaults) {
        List<String> names = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (String entry : (alarmNames == null ? "" : alarmNames).split(",")) {
            String name = entry.trim();
            if (name.isEmpty()) {
                continue;
            }
            int star = name.indexOf('*');
            if (star >= 0 && star != name.length() - 1) {
                throw new InvalidConfigurationException(ALARM_NAMES + ": '" + name
                        + "' has a * before its end (only a trailing * is a prefix)");
            }
            if (star >= 0) {
                if (name.length() == 1) {
                    throw new InvalidConfigurationException(ALARM_NAMES
                            + ": '*' would watch every alarm of the account: give a prefix before the *");
                }
                prefixes.add(name.substring(0, star));
            } else {
                names.add(name);
            }
        }
        if (names.isEmpty() && prefixes.isEmpty()) {
            throw new InvalidConfigurationException(ALARM_NAMES + " names no alarm");
        }
        if (prefixes.size() > 1) {
            throw new InvalidConfigurationException(ALARM_NAMES + ": at most one prefix (an entry ending in *), not "
                    + prefixes.stream().map(p -> "'" + p + "*'").collect(Collectors.joining(", ")));
        }
        return new MetricSpec(ALARM_NAMES, new ProviderSpec.Alarms(names.stream().distinct().toList(),
                prefixes.isEmpty() ? null : prefixes.get(0)), defaults.interval(), defaults.count(),
                defaults.failureLimit(), defaults.consecutiveErrorLimit(), defaults.inconclusiveLimit(),
                defaults.inconclusive());
    }

    // ------------------------------------------------------------------ the document

    private static JsonNode root(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidConfigurationException("ANALYSIS is blank: leave it unset for no analysis");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidConfigurationException("ANALYSIS is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidConfigurationException("ANALYSIS must be a JSON object with a metrics array");
        }
        refuseUnknown(root, fields(LIMITS, List.of("metrics")), "ANALYSIS");
        return root;
    }

    private static List<MetricSpec> metrics(JsonNode root, Defaults defaults, Set<String> takenNames) {
        JsonNode array = root.get("metrics");
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new InvalidConfigurationException("ANALYSIS metrics: must be a non-empty array of metrics");
        }
        List<MetricSpec> metrics = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            String at = "ANALYSIS metrics[" + i + "]";
            MetricSpec metric = metric(array.get(i), defaults, at);
            if (takenNames.contains(metric.name())) {
                throw new InvalidConfigurationException(at + ".name: '" + metric.name() + "' is the name of the "
                        + metric.name() + " gate");
            }
            Integer before = names.putIfAbsent(metric.name(), i);
            if (before != null) {
                throw new InvalidConfigurationException(at + ".name: '" + metric.name()
                        + "' is already the name of metrics[" + before + "]");
            }
            metrics.add(metric);
        }
        return List.copyOf(metrics);
    }

    private static MetricSpec metric(JsonNode node, Defaults defaults, String at) {
        if (node == null || !node.isObject()) {
            throw new InvalidConfigurationException(at + ": must be an object");
        }
        List<String> kinds = KINDS.stream().filter(node::has).toList();
        if (kinds.isEmpty()) {
            throw new InvalidConfigurationException(at + ": needs one of " + String.join(", ", KINDS));
        }
        if (kinds.size() > 1) {
            throw new InvalidConfigurationException(at + ": " + String.join(" and ", kinds)
                    + " exclude each other: give one");
        }
        String kind = kinds.get(0);
        refuseUnknown(node, fields(LIMITS, Stream.concat(Stream.of("name"), KIND_FIELDS.get(kind).stream()).toList()), at);
        String name = text(node, "name", at);
        if (name.isBlank() || name.length() > MAX_NAME) {
            throw new InvalidConfigurationException(at + ".name: must be a non-blank string of at most " + MAX_NAME
                    + " characters");
        }
        Defaults limits = limits(node, defaults, at + ".");
        ProviderSpec provider = switch (kind) {
            case "alarms" -> alarmsGate(node.get("alarms"), at + ".alarms");
            case "preset" -> preset(node, at);
            case "greenVersusBlue" -> comparison(node.get("greenVersusBlue"), at + ".greenVersusBlue");
            default -> queries(node, at);
        };
        return new MetricSpec(name, provider, limits.interval(), limits.count(), limits.failureLimit(),
                limits.consecutiveErrorLimit(), limits.inconclusiveLimit(), limits.inconclusive());
    }

    /** @param at the path before the field, ending in a dot or a space ("ANALYSIS metrics[0]." or "ANALYSIS ") */
    private static Defaults limits(JsonNode node, Defaults defaults, String at) {
        Duration interval = node.has("interval")
                ? Duration.ofSeconds(whole(node, "interval", 1, 3600, at, "a whole number of seconds from 1 to 3600"))
                : defaults.interval();
        InconclusivePolicy policy = defaults.inconclusive();
        if (node.has("inconclusive")) {
            String value = node.get("inconclusive").isTextual() ? node.get("inconclusive").asText() : null;
            if (!"fail".equals(value) && !"wait".equals(value)) {
                throw new InvalidConfigurationException(at + "inconclusive: " + quoted(node.get("inconclusive"))
                        + " is not one of fail, wait");
            }
            policy = value.equals("fail") ? InconclusivePolicy.FAIL : InconclusivePolicy.WAIT;
        }
        return new Defaults(interval,
                (int) wholeOr(node, "count", 1, 100, defaults.count(), at),
                (int) wholeOr(node, "failureLimit", 0, 100, defaults.failureLimit(), at),
                (int) wholeOr(node, "consecutiveErrorLimit", 0, 100, defaults.consecutiveErrorLimit(), at),
                (int) wholeOr(node, "inconclusiveLimit", 0, 100, defaults.inconclusiveLimit(), at),
                policy);
    }

    // ------------------------------------------------------------------ the providers

    private static ProviderSpec.Alarms alarmsGate(JsonNode node, String at) {
        object(node, at);
        refuseUnknown(node, ALARMS_FIELDS, at);
        List<String> names = new ArrayList<>();
        JsonNode array = node.get("names");
        if (array != null) {
            if (!array.isArray()) {
                throw new InvalidConfigurationException(at + ".names: must be an array of alarm names");
            }
            for (int i = 0; i < array.size(); i++) {
                JsonNode name = array.get(i);
                if (!name.isTextual() || name.asText().isBlank()) {
                    throw new InvalidConfigurationException(at + ".names[" + i + "]: must be a non-blank string");
                }
                names.add(name.asText());
            }
        }
        String prefix = null;
        if (node.has("prefix")) {
            prefix = text(node, "prefix", at);
            if (prefix.isBlank()) {
                throw new InvalidConfigurationException(at + ".prefix: must be a non-blank string");
            }
        }
        if (names.isEmpty() && prefix == null) {
            throw new InvalidConfigurationException(at + ": needs names or a prefix");
        }
        return new ProviderSpec.Alarms(names.stream().distinct().toList(), prefix);
    }

    private static ProviderSpec.Preset preset(JsonNode node, String at) {
        JsonNode value = node.get("preset");
        PresetKind kind = Arrays.stream(PresetKind.values())
                .filter(k -> value.isTextual() && k.configName().equals(value.asText())).findFirst()
                .orElseThrow(() -> new InvalidConfigurationException(at + ".preset: " + quoted(value) + " is not one of "
                        + Arrays.stream(PresetKind.values()).map(PresetKind::configName).collect(Collectors.joining(", "))));
        if (node.has("max") && node.has("min")) {
            throw new InvalidConfigurationException(at + ": max and min exclude each other: give one");
        }
        boolean ratio = kind == PresetKind.GREEN_5XX_RATIO;
        double upper = ratio ? 1 : Double.MAX_VALUE;
        String range = ratio ? "a ratio from 0 to 1 (0.01 is 1 %)"
                : kind == PresetKind.GREEN_UNHEALTHY_HOSTS ? "a number of hosts of at least 0" : "seconds, at least 0";
        Condition condition = node.has("min")
                ? new Condition(Operator.GREATER_THAN_OR_EQUAL, number(node, "min", 0, upper, at + ".", range))
                : new Condition(Operator.LESS_THAN_OR_EQUAL, node.has("max")
                ? number(node, "max", 0, upper, at + ".", range) : PRESET_MAX.get(kind));
        if (node.has("minRequests") && !ratio) {
            throw new InvalidConfigurationException(at + ".minRequests: applies to "
                    + PresetKind.GREEN_5XX_RATIO.configName() + " only");
        }
        long minRequests = ratio ? wholeOr(node, "minRequests", 0, 1_000_000_000, DEFAULT_PRESET_MIN_REQUESTS, at + ".")
                : 0;
        return new ProviderSpec.Preset(kind, condition, minRequests);
    }

    private static ProviderSpec.GreenVersusBlue comparison(JsonNode node, String at) {
        object(node, at);
        refuseUnknown(node, COMPARISON_FIELDS, at);
        double errorMargin = node.has("errorRatioMargin")
                ? number(node, "errorRatioMargin", 0, 1, at + ".", "a ratio from 0 to 1 (0.01 is one percentage point)")
                : 0.01;
        String stat = null;
        if (node.has("latencyStat")) {
            JsonNode value = node.get("latencyStat");
            if (!value.isTextual() || !STATISTIC.matcher(value.asText()).matches()) {
                throw new InvalidConfigurationException(at + ".latencyStat: " + quoted(value)
                        + " is not a statistic: Average, Minimum, Maximum or a percentile like p95 or p99.9");
            }
            stat = value.asText();
        }
        if (node.has("latencyMargin") && stat == null) {
            throw new InvalidConfigurationException(at + ".latencyMargin: needs latencyStat (the latency to compare)");
        }
        double latencyMargin = node.has("latencyMargin")
                ? number(node, "latencyMargin", 0, 100, at + ".", "a ratio from 0 to 100 (0.2 is 20 % slower)")
                : 0.2;
        if (node.has("latencyFloor") && stat == null) {
            throw new InvalidConfigurationException(at + ".latencyFloor: needs latencyStat (the latency to compare)");
        }
        double latencyFloor = node.has("latencyFloor")
                ? number(node, "latencyFloor", 0, 60, at + ".", "seconds from 0 to 60 (0.05 is 50 ms)")
                : 0;
        long minRequests = wholeOr(node, "minRequests", 0, 1_000_000_000, DEFAULT_COMPARISON_MIN_REQUESTS, at + ".");
        return new ProviderSpec.GreenVersusBlue(errorMargin, stat, latencyMargin, minRequests, latencyFloor);
    }

    private static ProviderSpec.MetricQuery queries(JsonNode node, String at) {
        JsonNode array = node.get("queries");
        if (!array.isArray() || array.isEmpty() || array.size() > MAX_QUERIES) {
            throw new InvalidConfigurationException(at + ".queries: must be an array of 1 to " + MAX_QUERIES
                    + " queries");
        }
        Map<String, Integer> ids = new LinkedHashMap<>();
        List<JsonNode> queries = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String where = at + ".queries[" + i + "]";
            JsonNode query = array.get(i);
            object(query, where);
            refuseUnknown(query, QUERY_FIELDS, where);
            String id = text(query, "id", where);
            if (!QUERY_ID.matcher(id).matches() || id.length() > 255) {
                throw new InvalidConfigurationException(where + ".id: '" + id
                        + "' must start with a lowercase letter, then letters, digits and underscores");
            }
            Integer before = ids.putIfAbsent(id, i);
            if (before != null) {
                throw new InvalidConfigurationException(where + ".id: '" + id + "' is already the id of queries["
                        + before + "]");
            }
            queries.add(query);
        }
        String resultId;
        if (node.has("resultId")) {
            resultId = text(node, "resultId", at);
            if (!ids.containsKey(resultId)) {
                throw new InvalidConfigurationException(at + ".resultId: '" + resultId + "' is not the id of a query ("
                        + String.join(", ", ids.keySet()) + ")");
            }
        } else if (ids.size() == 1) {
            resultId = ids.keySet().iterator().next();
        } else {
            throw new InvalidConfigurationException(at + ".resultId: names the query whose values are judged: "
                    + "needed with more than one query");
        }
        List<ProviderSpec.Query> parsed = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            parsed.add(query(queries.get(i), at + ".queries[" + i + "]", resultId));
        }
        JsonNode fold = node.get("fold");
        ProviderSpec.Fold folded = fold == null ? null : Arrays.stream(ProviderSpec.Fold.values())
                .filter(f -> fold.isTextual() && f.name().toLowerCase(Locale.ROOT).equals(fold.asText()))
                .findFirst().orElse(null);
        if (folded == null) {
            throw new InvalidConfigurationException(at + ".fold: " + (fold == null
                    ? "is needed (one of sum, average, maximum, minimum, last)"
                    : quoted(fold) + " is not one of sum, average, maximum, minimum, last"));
        }
        return new ProviderSpec.MetricQuery(parsed, resultId, folded, condition(node.get("condition"), at + ".condition"));
    }

    private static ProviderSpec.Query query(JsonNode node, String at, String resultId) {
        String id = node.get("id").asText();
        boolean returnData = id.equals(resultId);
        if (node.has("expression")) {
            for (String field : List.of("namespace", "metricName", "dimensions", "period", "stat")) {
                if (node.has(field)) {
                    throw new InvalidConfigurationException(at + ": expression and " + field
                            + " exclude each other (an expression or a metric stat)");
                }
            }
            String expression = text(node, "expression", at);
            if (expression.isBlank()) {
                throw new InvalidConfigurationException(at + ".expression: must be a non-blank string");
            }
            return new ProviderSpec.Query(id, null, null, Map.of(), null, null, expression, returnData);
        }
        for (String field : List.of("namespace", "metricName", "stat")) {
            if (text(node, field, at).isBlank()) {
                throw new InvalidConfigurationException(at + "." + field + ": must be a non-blank string");
            }
        }
        int period = (int) wholeOr(node, "period", 1, 86_400, 60, at + ".");
        if (period != 1 && period != 5 && period != 10 && period != 30 && period % 60 != 0) {
            throw new InvalidConfigurationException(at + ".period: " + period
                    + " is not 1, 5, 10, 30 or a multiple of 60 seconds");
        }
        return new ProviderSpec.Query(id, node.get("namespace").asText(), node.get("metricName").asText(),
                dimensions(node.get("dimensions"), at + ".dimensions"), period, node.get("stat").asText(), null,
                returnData);
    }

    private static Map<String, String> dimensions(JsonNode node, String at) {
        if (node == null) {
            return Map.of();
        }
        if (!node.isObject() || node.size() > 30) {
            throw new InvalidConfigurationException(at + ": must map at most 30 dimension names to values");
        }
        Map<String, String> dimensions = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String where = at + "." + entry.getKey();
            if (entry.getKey().isBlank() || !entry.getValue().isTextual() || entry.getValue().asText().isBlank()) {
                throw new InvalidConfigurationException(where + ": a dimension needs a name and a non-blank string value");
            }
            String value = entry.getValue().asText();
            if (Placeholder.looksLikeOne(value) && !Placeholder.ALL.contains(value)) {
                throw new InvalidConfigurationException(where + ": '" + value + "' is not one of "
                        + String.join(", ", Placeholder.ALL));
            }
            dimensions.put(entry.getKey(), value);
        }
        return dimensions;
    }

    private static Condition condition(JsonNode node, String at) {
        if (node == null) {
            throw new InvalidConfigurationException(at + ": is needed, e.g. {\"operator\": \"<=\", \"threshold\": 0.05}");
        }
        object(node, at);
        refuseUnknown(node, CONDITION_FIELDS, at);
        JsonNode symbol = node.get("operator");
        Operator operator = symbol != null && symbol.isTextual() ? Operator.ofSymbol(symbol.asText()) : null;
        if (operator == null) {
            throw new InvalidConfigurationException(at + ".operator: " + (symbol == null
                    ? "is needed (one of <, <=, >, >=)" : quoted(symbol) + " is not one of <, <=, >, >="));
        }
        if (!node.has("threshold")) {
            throw new InvalidConfigurationException(at + ".threshold: is needed");
        }
        return new Condition(operator, number(node, "threshold", -Double.MAX_VALUE, Double.MAX_VALUE, at + ".",
                "a finite number"));
    }

    // ------------------------------------------------------------------ fields

    private static Set<String> fields(List<String> some, List<String> more) {
        return Stream.concat(some.stream(), more.stream()).collect(Collectors.toSet());
    }

    private static void object(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw new InvalidConfigurationException(at + ": must be an object");
        }
    }

    private static void refuseUnknown(JsonNode node, Set<String> known, String at) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                throw new InvalidConfigurationException(at + ": unknown field '" + field + "' (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    private static String text(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new InvalidConfigurationException(at + "." + field + ": must be a string");
        }
        return value.asText();
    }

    private static long wholeOr(JsonNode node, String field, long min, long max, long fallback, String at) {
        return node.has(field) ? whole(node, field, min, max, at, "a whole number from " + min + " to " + max)
                : fallback;
    }

    private static long whole(JsonNode node, String field, long min, long max, String at, String what) {
        JsonNode value = node.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            throw new InvalidConfigurationException(at + field + ": must be " + what);
        }
        return value.asLong();
    }

    private static double number(JsonNode node, String field, double min, double max, String at, String what) {
        JsonNode value = node.get(field);
        double number = value.isNumber() ? value.asDouble() : Double.NaN;
        if (!(number >= min && number <= max) || Double.isInfinite(number)) { // NaN too
            throw new InvalidConfigurationException(at + field + ": must be " + what);
        }
        return number;
    }

    /** A value as an error message quotes it: a string in quotes, anything else as JSON, cut to 40 characters. */
    private static String quoted(JsonNode value) {
        String text = value.isTextual() ? "'" + value.asText() + "'" : value.toString();
        return text.length() <= 40 ? text : text.substring(0, 39) + "…";
    }
}
