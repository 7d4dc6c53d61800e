package dev.ecsbluegreen.hooks;

import dev.ecsbluegreen.analysis.AnalysisVerdict;
import dev.ecsbluegreen.analysis.MetricVerdict;
import dev.ecsbluegreen.analysis.Status;
import dev.ecsbluegreen.analysis.check.CheckResult;
import dev.ecsbluegreen.analysis.gate.GateResult;
import dev.ecsbluegreen.core.Redaction;
import java.util.ArrayList;
import java.util.List;

/**
 * The decision about green: passed only when every gate and every check passed.
 *
 * @param passed whether green may go on
 * @param reason one line for the operator: what failed first, or what passed; {@link Redaction#text redacted}
 * @param checks every check's result
 * @param gates  every gate's result
 * @param analysis every analysis metric's verdict (empty when no analysis ran)
 */
public record Verdict(boolean passed, String reason, List<CheckResult> checks, List<GateResult> gates,
                      List<MetricVerdict> analysis) {
    public Verdict {
        // the reason reaches the log and ECS's answer: whatever it quotes (a URL, an error) is shown redacted
        reason = Redaction.text(reason);
        checks = List.copyOf(checks);
        gates = List.copyOf(gates);
        analysis = List.copyOf(analysis);
    }

    public Verdict(boolean passed, String reason, List<CheckResult> checks, List<GateResult> gates) {
        this(passed, reason, checks, gates, List.of());
    }

    /** This verdict (checks and gates passed) followed by the analysis's: passed only when the analysis passed. */
    public Verdict then(AnalysisVerdict verdict) {
        boolean analysisPassed = verdict.status() == Status.PASSED;
        String why = (analysisPassed ? reason + "; analysis passed: " : "analysis " + verdict.status().name().toLowerCase(java.util.Locale.ROOT)
                + ": ") + verdict.reason();
        return new Verdict(passed && analysisPassed, why, checks, gates, verdict.metrics());
    }

    /**
     * What kind of failure this is, for the {@code Failed} metric's {@code Reason}: {@code gate}, {@code check},
     * {@code analysis}, {@code drift}, {@code configuration} (a bad event or setting), {@code timeout} or
     * {@code error}; null when passed.
     */
    public String reasonClass() {
        if (passed) {
            return null;
        }
        if (gates.stream().anyMatch(g -> !g.passed())) {
            return "gate";
        }
        if (checks.stream().anyMatch(c -> !c.passed())) {
            return "check";
        }
        if (reason.startsWith("weight drift")) {
            return "drift";
        }
        if (reason.startsWith("configuration") || reason.startsWith("bad event")) {
            return "configuration";
        }
        if (reason.startsWith("timed out")) {
            return "timeout";
        }
        if (reason.startsWith("analysis") || reason.contains("; analysis ")
                || analysis.stream().anyMatch(m -> m.status() != Status.PASSED)) {
            return "analysis";
        }
        return "error";
    }

    /** A verdict reached without running checks (bad event, bad configuration, time ran out, error). */
    public static Verdict failed(String reason) {
        return new Verdict(false, reason, List.of(), List.of());
    }

    /** Folds gate and check results into the verdict. Pure. */
    public static Verdict decide(List<GateResult> gates, List<CheckResult> checks) {
        List<String> failures = new ArrayList<>();
        for (GateResult gate : gates) {
            if (!gate.passed()) {
                failures.add("gate " + gate.gate() + ": " + gate.detail());
            }
        }
        for (CheckResult check : checks) {
            if (!check.passed()) {
                failures.add("check '" + check.check() + "': " + String.join("; ", check.failures()));
            }
        }
        if (failures.isEmpty()) {
            return new Verdict(true, checks.size() + " check(s) and " + gates.size() + " gate(s) passed", checks, gates);
        }
        String reason = failures.size() == 1 ? failures.get(0)
                : failures.size() + " failures: " + String.join(" | ", failures);
        return new Verdict(false, reason, checks, gates);
    }
}
