package dev.ecsbluegreen.hooks.aws;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.aws.AwsCalls;
import dev.ecsbluegreen.core.aws.AwsClients;
import java.time.Duration;
import dev.ecsbluegreen.hooks.HookReporter;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.LifecycleEventStatus;

/**
 * {@link HookReporter} over {@code codedeploy:PutLifecycleEventHookExecutionStatus}. Given the time left, the
 * call is bounded by it: the client's 30 s call timeout ({@link AwsClients#CALL_TIMEOUT}) would outlast the
 * invocation. Each attempt gets a third of it (the standard retry mode makes up to 3), at most
 * {@link AwsClients#ATTEMPT_TIMEOUT}, so that a slow first attempt still leaves time for a retry.
 */
public final class CodeDeployReporter implements HookReporter {
    static final String ACTION = "codedeploy:PutLifecycleEventHookExecutionStatus";
    /** Attempts of the SDK's standard retry mode, which {@link AwsClients} configures. */
    static final int ATTEMPTS = 3;
    private final CodeDeployClient codeDeploy;

    public CodeDeployReporter(CodeDeployClient codeDeploy) {
        this.codeDeploy = codeDeploy;
    }

    @Override
    public Outcome report(String deploymentId, String lifecycleEventHookExecutionId, boolean succeeded,
                          Duration within) {
        try {
            AwsCalls.call(ACTION, () -> codeDeploy.putLifecycleEventHookExecutionStatus(r -> r
                    .overrideConfiguration(o -> {
                        if (within != null) {
                            o.apiCallTimeout(within).apiCallAttemptTimeout(attemptTimeout(within));
                        }
                    })
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

    /** A third of {@code within} (the standard retry mode's 3 attempts), at most the client's attempt timeout. */
    static Duration attemptTimeout(Duration within) {
        Duration third = within.dividedBy(ATTEMPTS);
        if (third.compareTo(AwsClients.ATTEMPT_TIMEOUT) > 0) {
            return AwsClients.ATTEMPT_TIMEOUT;
        }
        return third.isZero() ? Duration.ofMillis(1) : third;
    }
}
