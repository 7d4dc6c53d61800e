package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.core.telemetry.Level;
import dev.ecsbluegreen.core.telemetry.StructuredLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The swap's log: the project's one schema ({@link StructuredLog}: Powertools' keys), each line carrying the job
 * id, so that CloudWatch Logs Insights can filter a release's whole story. Never given the raw event: only values
 * the swap chose to log. Also keeps what the invocation did for its metrics ({@link Facts}). Thread-safe: the swap
 * writes rules from several threads, and each line reaches the sink whole.
 */
final class JobLog {
    private final StructuredLog log;
    private final Facts facts;

    JobLog(StructuredLog log) {
        this(log, new Facts());
    }

    private JobLog(StructuredLog log, Facts facts) {
        this.log = log;
        this.facts = facts;
    }

    JobLog forJob(String id) {
        return new JobLog(log.with("jobId", id), facts);
    }

    void info(String message, Map<String, ?> fields) {
        log.log(Level.INFO, message, fields);
    }

    void info(String message) {
        log.log(Level.INFO, message, Map.of());
    }

    void warn(String message, Map<String, ?> fields) {
        log.log(Level.WARN, message, fields);
    }

    void error(String message, Map<String, ?> fields) {
        log.log(Level.ERROR, message, fields);
    }

    /**
     * The routing changed: {@code span} from the start of the first routing write (rule or default action) to the
     * end of the last one of this change, as {@code System.nanoTime} measures it. Logged with {@code cutoverMillis},
     * and kept for the invocation's {@code CutoverMillis} metric.
     */
    void cutover(Duration span, Map<String, ?> fields) {
        double millis = span.toNanos() / 1_000_000.0;
        synchronized (facts.cutoverMillis) {
            facts.cutoverMillis.add(millis);
        }
        Map<String, Object> line = new LinkedHashMap<>(fields);
        line.put("cutoverMillis", millis);
        log.log(Level.INFO, "routing changed", line);
    }

    /** A restore ended: verified by read-back, or not ({@code RESTORE INCOMPLETE}); kept for the metrics. */
    void restoreEnded(boolean verified) {
        (verified ? facts.restored : facts.restoreIncomplete).incrementAndGet();
    }

    /** What this invocation did, for its metrics; shared by every {@link #forJob} copy. */
    Facts facts() {
        return facts;
    }

    /** What the invocation's metrics are made of, beyond its outcome. */
    static final class Facts {
        private final List<Double> cutoverMillis = new ArrayList<>();
        final AtomicInteger restored = new AtomicInteger();
        final AtomicInteger restoreIncomplete = new AtomicInteger();
        volatile String loadBalancer;
        volatile String strategy;

        List<Double> cutoverMillis() {
            synchronized (cutoverMillis) {
                return List.copyOf(cutoverMillis);
            }
        }
    }
}
