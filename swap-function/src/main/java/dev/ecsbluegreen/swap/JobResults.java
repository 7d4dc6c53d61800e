package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.AwsCallException;
import java.util.Map;

/**
 * Where the swap reports its result: CodePipeline's job API. Thread-safe. Default implementation:
 * {@code dev.ecsbluegreen.swap.aws.CodePipelineJobResults}.
 */
public interface JobResults {
    /** The same reports, each call (all its attempts) bounded by {@code deadline}. */
    JobResults within(Deadline deadline);

    /** CodePipeline no longer waits for this job: an earlier delivery already reported it. */
    final class AlreadyReported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public AlreadyReported(String message) {
            super(message);
        }
    }

    /**
     * @throws AlreadyReported when the job was already reported
     * @throws AwsCallException when the report did not go through
     */
    void succeeded(String jobId, String summary, Map<String, String> outputVariables, String executionId);

    /**
     * A success that is not the last: CodePipeline sends a new job carrying {@code continuationToken} (1-2048
     * characters). Output variables are only allowed on the last result, so there are none.
     *
     * @throws AlreadyReported when the job was already reported
     * @throws AwsCallException when the report did not go through
     */
    void continued(String jobId, String summary, String continuationToken, int percentComplete, String executionId);

    /**
     * @param message at most 5000 characters
     * @throws AlreadyReported when the job was already reported
     * @throws AwsCallException when the report did not go through
     */
    void failed(String jobId, FailureType type, String message, String executionId);
}
