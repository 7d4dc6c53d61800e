package dev.ecsbluegreen.core.aws;

import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.codepipeline.JobResults;
import java.util.Map;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;

/**
 * {@link JobResults} over CodePipeline's {@code PutJobSuccessResult} / {@code PutJobFailureResult};
 * {@code InvalidJobStateException} is {@link JobResults.AlreadyReported}. Immutable and thread-safe.
 */
public final class CodePipelineJobResults implements JobResults {
    private final CodePipelineClient codePipeline;
    /** What bounds every report call; null: the client's own time-outs only. */
    private final Deadline deadline;

    public CodePipelineJobResults(CodePipelineClient codePipeline) {
        this(codePipeline, null);
    }

    private CodePipelineJobResults(CodePipelineClient codePipeline, Deadline deadline) {
        this.codePipeline = codePipeline;
        this.deadline = deadline;
    }

    @Override
    public JobResults within(Deadline bound) {
        return new CodePipelineJobResults(codePipeline, deadline == null ? bound : deadline.earliest(bound));
    }

    @Override
    public void succeeded(String jobId, String summary, Map<String, String> outputVariables, String executionId) {
        report(() -> AwsCalls.call("codepipeline:PutJobSuccessResult", deadline,
                timeouts -> codePipeline.putJobSuccessResult(b -> b.overrideConfiguration(timeouts).jobId(jobId)
                        .executionDetails(d -> d.summary(summary).externalExecutionId(executionId).percentComplete(100))
                        .outputVariables(outputVariables))));
    }

    @Override
    public void continued(String jobId, String summary, String continuationToken, Integer percentComplete,
                          String executionId) {
        report(() -> AwsCalls.call("codepipeline:PutJobSuccessResult", deadline,
                timeouts -> codePipeline.putJobSuccessResult(b -> b.overrideConfiguration(timeouts).jobId(jobId)
                        .continuationToken(continuationToken)
                        .executionDetails(d -> d.summary(summary).externalExecutionId(executionId)
                                .percentComplete(percentComplete)))));
    }

    @Override
    public void failed(String jobId, String type, String message, String executionId) {
        report(() -> AwsCalls.call("codepipeline:PutJobFailureResult", deadline,
                timeouts -> codePipeline.putJobFailureResult(b -> b.overrideConfiguration(timeouts).jobId(jobId)
                        .failureDetails(d -> d.type(type).message(message).externalExecutionId(executionId)))));
    }

    private static void report(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            if (e.getCause() instanceof InvalidJobStateException invalid) {
                throw new AlreadyReported(invalid.awsErrorDetails().errorMessage());
            }
            throw e;
        }
    }
}
