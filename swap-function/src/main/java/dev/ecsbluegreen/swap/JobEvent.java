package dev.ecsbluegreen.swap;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The part of a CodePipeline job event the swap uses. Deliberately leaves out {@code artifactCredentials}
 * (live temporary credentials) and everything else it has no use for, so they are never held or logged.
 *
 * @param jobId the job to report on
 * @param userParameters the action's UserParameters, {@code null} when absent
 * @param continuationToken set when CodePipeline re-invokes for a continued job
 * @param malformed why the job data could not be read, or {@code null}: reportable, since the id is known
 */
public record JobEvent(String jobId, String userParameters, String continuationToken, String malformed) {

    /** An event with no readable job id: nobody can be told, so the invocation itself must fail. */
    public static final class Unreportable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreportable(String message) {
            super(message);
        }
    }

    // The event's own shape, as CodePipeline sends it (note the dotted top-level key).
    record Envelope(@JsonProperty("CodePipeline.job") Job job) {}

    record Job(String id, String accountId, Data data) {}

    record Data(ActionConfiguration actionConfiguration, String continuationToken) {}

    record ActionConfiguration(Configuration configuration) {}

    record Configuration(@JsonProperty("FunctionName") String functionName,
                         @JsonProperty("UserParameters") String userParameters) {}

    static JobEvent parse(byte[] event, ObjectMapper mapper) throws Unreportable {
        JsonNode root;
        try {
            root = mapper.readTree(event);
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new Unreportable("the event is not JSON (" + detail + "): this function must be run by a CodePipeline "
                    + "Invoke action, which sends {\"CodePipeline.job\": {\"id\": …}}; no job to report to");
        }
        JsonNode id = root == null ? null : root.path("CodePipeline.job").path("id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new Unreportable("the event has no \"CodePipeline.job\".\"id\": this function must be run by a "
                    + "CodePipeline Invoke action; no job to report to");
        }
        String jobId = id.asText();
        try {
            Envelope envelope = mapper.treeToValue(root, Envelope.class);
            Data data = envelope.job().data();
            Configuration configuration = data == null || data.actionConfiguration() == null ? null
                    : data.actionConfiguration().configuration();
            return new JobEvent(jobId, configuration == null ? null : configuration.userParameters(),
                    data == null ? null : data.continuationToken(), null);
        } catch (JsonProcessingException e) {
            return new JobEvent(jobId, null, null, "the job's data is not in the shape CodePipeline sends ("
                    + e.getOriginalMessage() + ")");
        }
    }
}
