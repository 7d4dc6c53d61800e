package dev.ecsbluegreen.hooks;

import dev.ecsbluegreen.analysis.check.AttemptResult;
import dev.ecsbluegreen.analysis.check.Check;
import dev.ecsbluegreen.analysis.check.CheckResult;
import dev.ecsbluegreen.analysis.check.CheckRunner;
import dev.ecsbluegreen.analysis.gate.Gate;
import dev.ecsbluegreen.analysis.gate.GateResult;
import dev.ecsbluegreen.analysis.gate.TargetHealthSource;
import dev.ecsbluegreen.analysis.gate.TaskCountsSource;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a {@link ValidationPlan}: the gates, then every check, and decides the {@link Verdict}. Never throws
 * for what AWS or green do: a failed AWS call fails its gate. Thread-safe.
 */
public final class Validation {
    private final CheckRunner runner;
    private final TargetHealthSource targetHealth;
    private final TaskCountsSource taskCounts;

    public Validation(CheckRunner runner, TargetHealthSource targetHealth, TaskCountsSource taskCounts) {
        this.runner = runner;
        this.targetHealth = targetHealth;
        this.taskCounts = taskCounts;
    }

    /**
     * @param progress told what is being done now (for a useful "timed out while …" message)
     * @param onAttempt told about every check attempt (for the log)
     */
    public Verdict run(ValidationPlan plan, Deadline deadline, Consumer<String> progress,
                       Consumer<AttemptResult> onAttempt) {
        List<GateResult> gates = new ArrayList<>();
        for (Gate gate : Gate.values()) {
            if (plan.gates().contains(gate)) {
                progress.accept("gate " + gate);
                gates.add(runGate(gate, plan));
            }
        }
        List<CheckResult> checks = new ArrayList<>();
        for (Check check : plan.checks()) {
            progress.accept("check '" + check.name() + "'");
            checks.add(runner.run(check, plan.baseUrl(), deadline, attempt -> {
                progress.accept("check '" + check.name() + "' after attempt " + attempt.attempt() + " of "
                        + check.attempts() + (attempt.passed() ? "" : " (" + String.join("; ", attempt.failures()) + ")"));
                onAttempt.accept(attempt);
            }));
        }
        return Verdict.decide(gates, checks);
    }

    private GateResult runGate(Gate gate, ValidationPlan plan) {
        try {
            return switch (gate) {
                case TARGET_HEALTH -> plan.greenTargetGroup() == null
                        ? new GateResult(gate, false, "green's target group is not known: TARGET_HEALTH needs a "
                                + "CodeDeploy deployment with a load balancer")
                        : Gate.judgeTargets(plan.greenTargetGroup(), targetHealth.targets(plan.greenTargetGroup()));
                case TASK_COUNTS -> plan.service() == null
                        ? new GateResult(gate, false, "green's ECS service is not known")
                        : Gate.judgeCounts(taskCounts.green(plan.cluster(), plan.service(), plan.greenTargetGroup()));
            };
        } catch (AwsCallException e) {
            return new GateResult(gate, false, e.getMessage());
        }
    }
}
