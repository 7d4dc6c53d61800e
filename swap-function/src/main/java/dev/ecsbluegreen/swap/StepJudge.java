package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.analysis.Analysis;
import dev.ecsbluegreen.analysis.AnalysisVerdict;
import dev.ecsbluegreen.analysis.MetricSpec;
import dev.ecsbluegreen.analysis.MetricVerdict;
import dev.ecsbluegreen.analysis.Status;
import dev.ecsbluegreen.analysis.Subject;
import dev.ecsbluegreen.analysis.Tally;
import dev.ecsbluegreen.analysis.Verdicts;
import dev.ecsbluegreen.analysis.gate.Gate;
import dev.ecsbluegreen.analysis.gate.GateResult;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.routing.TargetGroups;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Judges green at the step in place: its target health, and one round of the analysis ({@link Analysis#measureOnce})
 * folded into the tallies the release carries from one invocation to the next. Never throws for what it judges: a
 * failed read is a failed health check, a failed measurement the analysis's own error phase. Thread-safe as long as
 * its seams are.
 */
final class StepJudge {
    private final LoadBalancers elb;
    private final Supplier<Analysis> analysis;

    /** @param analysis built at its first use: a release without metrics never builds one */
    StepJudge(LoadBalancers elb, Supplier<Analysis> analysis) {
        this.elb = elb;
        this.analysis = analysis;
    }

    /**
     * Green's target health, unless the request says not to judge it; null when no time was left in this invocation
     * to read it (the restore's reserve kept): not a verdict on green.
     */
    GateResult health(ReleaseJob job, String green, Deadline deadline) {
        if (!job.request().requireHealthyGreen()) {
            return new GateResult(Gate.TARGET_HEALTH, true, "target health not judged (requireHealthyGreen false)");
        }
        try {
            List<Gate.TargetState> targets = elb.within(deadline).targetHealth(green).stream()
                    .map(t -> new Gate.TargetState(t.id(), t.port() == null ? 0 : t.port(), t.state(), t.reason()))
                    .toList();
            return Gate.judgeTargets(TargetGroups.name(green), targets);
        } catch (AwsCallException e) {
            if (AwsCallException.NOT_SENT.equals(e.errorCode())) {
                return null; // no time was left for the read: green is not judged in this invocation, not failed
            }
            return new GateResult(Gate.TARGET_HEALTH, false, "reading green's target health failed: " + e.getMessage());
        }
    }

    /** One measurement of every metric, each logged with the step it was taken at. */
    Analysis.Round measure(ReleaseJob job, List<MetricSpec> metrics, Subject subject, Map<String, Tally> tallies,
                           Instant stepStart, Deadline deadline, String where) {
        return analysis.get().measureOnce(metrics, subject, tallies, stepStart, deadline,
                m -> job.log().info("measurement", Map.of("metric", m.metric(), "phase", m.phase().name(),
                        "summary", m.summary(), "step", where)));
    }

    /** The verdict the tallies so far give; no metrics: passed. */
    static AnalysisVerdict verdict(List<MetricSpec> metrics, Map<String, Tally> tallies) {
        if (metrics.isEmpty()) {
            return new AnalysisVerdict(Status.PASSED, "no analysis", List.of());
        }
        return Verdicts.combine(metrics.stream().map(m -> Verdicts.decide(m, tallies.getOrDefault(m.name(), Tally.NONE)))
                .toList());
    }

    /** The reason a report gives for a failed verdict: the first failed metric's. */
    static String failedFirst(AnalysisVerdict verdict) {
        return verdict.metrics().stream().filter(m -> m.status() == Status.FAILED).map(MetricVerdict::reason)
                .findFirst().orElse(verdict.reason());
    }
}
