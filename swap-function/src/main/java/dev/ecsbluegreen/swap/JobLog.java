package dev.ecsbluegreen.swap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One JSON object per log line, each carrying the job id, so that CloudWatch Logs Insights can filter a
 * release's whole story. Never given the raw event: only values the swap chose to log.
 */
final class JobLog {
    private final ObjectMapper mapper;
    private final Consumer<String> sink;
    private final String jobId;
    private final Facts facts;

    JobLog(ObjectMapper mapper, Consumer<String> sink, String jobId) {
        this(mapper, sink, jobId, new Facts());
    }

    private JobLog(ObjectMapper mapper, Consumer<String> sink, String jobId, Facts facts) {
        this.mapper = mapper;
        this.sink = sink;
        this.jobId = jobId;
        this.facts = facts;
    }

    JobLog forJob(String id) {
        return new JobLog(mapper, sink, id, facts);
    }

    void info(String message, Map<String, ?> fields) {
        write("INFO", message, fields);
    }

    void info(String message) {
        write("INFO", message, Map.of());
    }

    void warn(String message, Map<String, ?> fields) {
        write("WARN", message, fields);
    }

    void error(String message, Map<String, ?> fields) {
        write("ERROR", message, fields);
    }

    /**
     * The routing changed: {@code span} from the start of the first routing write (rule or default action) to the
     * end of the last one of this change, as {@code System.nanoTime} measures it. Logged with {@code cutoverMillis},
     * and kept for the invocation's {@code CutoverMillis} metric.
     */
    void cutover(java.time.Duration span, Map<String, ?> fields) {
        facts.cutoverNanos.accumulateAndGet(span.toNanos(), Math::max);
        java.util.Map<String, Object> line = new java.util.LinkedHashMap<>(fields);
        line.put("cutoverMillis", span.toNanos() / 1_000_000.0);
        write("INFO", "routing changed", line);
    }

    /** A restore ended: verified by read-back, or not ({@code RESTORE INCOMPLETE}); kept for the metrics. */
    void restoreEnded(boolean verified) {
        (verified ? facts.restored : facts.restoreIncomplete).incrementAndGet();
    }

    /** What this invocation did, for its metrics; shared by every {@link #forJob} copy. */
    Facts facts() {
        return facts;
    }

    static final class Facts {
        final java.util.concurrent.atomic.AtomicLong cutoverNanos = new java.util.concurrent.atomic.AtomicLong(-1);
        final java.util.concurrent.atomic.AtomicInteger restored = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger restoreIncomplete = new java.util.concurrent.atomic.AtomicInteger();
    }

    // synchronized: the swap writes rules from several threads, and a log line must reach the sink whole
    private synchronized void write(String level, String message, Map<String, ?> fields) {
        ObjectNode line = mapper.createObjectNode();
        line.put("level", level);
        if (jobId != null) {
            line.put("jobId", jobId);
        }
        line.put("message", message);
        fields.forEach((key, value) -> line.set(key, mapper.valueToTree(value)));
        try {
            sink.accept(mapper.writeValueAsString(line) + "\n");
        } catch (JsonProcessingException e) {
            sink.accept("{\"level\":\"" + level + "\",\"message\":\"" + message.replace("\"", "'") + "\"}\n");
        }
    }
}
