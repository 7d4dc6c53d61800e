package dev.ecsbluegreen.analysis.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a good response looks like. Every field but {@code status} is optional (null or empty: not checked).
 *
 * @param status           accepted status codes, as inclusive ranges (a single code is a range of one)
 * @param bodyContains     text the body must contain
 * @param bodyMatches      regular expression that must match somewhere in the body
 * @param jsonPointers     JSON pointer → the value the body's JSON must hold there
 * @param headersContain   response header name (case-insensitive) → text its value must contain
 * @param maxLatency       slowest acceptable response, or null
 */
public record Expectation(
        List<StatusRange> status,
        String bodyContains,
        Pattern bodyMatches,
        Map<String, JsonNode> jsonPointers,
        Map<String, String> headersContain,
        Duration maxLatency) {

    public Expectation {
        status = List.copyOf(status);
        // in the operator's order, so failures read in the order the checks were written
        jsonPointers = Collections.unmodifiableMap(new LinkedHashMap<>(jsonPointers));
        headersContain = Collections.unmodifiableMap(new LinkedHashMap<>(headersContain));
    }

    /** True when the body has to be read to judge the response. */
    public boolean needsBody() {
        return bodyContains != null || bodyMatches != null || !jsonPointers.isEmpty();
    }

    /** An inclusive range of HTTP status codes. */
    public record StatusRange(int min, int max) {
        public boolean contains(int code) {
            return code >= min && code <= max;
        }

        @Override
        public String toString() {
            if (min == max) {
                return String.valueOf(min);
            }
            if (min % 100 == 0 && max == min + 99) {
                return (min / 100) + "xx";
            }
            return min + "-" + max;
        }
    }
}
