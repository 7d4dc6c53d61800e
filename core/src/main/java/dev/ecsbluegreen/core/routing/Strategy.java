package dev.ecsbluegreen.core.routing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How live traffic moves to green: all at once (the default), or in weighted steps, each held for a bake before the
 * next — the {@code "strategy"} of the swap function's and the external controller's UserParameters alike. Every
 * step but the last sends {@link #percents()} of live traffic to green; the last is the
 * whole swap. After it, {@link #finalBake} may keep judging green before the job reports success.
 *
 * @param type {@code allAtOnce}, {@code canary} or {@code linear}
 * @param percents green's share of live traffic at each step before the last, increasing, each 1-99
 * @param bake how long each of those steps is held (and judged) before the next
 * @param finalBake how long green is judged with all live traffic before success is reported; zero: not at all
 */
public record Strategy(String type, List<Integer> percents, Duration bake, Duration finalBake) {
    public static final Strategy ALL_AT_ONCE = new Strategy("allAtOnce", List.of(), Duration.ZERO, Duration.ZERO);
    /** CodePipeline stops waiting for an action after 24 hours; keep an hour for the steps' own time. */
    public static final Duration MAX_TOTAL_BAKE = Duration.ofHours(23);
    private static final Map<String, Set<String>> KEYS = Map.of(
            "allAtOnce", Set.of("type", "finalBakeSeconds"),
            "canary", Set.of("type", "percent", "bakeSeconds", "finalBakeSeconds"),
            "linear", Set.of("type", "stepPercent", "stepBakeSeconds", "finalBakeSeconds"));

    public Strategy {
        percents = List.copyOf(percents);
    }

    /** Whether traffic moves in steps (then the job runs over several invocations, with continuation tokens). */
    public boolean progressive() {
        return !percents.isEmpty() || !finalBake.isZero();
    }

    /** Steps in all, the last being the whole swap. */
    public int steps() {
        return percents.size() + 1;
    }

    /** Green's share of live traffic at step {@code step} (1-based); 100 at the last. */
    public int percentAt(int step) {
        return step >= steps() ? 100 : percents.get(step - 1);
    }

    /** A strategy that cannot be used, saying why ({@code "strategy.percent" must be …}). */
    public static final class Invalid extends IllegalArgumentException {
        Invalid(String message) {
            super(message);
        }
    }

    /**
     * The {@code "strategy"} value of UserParameters; absent or null: {@link #ALL_AT_ONCE}.
     *
     * @throws Invalid naming the key at fault; the message starts with the key in quotes, for the caller to prefix
     */
    public static Strategy parse(JsonNode node) {
        if (node == null || node.isNull()) {
            return ALL_AT_ONCE;
        }
        if (!node.isObject()) {
            throw config("\"strategy\" must be an object such as {\"type\": \"canary\", \"percent\": 10, "
                    + "\"bakeSeconds\": 300}, not " + abbreviate(node.toString()));
        }
        JsonNode typeNode = node.get("type");
        String type = typeNode != null && typeNode.isTextual() ? typeNode.asText() : null;
        if (type == null || !KEYS.containsKey(type)) {
            throw config("\"strategy.type\" must be \"allAtOnce\", \"canary\" or \"linear\", not "
                    + (typeNode == null ? "missing" : abbreviate(typeNode.toString())));
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.get(type).contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw config("\"strategy\" of type " + type + " has unknown key(s) " + unknown + "; its keys are "
                    + KEYS.get(type).stream().sorted().toList());
        }
        Duration finalBake = seconds(node, "finalBakeSeconds", 0);
        Strategy strategy = switch (type) {
            case "canary" -> new Strategy(type, List.of(percent(node, "percent")),
                    seconds(node, "bakeSeconds", null), finalBake);
            case "linear" -> {
                int step = percent(node, "stepPercent");
                List<Integer> percents = new ArrayList<>();
                for (int p = step; p < 100; p += step) {
                    percents.add(p);
                }
                yield new Strategy(type, percents, seconds(node, "stepBakeSeconds", null), finalBake);
            }
            default -> new Strategy(type, List.of(), Duration.ZERO, finalBake);
        };
        Duration total = strategy.bake.multipliedBy(strategy.percents.size()).plus(finalBake);
        if (total.compareTo(MAX_TOTAL_BAKE) > 0) {
            throw config("\"strategy\" bakes " + total.toSeconds() + " s in all (" + strategy.percents.size()
                    + " step(s) and the final bake), more than the " + MAX_TOTAL_BAKE.toSeconds() + " s a CodePipeline "
                    + "action may run (24 hours, less an hour for the steps themselves)");
        }
        return strategy;
    }

    private static int percent(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > 99) {
            throw config("\"strategy." + key + "\" must be a whole percentage from 1 to 99, not "
                    + (value == null ? "missing" : abbreviate(value.toString())));
        }
        return value.asInt();
    }

    private static Duration seconds(JsonNode node, String key, Integer fallback) {
        JsonNode value = node.get(key);
        if ((value == null || value.isNull()) && fallback != null) {
            return Duration.ofSeconds(fallback);
        }
        if (value == null || !value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > 86_400) {
            throw config("\"strategy." + key + "\" must be whole seconds from 0 to 86400, not "
                    + (value == null ? "missing" : abbreviate(value.toString())));
        }
        return Duration.ofSeconds(value.asLong());
    }

    private static Invalid config(String message) {
        return new Invalid(message);
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }

    /** For the log. */
    public String describe() {
        return switch (type) {
            case "canary" -> "canary " + percents.get(0) + " % for " + bake.toSeconds() + " s";
            case "linear" -> "linear " + percents + " % each for " + bake.toSeconds() + " s";
            default -> "allAtOnce";
        } + (finalBake.isZero() ? "" : ", then a final bake of " + finalBake.toSeconds() + " s");
    }
}
