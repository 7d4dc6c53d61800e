package dev.ecsbluegreen.swap.aws;

import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.aws.AwsCalls;
import dev.ecsbluegreen.swap.FailureType;
import dev.ecsbluegreen.swap.JobResults;
import java.util.Map;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;

/** {@link JobResults} over CodePipeline's {@code PutJobSuccessResult} / {@code PutJobFailureResult}. Immutable and thread-safe. */
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
        try {
            AwsCalls.call("codepipeline:PutJobSuccessResult", deadline, timeouts -> codePipeline.putJobSuccessResult(b -> b
                    .overrideConfiguration(timeouts)
                    .jobId(jobId)
                    .executionDetails(d -> d.summary(summary).externalExecutionId(executionId).percentComplete(100))
                    .outputVariables(outputVariables)));
        } catch (RuntimeException e) {
            throw alreadyReportedOr(e);
        }
    }

    @Override
    public void continued(String jobId, String summary, String continuationToken, int percentComplete,
                          String executionId) {
        try {
            AwsCalls.call("codepipeline:PutJobSuccessResult", deadline, timeouts -> codePipeline.putJobSuccessResult(b -> b
                    .overrideConfiguration(timeouts)
                    .jobId(jobId)
                    .continuationToken(continuationToken)
                    .executionDetails(d -> d.summary(summary).externalExecutionId(executionId)
                            .percentComplete(percentComplete))));
        } catch (RuntimeException e) {
            throw alreadyReportedOr(e);
        }
    }

    @Override
    public void failed(String jobId, FailureType type, String message, String executionId) {
        try {
            AwsCalls.call("codepipeline:PutJobFailureResult", deadline, timeouts -> codePipeline.putJobFailureResult(b -> b
                    .overrideConfiguration(timeouts)
                    .jobId(jobId)
                    .failureDetails(d -> d.type(type.name()).message(message).externalExecutionId(executionId))));
        } catch (RuntimeException e) {
            throw alreadyReportedOr(e);
        }
    }

    private static RuntimeException alreadyReportedOr(RuntimeException e) {
        if (e.getCause() instanceof InvalidJobStateException invalid) {
            return new AlreadyReported(invalid.awsErrorDetails().errorMessage());
        }
        return e;
    }
}
