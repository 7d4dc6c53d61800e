package dev.ecsbluegreen.hooks.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.analysis.Analysis;
import dev.ecsbluegreen.analysis.AnalysisVerdict;
import dev.ecsbluegreen.analysis.MetricSpec;
import dev.ecsbluegreen.analysis.MetricVerdict;
import dev.ecsbluegreen.analysis.ProviderSpec;
import dev.ecsbluegreen.analysis.Status;
import dev.ecsbluegreen.analysis.Subject;
import dev.ecsbluegreen.analysis.Tally;
import dev.ecsbluegreen.analysis.TallyCodec;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.hooks.HookConfig;
import dev.ecsbluegreen.hooks.HookLog;
import dev.ecsbluegreen.hooks.codedeploy.DiscoveryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the hook does about production traffic at Amazon ECS's traffic-shift stages, once green's checks passed:
 * before a shift ({@code PRE_PRODUCTION_TRAFFIC_SHIFT}) it compares the live rule's weights with the deployment's
 * ({@link WeightDrift}); after a shift ({@code PRODUCTION_TRAFFIC_SHIFT}, {@code POST_PRODUCTION_TRAFFIC_SHIFT}) it
 * judges the step just taken with the analysis, one round of measurements per call, answering {@code IN_PROGRESS}
 * with the metrics' interval as {@code callBackDelay} until the verdict is reached or the bake bound passed. The
 * step's progress travels in {@code hookDetails}; a call that reports other weights than the state's starts a new
 * step. Thread-safe.
 */
final class ProductionStep {
    /** Our key, inside {@link EcsHook#STATE}, for the analysis of the current step. */
    static final String ANALYSIS = "analysis";

    /**
     * What to answer.
     *
     * @param status        {@code SUCCEEDED}, {@code FAILED} or {@code IN_PROGRESS}
     * @param reason        the verdict in words
     * @param metrics       each metric's verdict (empty when no analysis ran)
     * @param callBackDelay for {@code IN_PROGRESS}
     * @param state         the step's state to carry in {@code hookDetails} (for {@code IN_PROGRESS}), else null
     */
    record Answer(String status, String reason, List<MetricVerdict> metrics, Duration callBackDelay, ObjectNode state) {}

    private final ServiceRoutingSource routing;
    private final Analysis analysis;
    private final Clock clock;

    ProductionStep(ServiceRoutingSource routing, Analysis analysis, Clock clock) {
        this.routing = routing;
        this.analysis = analysis;
        this.clock = clock;
    }

    /** Before a production shift: empty when the live rule routes as the deployment reports, else why not. */
    Optional<String> drift(String cluster, String service, Double reportedGreenPercent, Deadline deadline) {
        ServiceRouting found = describe(cluster, service, deadline, "the weight drift check (DRIFT_CHECK=off to skip it)");
        Sides sides = Sides.of(found, reportedGreenPercent);
        if (sides.green() == null) {
            return Optional.of("weight drift check: cannot tell green from blue: " + sides.how());
        }
        return WeightDrift.difference(found.production(), sides, reportedGreenPercent);
    }

    /**
     * After a production shift: one round of the step's analysis.
     *
     * @param greenPercent green's share of production traffic as the request reports it, or null when not reported
     * @param carried      our state from the previous call of this stage ({@link EcsHook#STATE}), or missing
     */
    Answer judge(HookConfig cfg, String cluster, String service, Double greenPercent, JsonNode carried,
                 Deadline deadline, HookLog log) {
        List<MetricSpec> applicable = new ArrayList<>();
        List<String> notApplicable = new ArrayList<>();
        boolean bothServe = greenPercent != null && greenPercent > 0 && greenPercent < 100;
        for (MetricSpec metric : cfg.analysis()) {
            if (metric.provider() instanceof ProviderSpec.GreenVersusBlue && !bothServe) {
                notApplicable.add(metric.name() + ": not compared, " + (greenPercent == null
                        ? "the request reports no production weights"
                        : "green takes " + WeightDrift.percent(greenPercent) + " of live traffic, so blue and green do not share it"));
            } else {
                applicable.add(metric);
            }
        }
        String note = notApplicable.isEmpty() ? "" : " (" + String.join("; ", notApplicable) + ")";
        if (applicable.isEmpty()) {
            return new Answer("SUCCEEDED", "no analysis applies at this step" + note, List.of(), null, null);
        }
        String step = greenPercent == null ? "unknown" : WeightDrift.percent(greenPercent);
        JsonNode state = carried.path(ANALYSIS);
        Instant now = clock.instant();
        Duration delay = applicable.stream().map(MetricSpec::interval).min(Duration::compareTo).orElseThrow();
        if (!step.equals(state.path("step").asText(null))) {
            // the step just began: its first measurements read a whole interval of traffic, on the next call
            return new Answer("IN_PROGRESS", "step at green " + step + ": bake started, first measurements in "
                    + delay.toSeconds() + " s" + note, List.of(), delay, state(step, now, Map.of()));
        }
        Instant started = Instant.ofEpochMilli(state.path("startedAtEpochMillis").asLong(now.toEpochMilli()));
        // read only when measuring: the step's first call measures nothing
        Subject subject = subject(applicable, cluster, service, greenPercent, deadline);
        Map<String, Tally> tallies = TallyCodec.read(state.path("tallies"));
        Analysis.Round round = analysis.measureOnce(applicable, subject, tallies, started, deadline, log::measurement);
        AnalysisVerdict verdict = round.verdict();
        String reason = "step at green " + step + ": " + verdict.reason() + note;
        if (verdict.status() == Status.PASSED) {
            return new Answer("SUCCEEDED", reason, verdict.metrics(), null, null);
        }
        if (verdict.status() == Status.FAILED) {
            return new Answer("FAILED", reason, verdict.metrics(), null, null);
        }
        Duration baked = Duration.between(started, now);
        if (baked.plus(delay).compareTo(cfg.maxBake()) > 0) {
            return new Answer("FAILED", "step at green " + step + ": still pending after " + baked.toSeconds()
                    + " s, the bake bound (ANALYSIS_MAX_BAKE_SECONDS " + cfg.maxBake().toSeconds() + ") is reached: "
                    + verdict.reason() + note, verdict.metrics(), null, null);
        }
        return new Answer("IN_PROGRESS", reason, verdict.metrics(), delay, state(step, started, round.tallies()));
    }

    private Subject subject(List<MetricSpec> metrics, String cluster, String service, Double greenPercent,
                            Deadline deadline) {
        boolean needsTargetGroups = metrics.stream().anyMatch(m -> !(m.provider() instanceof ProviderSpec.Alarms));
        if (!needsTargetGroups) {
            return new Subject(null, null, null, greenPercent);
        }
        ServiceRouting found = describe(cluster, service, deadline, "the analysis's target groups");
        Sides sides = Sides.of(found, greenPercent);
        if (sides.green() == null) {
            throw new DiscoveryException("analysis: cannot tell green's target group from blue's: " + sides.how());
        }
        return new Subject(found.production().loadBalancerArn(), sides.green(), sides.blue(), greenPercent);
    }

    private ServiceRouting describe(String cluster, String service, Deadline deadline, String forWhat) {
        if (service == null) {
            throw new DiscoveryException(forWhat + " needs the service, and the request's serviceArn names none");
        }
        try {
            return routing.describe(cluster, service, deadline);
        } catch (AwsCallException e) {
            throw new DiscoveryException("reading service " + service + "'s load balancer wiring for " + forWhat
                    + " failed: " + e.getMessage());
        }
    }

    private static ObjectNode state(String step, Instant started, Map<String, Tally> tallies) {
        ObjectNode state = HookLog.fields().put("step", step).put("startedAtEpochMillis", started.toEpochMilli());
        state.set("tallies", TallyCodec.write(tallies));
        return state;
    }
}
