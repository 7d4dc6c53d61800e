package dev.ecsbluegreen.analysis.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.analysis.check.Exchange;
import dev.ecsbluegreen.analysis.check.Expectation;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.Redaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Judges one {@link Exchange} against an {@link Expectation}. Pure and thread-safe. */
public final class Expectations {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final int QUOTE_LIMIT = 120;

    private Expectations() {}

    /** Everything the exchange got wrong, in words an operator understands; empty when it is good. */
    public static List<String> failures(Expectation expect, Exchange exchange) {
        if (!exchange.answered()) {
            return List.of(exchange.error());
        }
        List<String> failures = new ArrayList<>();
        if (expect.status().stream().noneMatch(range -> range.contains(exchange.status()))) {
            failures.add("status " + exchange.status() + ", expected " + describe(expect.status()));
        }
        if (expect.maxLatency() != null && exchange.latency().compareTo(expect.maxLatency()) > 0) {
            failures.add("took " + exchange.latency().toMillis() + " ms, limit " + expect.maxLatency().toMillis() + " ms");
        }
        for (Map.Entry<String, String> header : expect.headersContain().entrySet()) {
            List<String> values = exchange.header(header.getKey());
            if (values.stream().noneMatch(value -> value.contains(header.getValue()))) {
                failures.add("header " + header.getKey() + " " + (values.isEmpty() ? "missing" : "is " + quote(Redaction.header(header.getKey(), String.join(", ", values))))
                        + ", expected it to contain " + quote(header.getValue()));
            }
        }
        if (expect.needsBody()) {
            failures.addAll(bodyFailures(expect, exchange));
        }
        return failures;
    }

    private static List<String> bodyFailures(Expectation expect, Exchange exchange) {
        if (exchange.bodyTruncated()) {
            return List.of("body longer than the check's maxBodyBytes (" + exchange.body().length()
                    + " characters read): raise maxBodyBytes to judge it");
        }
        List<String> failures = new ArrayList<>();
        String body = exchange.body();
        if (expect.bodyContains() != null && !body.contains(expect.bodyContains())) {
            failures.add("body does not contain " + quote(expect.bodyContains()) + " (starts with " + quote(body) + ")");
        }
        if (expect.bodyMatches() != null && !expect.bodyMatches().matcher(body).find()) {
            failures.add("body does not match /" + expect.bodyMatches().pattern() + "/ (starts with " + quote(body) + ")");
        }
        if (!expect.jsonPointers().isEmpty()) {
            JsonNode document;
            try {
                document = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                failures.add("body is not JSON (starts with " + quote(body) + ")");
                return failures;
            }
            for (Map.Entry<String, JsonNode> pointer : expect.jsonPointers().entrySet()) {
                JsonNode actual = document == null ? null : document.at(pointer.getKey());
                if (actual == null || actual.isMissingNode()) {
                    failures.add("JSON " + pointer.getKey() + " is missing, expected " + pointer.getValue());
                } else if (!sameValue(actual, pointer.getValue())) {
                    failures.add("JSON " + pointer.getKey() + " is " + actual + ", expected " + pointer.getValue());
                }
            }
        }
        return failures;
    }

    private static boolean sameValue(JsonNode actual, JsonNode expected) {
        if (actual.isNumber() && expected.isNumber()) {
            return actual.decimalValue().compareTo(expected.decimalValue()) == 0;
        }
        return actual.equals(expected);
    }

    static String describe(List<Expectation.StatusRange> ranges) {
        return ranges.stream().map(Expectation.StatusRange::toString).reduce((a, b) -> a + " or " + b).orElse("none");
    }

    private static String quote(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return "\"" + (flat.length() > QUOTE_LIMIT ? flat.substring(0, QUOTE_LIMIT) + "…" : flat) + "\"";
    }
}
