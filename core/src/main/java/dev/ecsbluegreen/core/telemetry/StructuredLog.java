package dev.ecsbluegreen.core.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.Redaction;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one log schema of every function: one JSON object per line, with Powertools for AWS Lambda's keys first
 * ({@code timestamp}, {@code level}, {@code message}, {@code service}, {@code cold_start}, {@code function_name},
 * {@code function_arn}, {@code function_memory_size}, {@code function_version}, {@code function_request_id},
 * {@code xray_trace_id} when there is one), then the keys the function keeps for the invocation ({@link #with}:
 * {@code jobId}, {@code deploymentId}, {@code hookExecutionId}, {@code stage}), then the line's own fields.
 *
 * <p>Lambda keeps a line that is JSON as it is under {@code LogFormat: JSON} (it does not encode it again), so the
 * functions write to standard output, not through the runtime's {@code LambdaLogger}, which would wrap the line in
 * a {@code message} string. A field whose name is one of the schema's keys is written with a trailing {@code _}
 * instead of replacing it. With {@code redact}, every text value is shown {@link Redaction#text redacted}.
 * Thread-safe when the sink is: a line reaches the sink whole, in one call.
 */
public final class StructuredLog {
    private static final ObjectMapper JSON = Json.newMapper();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    static final Set<String> SCHEMA_KEYS = Set.of("timestamp", "level", "message", "service", "cold_start",
            "function_name", "function_arn", "function_memory_size", "function_version", "function_request_id",
            "xray_trace_id");

    private final Invocation invocation;
    private final Level threshold;
    private final Consumer<String> sink;
    private final boolean redact;
    private final Map<String, Object> keys;
    private final Supplier<Instant> clock;

    public StructuredLog(Invocation invocation, Level threshold, Consumer<String> sink, boolean redact) {
        this(invocation, threshold, sink, redact, Map.of(), Instant::now);
    }

    private StructuredLog(Invocation invocation, Level threshold, Consumer<String> sink, boolean redact,
                          Map<String, Object> keys, Supplier<Instant> clock) {
        this.invocation = invocation;
        this.threshold = threshold;
        this.sink = sink;
        this.redact = redact;
        this.keys = keys;
        this.clock = clock;
    }

    /** Standard output, one line per call (what Lambda sends to CloudWatch Logs as one event). */
    public static Consumer<String> stdout() {
        return line -> System.out.println(line);
    }

    /** The same log with {@code key} on every line from now on (null removes it). */
    public StructuredLog with(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(keys);
        if (value == null) {
            more.remove(key);
        } else {
            more.put(key, value);
        }
        return new StructuredLog(invocation, threshold, sink, redact, Map.copyOf(more), clock);
    }

    public Invocation invocation() {
        return invocation;
    }

    public boolean enabled(Level level) {
        return level.compareTo(threshold) >= 0;
    }

    public void log(Level level, String message, Map<String, ?> fields) {
        if (!enabled(level)) {
            return;
        }
        ObjectNode line = head(level, message);
        fields.forEach((key, value) -> put(line, key, JSON.valueToTree(value)));
        write(line);
    }

    public void log(Level level, String message, ObjectNode fields) {
        if (!enabled(level)) {
            return;
        }
        ObjectNode line = head(level, message);
        fields.properties().forEach(entry -> put(line, entry.getKey(), entry.getValue()));
        write(line);
    }

    public void info(String message, Map<String, ?> fields) {
        log(Level.INFO, message, fields);
    }

    public void warn(String message, Map<String, ?> fields) {
        log(Level.WARN, message, fields);
    }

    public void error(String message, Map<String, ?> fields) {
        log(Level.ERROR, message, fields);
    }

    private ObjectNode head(Level level, String message) {
        ObjectNode line = JSON.createObjectNode()
                .put("timestamp", TIMESTAMP.format(clock.get()))
                .put("level", level.name())
                .put("message", message)
                .put("service", invocation.service())
                .put("cold_start", invocation.coldStart());
        putIfPresent(line, "function_name", invocation.functionName());
        putIfPresent(line, "function_arn", invocation.functionArn());
        if (invocation.memorySize() != null) {
            line.put("function_memory_size", invocation.memorySize());
        }
        putIfPresent(line, "function_version", invocation.functionVersion());
        putIfPresent(line, "function_request_id", invocation.requestId());
        putIfPresent(line, "xray_trace_id", invocation.traceId());
        keys.forEach((key, value) -> put(line, key, JSON.valueToTree(value)));
        return line;
    }

    private static void putIfPresent(ObjectNode line, String key, String value) {
        if (value != null && !value.isEmpty()) {
            line.put(key, value);
        }
    }

    private static void put(ObjectNode line, String key, JsonNode value) {
        line.set(SCHEMA_KEYS.contains(key) ? key + "_" : key, value);
    }

    private void write(ObjectNode line) {
        if (redact) {
            redactTexts(line);
        }
        String text;
        try {
            text = JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            text = JSON.createObjectNode().put("timestamp", line.path("timestamp").asText())
                    .put("level", "ERROR").put("message", "a log line could not be written: " + e.getOriginalMessage())
                    .put("service", invocation.service()).toString();
        }
        sink.accept(text);
    }

    private static void redactTexts(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().forEach(entry -> {
                if (entry.getValue().isTextual()) {
                    entry.setValue(TextNode.valueOf(Redaction.text(entry.getValue().asText())));
                } else {
                    redactTexts(entry.getValue());
                }
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(Redaction.text(array.get(i).asText())));
                } else {
                    redactTexts(array.get(i));
                }
            }
        }
    }
}
