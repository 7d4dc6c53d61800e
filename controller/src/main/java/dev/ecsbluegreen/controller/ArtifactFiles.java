package dev.ecsbluegreen.controller;

/**
 * Files of a CodePipeline job's input artifacts (zip files in the pipeline's artifact bucket, read with the job's own
 * artifact credentials). Default implementation: {@code dev.ecsbluegreen.controller.aws.S3ArtifactFiles}.
 */
@FunctionalInterface
public interface ArtifactFiles {
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
