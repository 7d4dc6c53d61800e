package dev.ecsbluegreen.controller;

/**
 * Files of a CodePipeline job's input artifacts (zip files in the pipeline's artifact bucket, read with the job's own
 * artifact credentials). Default implementation: {@code dev.ecsbluegreen.controller.aws.S3ArtifactFiles}.
 */
@FunctionalInterface
public interface ArtifactFiles {
    /** An input artifact of the job: a zip file at {@code s3://bucket/key}. */
    record Artifact(String name, String bucket, String key) {}

    /** The credentials CodePipeline gives the job for its artifacts: live temporary credentials, never printed. */
    record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        @Override
        public String toString() {
            return "Credentials[the job's artifact credentials, not printed]";
        }
    }

    /** For an action without input artifacts. */
    ArtifactFiles NONE = (artifact, path) -> {
        throw new ConfigurationException("UserParameters name the file " + path + " of an input artifact, but the action has "
                + "none: give the action InputArtifacts (for instance the build's output artifact)");
    };

    /**
     * @param artifact the input artifact's name; null for the action's only one
     * @param path the file's path inside the artifact's zip ({@code taskdef.json}, {@code deploy/taskdef.json})
     * @return its text (UTF-8)
     * @throws ConfigurationException when there is no such artifact or file, or it is too large
     * @throws dev.ecsbluegreen.core.AwsCallException when the artifact cannot be read
     */
    String read(String artifact, String path);
}
