package dev.ecsbluegreen.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The part of a CodePipeline job event the controller uses.
 *
 * @param userParameters null when absent
 * @param continuationToken null on a job's first invocation
 * @param inputArtifacts the action's input artifacts, where they lie in S3
 * @param credentials the job's {@code artifactCredentials} (live temporary credentials: never printed, see
 *     {@link ArtifactFiles.Credentials#toString()}); null when the event has none
 */
record JobEvent(String jobId, String userParameters, String continuationToken,
                java.util.List<ArtifactFiles.Artifact> inputArtifacts, ArtifactFiles.Credentials credentials) {

    JobEvent(String jobId, String userParameters, String continuationToken) {
        this(jobId, userParameters, continuationToken, java.util.List.of(), null);
    }


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
        java.util.List<ArtifactFiles.Artifact> artifacts = new java.util.ArrayList<>();
        for (JsonNode artifact : data.path("inputArtifacts")) {
            JsonNode s3 = artifact.path("location").path("s3Location");
            if (s3.path("bucketName").isTextual() && s3.path("objectKey").isTextual()) {
                artifacts.add(new ArtifactFiles.Artifact(artifact.path("name").asText(null), s3.path("bucketName").asText(),
                        s3.path("objectKey").asText()));
            }
        }
        JsonNode c = data.path("artifactCredentials");
        ArtifactFiles.Credentials credentials = c.path("accessKeyId").isTextual() && c.path("secretAccessKey").isTextual()
                ? new ArtifactFiles.Credentials(c.path("accessKeyId").asText(), c.path("secretAccessKey").asText(),
                        c.path("sessionToken").asText(null))
                : null;
        return new JobEvent(job.path("id").asText(), parameters.isTextual() ? parameters.asText() : null,
                token.isTextual() && !token.asText().isEmpty() ? token.asText() : null, artifacts, credentials);
    }
}
