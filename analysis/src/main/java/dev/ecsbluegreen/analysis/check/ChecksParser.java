package dev.ecsbluegreen.analysis.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.analysis.InvalidConfigurationException;
import dev.ecsbluegreen.analysis.check.Check;
import dev.ecsbluegreen.analysis.check.Expectation;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.Redaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the operator's checks (see {@code docs/hooks.md}) into {@link Check}s, with the defaults filled in.
 * Unknown fields are refused, so a typo ({@code "atempts"}) fails the deployment loudly instead of silently
 * testing less. Pure and thread-safe.
 */
public final class ChecksParser {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;
    static final int DEFAULT_ATTEMPTS = 3;
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    private static final Expectation.StatusRange SUCCESS = new Expectation.StatusRange(200, 299);
    private static final ObjectMapper JSON = Json.newMapper();
    private static final Set<String> CHECK_FIELDS = Set.of("name", "method", "path", "headers", "body", "host",
            "followRedirects", "tls", "timeoutMillis", "maxBodyBytes", "expect", "attempts", "intervalMillis", "burst");
    private static final Set<String> EXPECT_FIELDS = Set.of("status", "bodyContains", "bodyMatches", "jsonPointer",
            "headers", "maxLatencyMillis");
    private static final Set<String> BURST_FIELDS = Set.of("requests", "concurrency", "minSuccessRatio", "maxP95Millis");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private ChecksParser() {}

    /** The check used when none is configured: {@code GET /} answering 2xx within 5 s, 3 attempts 5 s apart. */
    public static List<Check> defaults() {
        return List.of(new Check("default GET /", "GET", "/", Map.of(), null, null, false, Check.TlsMode.VERIFY,
                DEFAULT_TIMEOUT, DEFAULT_MAX_BODY_BYTES,
                new Expectation(List.of(SUCCESS), null, null, Map.of(), Map.of(), null),
                DEFAULT_ATTEMPTS, DEFAULT_INTERVAL, null));
    }

    /**
     * @param json a JSON array of checks, or an object with a {@code checks} array
     * @throws InvalidConfigurationException naming the check and field at fault
     */
    public static List<Check> parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidConfigurationException("checks are not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode array = root != null && root.isObject() ? root.get("checks") : root;
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new InvalidConfigurationException("checks must be a non-empty JSON array (or {\"checks\": [...]})");
        }
        List<Check> checks = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            Check check = check(array.get(i), i);
            if (!names.add(check.name())) {
                throw new InvalidConfigurationException("two checks are named '" + check.name() + "'");
            }
            checks.add(check);
        }
        return List.copyOf(checks);
    }

    private static Check check(JsonNode node, int index) {
        if (node == null || !node.isObject()) {
            throw new InvalidConfigurationException("check #" + (index + 1) + " is not a JSON object");
        }
        String method = text(node, "method", "GET").toUpperCase(Locale.ROOT);
        String path = text(node, "path", "/");
        // the name is in every log line about the check: a default one shows the path's query redacted
        String name = text(node, "name", method + " " + Redaction.url(path));
        String where = "check '" + name + "'";
        refuseUnknown(node, CHECK_FIELDS, where);
        if (!METHODS.contains(method)) {
            throw new InvalidConfigurationException(where + ": method " + method + " is not one of " + METHODS);
        }
        if (!path.startsWith("/")) {
            throw new InvalidConfigurationException(where + ": path must start with /");
        }
        JsonNode bodyNode = node.get("body");
        String body = bodyNode == null || bodyNode.isNull() ? null
                : bodyNode.isTextual() ? bodyNode.asText() : bodyNode.toString();
        Check.Burst burst = node.hasNonNull("burst") ? burst(node.get("burst"), where) : null;
        return new Check(name, method, path, stringMap(node.get("headers"), where + " headers"), body,
                optionalText(node, "host"),
                bool(node, "followRedirects", false, where),
                tls(text(node, "tls", "verify"), where),
                millis(node, "timeoutMillis", DEFAULT_TIMEOUT, where),
                positiveInt(node, "maxBodyBytes", DEFAULT_MAX_BODY_BYTES, where),
                expectation(node.get("expect"), where),
                positiveInt(node, "attempts", DEFAULT_ATTEMPTS, where),
                millis(node, "intervalMillis", DEFAULT_INTERVAL, where),
                burst);
    }

    private static Expectation expectation(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return new Expectation(List.of(SUCCESS), null, null, Map.of(), Map.of(), null);
        }
        String at = where + " expect";
        if (!node.isObject()) {
            throw new InvalidConfigurationException(at + " must be an object");
        }
        refuseUnknown(node, EXPECT_FIELDS, at);
        Pattern regex = null;
        String bodyMatches = optionalText(node, "bodyMatches");
        if (bodyMatches != null) {
            try {
                regex = Pattern.compile(bodyMatches);
            } catch (PatternSyntaxException e) {
                throw new InvalidConfigurationException(at + ".bodyMatches is not a valid regular expression: "
                        + e.getDescription());
            }
        }
        Map<String, JsonNode> pointers = new LinkedHashMap<>();
        JsonNode pointerNode = node.get("jsonPointer");
        if (pointerNode != null && !pointerNode.isNull()) {
            if (!pointerNode.isObject()) {
                throw new InvalidConfigurationException(at + ".jsonPointer must map pointers to values");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = pointerNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getKey().isEmpty() && !entry.getKey().startsWith("/")) {
                    throw new InvalidConfigurationException(at + ".jsonPointer '" + entry.getKey()
                            + "' is not a JSON pointer (it starts with /)");
                }
                pointers.put(entry.getKey(), entry.getValue());
            }
        }
        Map<String, String> headers = stringMap(node.get("headers"), at + ".headers");
        return new Expectation(node.has("status") ? statuses(node.get("status"), at) : List.of(SUCCESS),
                optionalText(node, "bodyContains"), regex, pointers, headers,
                millis(node, "maxLatencyMillis", null, at));
    }

    private static List<Expectation.StatusRange> statuses(JsonNode node, String where) {
        List<Expectation.StatusRange> ranges = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(element -> ranges.add(status(element, where)));
        } else {
            ranges.add(status(node, where));
        }
        if (ranges.isEmpty()) {
            throw new InvalidConfigurationException(where + ".status is empty");
        }
        return ranges;
    }

    private static Expectation.StatusRange status(JsonNode node, String where) {
        String text = node.asText().trim().toLowerCase(Locale.ROOT);
        try {
            Expectation.StatusRange range;
            if (node.isInt()) {
                range = new Expectation.StatusRange(node.asInt(), node.asInt());
            } else if (text.matches("[1-5]xx")) {
                int hundred = (text.charAt(0) - '0') * 100;
                range = new Expectation.StatusRange(hundred, hundred + 99);
            } else if (text.matches("\\d{3}-\\d{3}")) {
                range = new Expectation.StatusRange(Integer.parseInt(text.substring(0, 3)), Integer.parseInt(text.substring(4)));
            } else {
                range = new Expectation.StatusRange(Integer.parseInt(text), Integer.parseInt(text));
            }
            if (range.min() < 100 || range.max() > 599 || range.min() > range.max()) {
                throw new NumberFormatException();
            }
            return range;
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(where + ".status '" + node.asText()
                    + "' is not a status code, a class like 2xx, or a range like 200-204");
        }
    }

    private static Check.Burst burst(JsonNode node, String where) {
        String at = where + " burst";
        if (!node.isObject()) {
            throw new InvalidConfigurationException(at + " must be an object");
        }
        refuseUnknown(node, BURST_FIELDS, at);
        int requests = positiveInt(node, "requests", 10, at);
        int concurrency = positiveInt(node, "concurrency", Math.min(4, requests), at);
        if (requests > 1000 || concurrency > 32) {
            throw new InvalidConfigurationException(at + ": at most 1000 requests and 32 concurrent (a smoke test, not a load test)");
        }
        double ratio = node.has("minSuccessRatio") ? node.get("minSuccessRatio").asDouble(-1) : 1.0;
        if (!(ratio >= 0 && ratio <= 1)) { // NaN too
            throw new InvalidConfigurationException(at + ".minSuccessRatio must be between 0 and 1");
        }
        return new Check.Burst(requests, concurrency, ratio, millis(node, "maxP95Millis", null, at));
    }

    private static Check.TlsMode tls(String value, String where) {
        return switch (value) {
            case "verify" -> Check.TlsMode.VERIFY;
            case "acceptOtherHostName" -> Check.TlsMode.ACCEPT_OTHER_HOST_NAME;
            case "acceptAnyCertificate" -> Check.TlsMode.ACCEPT_ANY_CERTIFICATE;
            default -> throw new InvalidConfigurationException(where + ": tls '" + value
                    + "' is not one of verify, acceptOtherHostName, acceptAnyCertificate");
        };
    }

    private static void refuseUnknown(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                throw new InvalidConfigurationException(where + ": unknown field '" + field + "' (known: "
                        + new java.util.TreeSet<>(known) + ")");
            }
        }
    }

    private static String text(JsonNode node, String field, String fallback) {
        String value = optionalText(node, field);
        return value == null ? fallback : value;
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static boolean bool(JsonNode node, String field, boolean fallback, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new InvalidConfigurationException(where + ": " + field + " must be true or false");
        }
        return value.asBoolean();
    }

    private static int positiveInt(JsonNode node, String field, int fallback, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
            throw new InvalidConfigurationException(where + ": " + field + " must be a whole number of at least 1");
        }
        return value.asInt();
    }

    private static Duration millis(JsonNode node, String field, Duration fallback, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new InvalidConfigurationException(where + ": " + field + " must be a whole number of milliseconds");
        }
        return Duration.ofMillis(value.asLong());
    }

    private static Map<String, String> stringMap(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidConfigurationException(where + " must map names to strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(entry -> map.put(entry.getKey(), entry.getValue().asText()));
        return map;
    }
}
