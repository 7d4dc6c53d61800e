package dev.ecsbluegreen.hooks.aws;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.aws.AwsCalls;
import dev.ecsbluegreen.core.aws.AwsClients;
import dev.ecsbluegreen.hooks.codedeploy.HookReporter;
import java.time.Duration;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.LifecycleEventStatus;

/**
 * {@link HookReporter} over {@code codedeploy:PutLifecycleEventHookExecutionStatus}. Given the time left, the
 * call is bounded by it ({@link AwsCalls#timeouts}): the client's 30 s call timeout ({@link AwsClients#CALL_TIMEOUT})
 * would outlast the invocation.
 */
public final class CodeDeployReporter implements HookReporter {
    static final String ACTION = "codedeploy:PutLifecycleEventHookExecutionStatus";
    private final CodeDeployClient codeDeploy;

    public CodeDeployReporter(CodeDeployClient codeDeploy) {
        this.codeDeploy = codeDeploy;
    }

    @Override
    public Outcome report(String deploymentId, String lifecycleEventHookExecutionId, boolean succeeded,
                          Duration within) {
        try {
            AwsCalls.call(ACTION, () -> codeDeploy.putLifecycleEventHookExecutionStatus(r -> r
                    .overrideConfiguration(AwsCalls.timeouts(within))
                    .deploymentId(deploymentId)
                    .lifecycleEventHookExecutionId(lifecycleEventHookExecutionId)
                    .status(succeeded ? LifecycleEventStatus.SUCCEEDED : LifecycleEventStatus.FAILED)));
            return Outcome.REPORTED;
        } catch (AwsCallException e) {
            if ("LifecycleEventAlreadyCompletedException".equals(e.errorCode())) {
                return Outcome.ALREADY_COMPLETED;
            }
            throw e;
        }
    }
}
