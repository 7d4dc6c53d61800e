package dev.ecsbluegreen.core.codepipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a CodePipeline job event a function run by an Invoke action uses (the swap, the external controller).
 * Everything else is left out; the job's {@code artifactCredentials} are kept only as {@link Credentials}, which never
 * print.
 *
 * @param jobId the job to report on
 * @param userParameters the action's UserParameters, {@code null} when absent
 * @param continuationToken set when CodePipeline re-invokes for a continued job
 * @param malformed why the job data could not be read, or {@code null}: reportable, since the id is known
 * @param inputArtifacts the action's input artifacts in S3, in the event's order
 * @param credentials the job's artifact credentials; null when the event has none
 */
public record JobEvent(String jobId, String userParameters, String continuationToken, String malformed,
                       List<Artifact> inputArtifacts, Credentials credentials) {

    public JobEvent {
        inputArtifacts = List.copyOf(inputArtifacts);
    }

    /** A job without artifacts. */
    public JobEvent(String jobId, String userParameters, String continuationToken, String malformed) {
        this(jobId, userParameters, continuationToken, malformed, List.of(), null);
    }

    /** An input artifact of the job: a zip file at {@code s3://bucket/key}. */
    public record Artifact(String name, String bucket, String key) {}

    /** The credentials CodePipeline gives the job for its artifacts: live temporary credentials, never printed. */
    public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        @Override
        public String toString() {
            return "Credentials[the job's artifact credentials, not printed]";
        }
    }

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

    record Data(ActionConfiguration actionConfiguration, String continuationToken, List<InputArtifact> inputArtifacts,
                ArtifactCredentials artifactCredentials) {}

    record ActionConfiguration(Configuration configuration) {}

    record Configuration(@JsonProperty("FunctionName") String functionName,
                         @JsonProperty("UserParameters") String userParameters) {}

    record InputArtifact(String name, Location location) {}

    record Location(String type, S3Location s3Location) {}

    record S3Location(String bucketName, String objectKey) {}

    record ArtifactCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        @Override
        public String toString() {
            return "ArtifactCredentials[not printed]";
        }
    }

    /** @throws Unreportable when the event has no job id to report to */
    public static JobEvent parse(byte[] event, ObjectMapper mapper) throws Unreportable {
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
            if (data == null) {
                return new JobEvent(jobId, null, null, null);
            }
            Configuration configuration = data.actionConfiguration() == null ? null : data.actionConfiguration().configuration();
            List<Artifact> artifacts = new ArrayList<>();
            for (InputArtifact a : data.inputArtifacts() == null ? List.<InputArtifact>of() : data.inputArtifacts()) {
                if (a != null && a.location() != null && a.location().s3Location() != null
                        && a.location().s3Location().bucketName() != null && a.location().s3Location().objectKey() != null) {
                    artifacts.add(new Artifact(a.name(), a.location().s3Location().bucketName(),
                            a.location().s3Location().objectKey()));
                }
            }
            ArtifactCredentials c = data.artifactCredentials();
            Credentials credentials = c == null || c.accessKeyId() == null || c.secretAccessKey() == null ? null
                    : new Credentials(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
            String token = data.continuationToken();
            return new JobEvent(jobId, configuration == null ? null : configuration.userParameters(),
                    token == null || token.isEmpty() ? null : token, null, artifacts, credentials);
        } catch (JsonProcessingException e) {
            return new JobEvent(jobId, null, null, "the job's data is not in the shape CodePipeline sends ("
                    + e.getOriginalMessage() + ")");
        }
    }
}
