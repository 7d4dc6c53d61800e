package dev.ecsbluegreen.controller.aws;

import dev.ecsbluegreen.controller.PipelineJobs;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.aws.AwsCalls;
import java.util.Map;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.model.InvalidJobStateException;

/** {@link PipelineJobs} over {@code PutJobSuccessResult} / {@code PutJobFailureResult}. Immutable and thread-safe. */
public final class CodePipelineJobs implements PipelineJobs {
    private final CodePipelineClient codePipeline;
    private final Deadline deadline;

    public CodePipelineJobs(CodePipelineClient codePipeline) {
        this(codePipeline, null);
    }

    private CodePipelineJobs(CodePipelineClient codePipeline, Deadline deadline) {
        this.codePipeline = codePipeline;
        this.deadline = deadline;
    }

    @Override
    public PipelineJobs within(Deadline bound) {
        return new CodePipelineJobs(codePipeline, deadline == null ? bound : deadline.earliest(bound));
    }

    @Override
    public void succeeded(String jobId, String summary, Map<String, String> outputVariables, String executionId) {
        report("codepipeline:PutJobSuccessResult", () -> AwsCalls.call("codepipeline:PutJobSuccessResult", deadline,
                t -> codePipeline.putJobSuccessResult(b -> b.overrideConfiguration(t).jobId(jobId)
                        .executionDetails(d -> d.summary(summary).externalExecutionId(executionId).percentComplete(100))
                        .outputVariables(outputVariables))));
    }

    @Override
    public void continueLater(String jobId, String summary, String continuationToken, String executionId) {
        report("codepipeline:PutJobSuccessResult", () -> AwsCalls.call("codepipeline:PutJobSuccessResult", deadline,
                t -> codePipeline.putJobSuccessResult(b -> b.overrideConfiguration(t).jobId(jobId)
                        .executionDetails(d -> d.summary(summary).externalExecutionId(executionId))
                        .continuationToken(continuationToken))));
    }

    @Override
    public void failed(String jobId, String type, String message, String executionId) {
        report("codepipeline:PutJobFailureResult", () -> AwsCalls.call("codepipeline:PutJobFailureResult", deadline,
                t -> codePipeline.putJobFailureResult(b -> b.overrideConfiguration(t).jobId(jobId)
                        .failureDetails(d -> d.type(type).message(message).externalExecutionId(executionId)))));
    }

    private static void report(String action, Runnable call) {
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
