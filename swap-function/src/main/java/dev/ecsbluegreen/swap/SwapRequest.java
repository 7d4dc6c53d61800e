package dev.ecsbluegreen.swap;

import static dev.ecsbluegreen.swap.FailureType.ConfigurationError;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.analysis.AnalysisParser;
import dev.ecsbluegreen.analysis.InvalidConfigurationException;
import dev.ecsbluegreen.analysis.MetricSpec;
import dev.ecsbluegreen.core.routing.Strategy;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * What the operator asked for in the action's UserParameters.
 *
 * <p>Accepted forms: the reference architecture's {@code {"ElbName": "my-alb"}}; a bare load balancer name or
 * ARN ({@code my-alb}); and the full form
 * {@code {"loadBalancer": "my-alb", "liveListener": 443, "testListener": 8443, "targetGroups": ["blue", "green"],
 * "requireHealthyGreen": true}} where listeners are ports or ARNs and every key but the load balancer is
 * optional.
 *
 * @param loadBalancer name or ARN
 * @param liveListener {@code null}: 443, else 80
 * @param testListener {@code null}: 8443, else 8080
 * @param targetGroups the two target groups to swap, by name or ARN; empty: found from the listeners
 * @param requireHealthyGreen refuse to promote a target group with no healthy target
 * @param strategy how live traffic moves ({@link Strategy#ALL_AT_ONCE} unless {@code "strategy"} says otherwise)
 * @param analysis what judges green between steps: {@code "analysis"} (the hooks' ANALYSIS document) and
 *     {@code "alarmNames"}, parsed by {@link AnalysisParser}; empty: green's target health alone
 * @param dryRun report every write the job would make, step by step, and write nothing
 */
public record SwapRequest(String loadBalancer, ListenerRef liveListener, ListenerRef testListener,
                          List<String> targetGroups, boolean requireHealthyGreen, Strategy strategy,
                          List<MetricSpec> analysis, boolean dryRun) {
    /** Environment variable giving the default of {@code requireHealthyGreen} ({@code true} when unset). */
    public static final String REQUIRE_HEALTHY_GREEN_ENV = "REQUIRE_HEALTHY_GREEN";

    private static final Set<String> KEYS = Set.of("ElbName", "loadBalancer", "liveListener", "testListener",
            "targetGroups", "requireHealthyGreen", "strategy", "analysis", "alarmNames", "dryRun");
    private static final Pattern LB_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?");
    private static final Pattern LB_ARN = Pattern.compile("arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:loadbalancer/app/[^/]+/[0-9a-f]+");
    private static final Pattern LISTENER_ARN = Pattern.compile("arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:listener/app/[^/]+/[0-9a-f]+/[0-9a-f]+");
    static final String EXAMPLE = "{\"ElbName\": \"my-alb\"} or {\"loadBalancer\": \"my-alb\", \"liveListener\": 443, \"testListener\": 8443}";

    public SwapRequest {
        targetGroups = List.copyOf(targetGroups);
        analysis = List.copyOf(analysis);
    }

    /** The all-at-once swap, as before strategies existed. */
    public SwapRequest(String loadBalancer, ListenerRef liveListener, ListenerRef testListener, List<String> targetGroups,
                       boolean requireHealthyGreen) {
        this(loadBalancer, liveListener, testListener, targetGroups, requireHealthyGreen, Strategy.ALL_AT_ONCE, List.of(),
                false);
    }

    /**
     * @param env the function's environment (for defaults)
     * @throws SwapException ({@link FailureType#ConfigurationError}) saying what to fix
     */
    public static SwapRequest parse(String userParameters, ObjectMapper mapper, UnaryOperator<String> env) {
        boolean healthyDefault = parseBooleanEnv(env.apply(REQUIRE_HEALTHY_GREEN_ENV));
        String text = userParameters == null ? "" : userParameters.strip();
        if (text.isEmpty()) {
            throw config("UserParameters is empty: set it to the load balancer to swap, e.g. " + EXAMPLE);
        }
        if (!text.startsWith("{") && !text.startsWith("\"")) {
            return new SwapRequest(loadBalancerName(text, "UserParameters"), null, null, List.of(), healthyDefault);
        }
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw config("UserParameters is not valid JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + "); expected "
                    + EXAMPLE);
        }
        if (root.isTextual()) {
            return new SwapRequest(loadBalancerName(root.asText(), "UserParameters"), null, null, List.of(), healthyDefault);
        }
        if (!root.isObject()) {
            throw config("UserParameters must be a JSON object or a load balancer name, not " + root.getNodeType()
                    .toString().toLowerCase(java.util.Locale.ROOT) + "; expected " + EXAMPLE);
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw config("UserParameters has unknown key(s) " + unknown + "; the keys are ElbName (or loadBalancer), "
                    + "liveListener, testListener, targetGroups, requireHealthyGreen, strategy, analysis, alarmNames, "
                    + "dryRun");
        }
        String elbName = text(root, "ElbName");
        String loadBalancer = text(root, "loadBalancer");
        if (elbName != null && loadBalancer != null && !elbName.equals(loadBalancer)) {
            throw config("UserParameters names two load balancers (ElbName \"" + elbName + "\" and loadBalancer \""
                    + loadBalancer + "\"): keep one");
        }
        String lb = elbName != null ? elbName : loadBalancer;
        if (lb == null) {
            throw config("UserParameters does not name the load balancer: add \"ElbName\" (or \"loadBalancer\"), e.g. " + EXAMPLE);
        }
        ListenerRef live = listener(root, "liveListener");
        ListenerRef test = listener(root, "testListener");
        if (live != null && live.equals(test)) {
            throw config("liveListener and testListener are both " + live + ": they must be two different listeners");
        }
        Strategy strategy;
        try {
            strategy = Strategy.parse(root.get("strategy"));
        } catch (Strategy.Invalid e) {
            throw config("UserParameters " + e.getMessage());
        }
        List<MetricSpec> analysis = analysis(root, mapper);
        if (!analysis.isEmpty() && !strategy.progressive()) {
            throw config("UserParameters \"analysis\"/\"alarmNames\" judge green between steps and during a final bake, "
                    + "and the strategy " + strategy.type() + " has neither: add \"finalBakeSeconds\" to \"strategy\" "
                    + "or use a canary or linear strategy");
        }
        return new SwapRequest(loadBalancerName(lb, elbName != null ? "ElbName" : "loadBalancer"), live, test,
                targetGroups(root), bool(root, "requireHealthyGreen", healthyDefault), strategy, analysis,
                bool(root, "dryRun", false));
    }

    /** {@code "analysis"} (a JSON object, the hooks' ANALYSIS document) and {@code "alarmNames"} (array or string). */
    private static List<MetricSpec> analysis(JsonNode root, ObjectMapper mapper) {
        JsonNode analysis = root.get("analysis");
        JsonNode alarms = root.get("alarmNames");
        if (analysis != null && !analysis.isNull() && !analysis.isObject()) {
            throw config("UserParameters \"analysis\" must be a JSON object with a \"metrics\" array (see docs/hooks.md, "
                    + "\"Analysis\"), not " + abbreviate(analysis.toString()));
        }
        String alarmNames = null;
        if (alarms != null && !alarms.isNull()) {
            List<String> names = new ArrayList<>();
            if (alarms.isTextual()) {
                names.add(alarms.asText());
            } else if (alarms.isArray()) {
                alarms.forEach(n -> names.add(n.isTextual() && !n.asText().contains(",") ? n.asText() : ","));
            }
            if (names.isEmpty() || names.contains(",")) {
                throw config("UserParameters \"alarmNames\" must be alarm names, e.g. [\"shop-5xx\", \"shop-*\"], not "
                        + abbreviate(alarms.toString()));
            }
            alarmNames = String.join(",", names);
        }
        if ((analysis == null || analysis.isNull()) && alarmNames == null) {
            return List.of();
        }
        try {
            String json = analysis == null || analysis.isNull() ? null : mapper.writeValueAsString(analysis);
            return AnalysisParser.parse(json, alarmNames);
        } catch (InvalidConfigurationException e) {
            throw config("UserParameters " + e.getMessage().replaceFirst("^ANALYSIS", "\"analysis\"")
                    .replaceFirst("^" + AnalysisParser.ALARM_NAMES, "\"alarmNames\""));
        } catch (JsonProcessingException e) {
            throw config("UserParameters \"analysis\" could not be read: " + e.getOriginalMessage());
        }
    }

    private static String loadBalancerName(String value, String key) {
        if (LB_NAME.matcher(value).matches() || LB_ARN.matcher(value).matches()) {
            return value;
        }
        throw config(key + " \"" + abbreviate(value) + "\" is not an Application Load Balancer name (1-32 letters, digits "
                + "and hyphens) or ARN; expected " + EXAMPLE);
    }

    private static String text(JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw config("UserParameters \"" + key + "\" must be a non-empty string, not " + abbreviate(node.toString()));
        }
        return node.asText().strip();
    }

    private static ListenerRef listener(JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber() && node.asInt() >= 1 && node.asInt() <= 65535) {
            return ListenerRef.port(node.asInt());
        }
        if (node.isTextual()) {
            String value = node.asText().strip();
            if (value.matches("\\d{1,5}") && Integer.parseInt(value) >= 1 && Integer.parseInt(value) <= 65535) {
                return ListenerRef.port(Integer.parseInt(value));
            }
            if (LISTENER_ARN.matcher(value).matches()) {
                return ListenerRef.arn(value);
            }
        }
        throw config("UserParameters \"" + key + "\" must be a listener port (1-65535) or listener ARN, not "
                + abbreviate(node.toString()));
    }

    private static List<String> targetGroups(JsonNode root) {
        JsonNode node = root.get("targetGroups");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() != 2 || !node.get(0).isTextual() || !node.get(1).isTextual()
                || node.get(0).asText().isBlank() || node.get(0).asText().equals(node.get(1).asText())) {
            throw config("UserParameters \"targetGroups\" must name the two target groups to swap, e.g. "
                    + "[\"app-blue\", \"app-green\"], not " + abbreviate(node.toString()));
        }
        return List.of(node.get(0).asText().strip(), node.get(1).asText().strip());
    }

    private static boolean bool(JsonNode root, String key, boolean fallback) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw config("UserParameters \"" + key + "\" must be true or false, not " + abbreviate(node.toString()));
        }
        return node.asBoolean();
    }

    private static boolean parseBooleanEnv(String value) {
        if (value == null || value.isBlank()) {
            return true;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw config("environment variable " + REQUIRE_HEALTHY_GREEN_ENV + " must be true or false, not \""
                    + abbreviate(value) + "\"");
        };
    }

    static String abbreviate(String value) {
        return value.length() <= 120 ? value : value.substring(0, 117) + "...";
    }

    private static SwapException config(String message) {
        return new SwapException(ConfigurationError, message);
    }

    /** For log lines: the request as the operator wrote it, normalised. */
    Map<String, Object> describe() {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("loadBalancer", loadBalancer);
        fields.put("liveListener", liveListener == null ? "443 else 80" : liveListener.toString());
        fields.put("testListener", testListener == null ? "8443 else 8080" : testListener.toString());
        fields.put("targetGroups", targetGroups);
        fields.put("requireHealthyGreen", requireHealthyGreen);
        fields.put("strategy", strategy.describe());
        fields.put("analysis", analysis.stream().map(MetricSpec::name).toList());
        fields.put("dryRun", dryRun);
        return fields;
    }
}
