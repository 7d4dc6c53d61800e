package dev.ecsbluegreen.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the tallies of {@link Analysis#measureOnce} as a small JSON object, and reads them back, for an Amazon ECS
 * hook's {@code hookDetails} between invocations:
 *
 * <pre>{@code {"green 5xx": {"s": 2, "f": 0, "e": 1, "c": 1, "i": 0, "l": "green 5xx ratio 0.2 % (1 of 500 requests) <= 1 %"}}}</pre>
 *
 * ({@code s}uccessful, {@code f}ailed, {@code e}rrors, {@code c}onsecutive errors, {@code i}nconclusive,
 * {@code l}ast summary, cut to {@value #LAST_CHARACTERS} characters). Reading never throws: state that is not such an
 * object, whoever changed it, starts that metric again from {@link Tally#NONE}. Pure and thread-safe.
 */
public final class TallyCodec {
    static final int LAST_CHARACTERS = 300;
    /** More measurements than any bounded bake window takes: a larger count is not a tally this code wrote. */
    private static final int MAX_COUNT = 1_000_000;

    private TallyCodec() {}

    public static ObjectNode write(Map<String, Tally> tallies) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        tallies.forEach((metric, tally) -> {
            ObjectNode entry = node.putObject(metric);
            entry.put("s", tally.successful());
            entry.put("f", tally.failed());
            entry.put("e", tally.errors());
            entry.put("c", tally.consecutiveErrors());
            entry.put("i", tally.inconclusive());
            if (tally.last() != null) {
                String last = tally.last();
                entry.put("l", last.length() <= LAST_CHARACTERS ? last : last.substring(0, LAST_CHARACTERS - 1) + "…");
            }
        });
        return node;
    }

    /** Every metric's tally in {@code node}; an entry that is not a tally this class wrote reads as {@link Tally#NONE}. */
    public static Map<String, Tally> read(JsonNode node) {
        Map<String, Tally> tallies = new LinkedHashMap<>();
        if (node == null || !node.isObject()) {
            return tallies;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            tallies.put(entry.getKey(), tally(entry.getValue()));
        }
        return tallies;
    }

    private static Tally tally(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Tally.NONE;
        }
        int successful = count(node.get("s"));
        int failed = count(node.get("f"));
        int errors = count(node.get("e"));
        int consecutive = count(node.get("c"));
        int inconclusive = count(node.get("i"));
        JsonNode last = node.get("l");
        if (successful < 0 || failed < 0 || errors < 0 || consecutive < 0 || inconclusive < 0 || consecutive > errors
                || (last != null && !last.isNull() && !last.isTextual())) {
            return Tally.NONE;
        }
        String summary = last == null || last.isNull() ? null : last.asText();
        if (summary != null && summary.length() > LAST_CHARACTERS) {
            summary = summary.substring(0, LAST_CHARACTERS);
        }
        return new Tally(successful, failed, errors, consecutive, inconclusive, summary);
    }

    /** The count in {@code node}: 0 when absent, -1 when it is not a whole number from 0 to {@link #MAX_COUNT}. */
    private static int count(JsonNode node) {
        if (node == null) {
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0 || node.asInt() > MAX_COUNT) {
            return -1;
        }
        return node.asInt();
    }
}
