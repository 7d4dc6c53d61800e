package dev.ecsbluegreen.swap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.analysis.Tally;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a progressive release stands, as its continuation token carries it from one invocation to the next:
 *
 * <pre>{@code {"v":1,"r":"<first job id>","s":2,"t":1764590000,"f":"3f9a…","m":1,"a":"3.0.0.0.0 1.0.1.1.0"}}</pre>
 *
 * (version, release = the id of the job that started it, step = 1-based step in place, step start in epoch
 * seconds, fingerprint of the routing before the release ({@link OriginalRoutes#fingerprint}), measurement rounds
 * taken at this step, and each metric's tally as {@code successful.failed.errors.consecutive.inconclusive} in the
 * analysis's order). When the token would pass CodePipeline's 2048 characters, the tallies move to the load
 * balancer's tags ({@code ecs-bluegreen:tallies-1…}) and {@code "a"} says {@code "tags"}. The token is a hint: the
 * load balancer's tags say which step is in place, and win when the two disagree.
 */
record Progress(String release, int step, long stepStarted, String fingerprint, int rounds, String tallies) {
    static final int VERSION = 1;
    static final int MAX_TOKEN = 2048;
    static final String IN_TAGS = "tags";
    static final String TAG_TALLIES = "ecs-bluegreen:tallies-";

    /** A token this function did not write (or a version it no longer reads). */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    String token(ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode().put("v", VERSION).put("r", release).put("s", step)
                .put("t", stepStarted).put("f", fingerprint).put("m", rounds).put("a", tallies);
        try {
            return mapper.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON object of strings and numbers always writes", e);
        }
    }

    static Progress parse(String token, ObjectMapper mapper) throws Unreadable {
        JsonNode node;
        try {
            node = mapper.readTree(token);
        } catch (IOException e) {
            throw new Unreadable("the continuation token is not one this function wrote (not JSON)");
        }
        if (node == null || !node.isObject() || node.path("v").asInt() != VERSION || !node.path("r").isTextual()
                || !node.path("s").canConvertToInt() || node.path("s").asInt() < 1 || !node.path("t").isIntegralNumber()
                || !node.path("f").isTextual() || !node.path("m").canConvertToInt() || !node.path("a").isTextual()) {
            throw new Unreadable("the continuation token is not one this version of the function wrote: "
                    + SwapRequest.abbreviate(token));
        }
        return new Progress(node.get("r").asText(), node.get("s").asInt(), node.get("t").asLong(),
                node.get("f").asText(), node.get("m").asInt(), node.get("a").asText());
    }

    Progress at(int newStep, long started) {
        return new Progress(release, newStep, started, fingerprint, 0, "");
    }

    /** After a measurement round: the next is due at {@code newRounds + 1} intervals after the step began. */
    Progress measured(String newTallies, int newRounds) {
        return new Progress(release, step, stepStarted, fingerprint, newRounds, newTallies);
    }

    Progress withTallies(String newTallies) {
        return new Progress(release, step, stepStarted, fingerprint, rounds, newTallies);
    }

    // ------------------------------------------------------------------ tallies

    /** {@code 3.0.0.0.0 1.0.1.1.0}: each tally of {@code names}, in order (a metric without one: all zero). */
    static String encode(List<String> names, Map<String, Tally> tallies) {
        List<String> parts = new ArrayList<>();
        for (String name : names) {
            Tally t = tallies.getOrDefault(name, Tally.NONE);
            parts.add(t.successful() + "." + t.failed() + "." + t.errors() + "." + t.consecutiveErrors() + "."
                    + t.inconclusive());
        }
        return String.join(" ", parts);
    }

    /** The tallies {@link #encode} wrote; a malformed or missing entry starts that metric again. */
    static Map<String, Tally> decode(List<String> names, String encoded) {
        Map<String, Tally> tallies = new LinkedHashMap<>();
        String[] parts = encoded == null || encoded.isBlank() ? new String[0] : encoded.strip().split(" +");
        for (int i = 0; i < names.size(); i++) {
            Tally tally = Tally.NONE;
            if (i < parts.length && parts[i].matches("\\d{1,6}(\\.\\d{1,6}){4}")) {
                String[] n = parts[i].split("\\.");
                int errors = Integer.parseInt(n[2]);
                int consecutive = Integer.parseInt(n[3]);
                if (consecutive <= errors) {
                    tally = new Tally(Integer.parseInt(n[0]), Integer.parseInt(n[1]), errors, consecutive,
                            Integer.parseInt(n[4]), null);
                }
            }
            tallies.put(names.get(i), tally);
        }
        return tallies;
    }

    /** The tallies cut into tag values of at most 256 characters. */
    static Map<String, String> tallyTags(String encoded) {
        Map<String, String> tags = new LinkedHashMap<>();
        StringBuilder part = new StringBuilder();
        int n = 1;
        for (String entry : encoded.isBlank() ? new String[0] : encoded.split(" ")) {
            if (part.length() > 0 && part.length() + 1 + entry.length() > JobRecord.MAX_TAG_VALUE) {
                tags.put(TAG_TALLIES + n++, part.toString());
                part.setLength(0);
            }
            part.append(part.length() == 0 ? "" : " ").append(entry);
        }
        tags.put(TAG_TALLIES + n, part.toString());
        return tags;
    }

    static String fromTallyTags(Map<String, String> tags) {
        List<String> parts = new ArrayList<>();
        for (int n = 1; tags.containsKey(TAG_TALLIES + n); n++) {
            parts.add(tags.get(TAG_TALLIES + n));
        }
        return String.join(" ", parts);
    }
}
