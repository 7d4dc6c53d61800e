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

    JobLog(ObjectMapper mapper, Consumer<String> sink, String jobId) {
        this.mapper = mapper;
        this.sink = sink;
        this.jobId = jobId;
    }

    JobLog forJob(String id) {
        return new JobLog(mapper, sink, id);
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
