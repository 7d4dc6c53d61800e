package dev.ecsbluegreen.core.codepipeline;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import java.util.Map;

/**
 * Where a function run by a CodePipeline Invoke action reports its job: CodePipeline's job API. Thread-safe. Default
 * implementation: {@code dev.ecsbluegreen.core.aws.CodePipelineJobResults}.
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
     * The job is done: {@code PutJobSuccessResult} with output variables, no continuation token, 100 % complete.
     *
     * @throws AlreadyReported when the job was already reported
     * @throws AwsCallException when the report did not go through
     */
    void succeeded(String jobId, String summary, Map<String, String> outputVariables, String executionId);

    /**
     * A success that is not the last: CodePipeline sends a new job carrying {@code continuationToken} (1-2048
     * characters). Output variables are only allowed on the last result, so there are none.
     *
     * @param percentComplete 0-100; null to say nothing
     * @throws AlreadyReported when the job was already reported
     * @throws AwsCallException when the report did not go through
     */
    void continued(String jobId, String summary, String continuationToken, Integer percentComplete, String executionId);

    /**
     * @param type CodePipeline's failure type: {@code JobFailed}, {@code ConfigurationError}, {@code PermissionError},
     *     {@code RevisionOutOfSync}, {@code RevisionUnavailable} or {@code SystemUnavailable}
     * @param message at most 5000 characters
     * @throws AlreadyReported when the job was already reported
     * @throws AwsCallException when the report did not go through
     */
    void failed(String jobId, String type, String message, String executionId);
}
