package dev.ecsbluegreen.core.codepipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
        // Read member by member from the tree rather than bound to records by databind: the same fields and the same
        // refusals, without building bean deserializers on the cold path (about 35 ms of a cold start, measured).
        try {
            JsonNode data = object(root.path("CodePipeline.job"), "data", "CodePipeline.job");
            if (data == null) {
                return new JobEvent(jobId, null, null, null);
            }
            String at = "CodePipeline.job.data";
            JsonNode actionConfiguration = object(data, "actionConfiguration", at);
            JsonNode configuration = actionConfiguration == null ? null
                    : object(actionConfiguration, "configuration", at + ".actionConfiguration");
            String userParameters = configuration == null ? null
                    : text(configuration, "UserParameters", at + ".actionConfiguration.configuration");
            List<Artifact> artifacts = new ArrayList<>();
            JsonNode inputArtifacts = member(data, "inputArtifacts");
            if (inputArtifacts != null && !inputArtifacts.isArray()) {
                throw new Malformed(at + ".inputArtifacts is " + kind(inputArtifacts) + ", not an array");
            }
            for (int i = 0; inputArtifacts != null && i < inputArtifacts.size(); i++) {
                String path = at + ".inputArtifacts[" + i + "]";
                JsonNode artifact = inputArtifacts.get(i);
                if (artifact.isNull()) {
                    continue;
                }
                if (!artifact.isObject()) {
                    throw new Malformed(path + " is " + kind(artifact) + ", not an object");
                }
                String name = text(artifact, "name", path);
                JsonNode location = object(artifact, "location", path);
                JsonNode s3 = location == null ? null : object(location, "s3Location", path + ".location");
                String bucket = s3 == null ? null : text(s3, "bucketName", path + ".location.s3Location");
                String key = s3 == null ? null : text(s3, "objectKey", path + ".location.s3Location");
                if (bucket != null && key != null) {
                    artifacts.add(new Artifact(name, bucket, key));
                }
            }
            JsonNode c = object(data, "artifactCredentials", at);
            String accessKeyId = c == null ? null : text(c, "accessKeyId", at + ".artifactCredentials");
            String secretAccessKey = c == null ? null : text(c, "secretAccessKey", at + ".artifactCredentials");
            String sessionToken = c == null ? null : text(c, "sessionToken", at + ".artifactCredentials");
            Credentials credentials = accessKeyId == null || secretAccessKey == null ? null
                    : new Credentials(accessKeyId, secretAccessKey, sessionToken);
            String token = text(data, "continuationToken", at);
            return new JobEvent(jobId, userParameters, token == null || token.isEmpty() ? null : token, null, artifacts,
                    credentials);
        } catch (Malformed e) {
            return new JobEvent(jobId, null, null, "the job's data is not in the shape CodePipeline sends ("
                    + e.getMessage() + ")");
        }
    }

    /** A member of the event that is not what CodePipeline sends there. */
    private static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code parent.field}, or null when it is absent or JSON null. */
    private static JsonNode member(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** {@code parent.field} as an object, null when absent or null. */
    private static JsonNode object(JsonNode parent, String field, String path) throws Malformed {
        JsonNode value = member(parent, field);
        if (value != null && !value.isObject()) {
            throw new Malformed(path + "." + field + " is " + kind(value) + ", not an object");
        }
        return value;
    }

    /**
     * {@code parent.field} as text, null when absent or null. A number or boolean is taken as its text, as the
     * databind binding before this one did; an object or array is refused.
     */
    private static String text(JsonNode parent, String field, String path) throws Malformed {
        JsonNode value = member(parent, field);
        if (value == null) {
            return null;
        }
        if (value.isContainerNode()) {
            throw new Malformed(path + "." + field + " is " + kind(value) + ", not a string");
        }
        return value.asText();
    }

    private static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
