package dev.ecsbluegreen.swap.aws;

import static dev.ecsbluegreen.core.aws.AwsCalls.call;

import dev.ecsbluegreen.swap.FailureType;
import dev.ecsbluegreen.swap.JobResults;
import java.util.Map;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;

/** {@link JobResults} over CodePipeline's {@code PutJobSuccessResult} / {@code PutJobFailureResult}. Thread-safe. */
public final class CodePipelineJobResults implements JobResults {
    private final CodePipelineClient codePipeline;

    public CodePipelineJobResults(CodePipelineClient codePipeline) {
        this.codePipeline = codePipeline;
    }

    @Override
    public void succeeded(String jobId, String summary, Map<String, String> outputVariables, String executionId) {
        try {
            call("codepipeline:PutJobSuccessResult", () -> codePipeline.putJobSuccessResult(b -> b
                    .jobId(jobId)
                    .executionDetails(d -> d.summary(summary).externalExecutionId(executionId).percentComplete(100))
                    .outputVariables(outputVariables)));
        } catch (RuntimeException e) {
            throw alreadyReportedOr(e);
        }
    }

    @Override
    public void failed(String jobId, FailureType type, String message, String executionId) {
        try {
            call("codepipeline:PutJobFailureResult", () -> codePipeline.putJobFailureResult(b -> b
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
