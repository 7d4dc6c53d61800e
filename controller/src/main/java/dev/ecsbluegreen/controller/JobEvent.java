package dev.ecsbluegreen.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The part of a CodePipeline job event the controller uses; {@code artifactCredentials} (live credentials) is never
 * read, so it is never held or logged.
 *
 * @param userParameters null when absent
 * @param continuationToken null on a job's first invocation
 */
record JobEvent(String jobId, String userParameters, String continuationToken) {

    /** An event without a job id: nobody can be told, the invocation itself fails. */
    static final class Unreportable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreportable(String message) {
            super(message);
        }
    }

    static JobEvent parse(byte[] event, ObjectMapper mapper) throws Unreportable {
        JsonNode job;
        try {
            JsonNode root = mapper.readTree(event);
            job = root == null ? null : root.path("CodePipeline.job");
        } catch (IOException e) {
            throw new Unreportable("the event is not JSON: this function must be run by a CodePipeline Invoke action");
        }
        if (job == null || !job.path("id").isTextual() || job.path("id").asText().isBlank()) {
            throw new Unreportable("the event has no \"CodePipeline.job\".\"id\": this function must be run by a "
                    + "CodePipeline Invoke action; no job to report to");
        }
        JsonNode data = job.path("data");
        JsonNode parameters = data.path("actionConfiguration").path("configuration").path("UserParameters");
        JsonNode token = data.path("continuationToken");
        return new JobEvent(job.path("id").asText(), parameters.isTextual() ? parameters.asText() : null,
                token.isTextual() && !token.asText().isEmpty() ? token.asText() : null);
    }
}
