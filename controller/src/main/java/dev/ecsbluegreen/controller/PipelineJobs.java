package dev.ecsbluegreen.controller;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import java.util.Map;

/**
 * Where the Lambda actions report: CodePipeline's job API. Each method throws {@link AlreadyReported} when the job
 * was already reported, {@link AwsCallException} when the report did not go through. Thread-safe. Default
 * implementation: {@code dev.ecsbluegreen.controller.aws.CodePipelineJobs}.
 */
public interface PipelineJobs {
    PipelineJobs within(Deadline deadline);

    /** The job is done: {@code PutJobSuccessResult} with output variables and no continuation token. */
    void succeeded(String jobId, String summary, Map<String, String> outputVariables, String executionId);

    /**
     * The job goes on: {@code PutJobSuccessResult} with {@code continuationToken} (1–2048 characters) and no output
     * variables; CodePipeline invokes the function again with the token.
     */
    void continueLater(String jobId, String summary, String continuationToken, String executionId);

    /**
     * @param type {@code JobFailed}, {@code ConfigurationError} or {@code PermissionError}
     * @param message at most 5000 characters
     */
    void failed(String jobId, String type, String message, String executionId);

    final class AlreadyReported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public AlreadyReported(String message) {
            super(message);
        }
    }
}
