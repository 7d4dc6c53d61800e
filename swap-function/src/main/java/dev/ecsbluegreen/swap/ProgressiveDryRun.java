package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.core.routing.Strategy;
import dev.ecsbluegreen.core.routing.TargetGroups;
import dev.ecsbluegreen.swap.SwapOutcome.Succeeded;
import dev.ecsbluegreen.swap.Swapper.Situation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code "dryRun": true}: every route and tag a release would write, step by step, as the summary an approver reads
 * before approving. Reads only what the caller read; writes nothing.
 */
final class ProgressiveDryRun {
    private ProgressiveDryRun() {}

    /** A canary or linear release's plan: its record, each step's live routes, the whole swap, the final bake. */
    static SwapOutcome steps(ReleaseJob job, Situation s, OriginalRoutes original, Map<String, String> recordTags) {
        Strategy strategy = job.strategy();
        List<String> lines = new ArrayList<>();
        lines.add("tags on " + s.lb().name() + " before the first write: " + JobRecord.TAG_JOB + "=" + job.jobId() + ", "
                + JobRecord.TAG_STATE + "=stepping, " + ProgressiveSwap.TAG_PROGRESS + "=step=1 … and the routing before "
                + "the release in " + OriginalRoutes.tagKeys(recordTags).size() + " tag(s) (" + recordTags.size()
                + " tags in all)");
        for (int step = 1; step < strategy.steps(); step++) {
            int percent = strategy.percentAt(step);
            List<Route> live = s.before().liveRoutes().stream().map(r -> original.records("live", r)
                    ? new Route(r.listenerArn(), r.ruleArn(), r.priority(), original.atStep(r, percent), r.source()) : r)
                    .toList();
            lines.add(job.stepName(step, false) + ": live " + Routing.describe(s.before().live(), live) + "; test "
                    + "unchanged; " + JobRecord.TAG_STATE + "=baking, bake " + strategy.bake().toSeconds() + " s");
        }
        SwapPlan plan = SwapPlan.converge(s.direction(), s.before().liveRoutes(), s.before().testRoutes(),
                s.before().tags());
        lines.add(job.stepName(strategy.steps(), false) + ": live " + Routing.describe(s.before().live(),
                applied(s.before().liveRoutes(), plan.liveWrites())) + "; test " + Routing.describe(s.before().test(),
                applied(s.before().testRoutes(), plan.testWrites())) + "; IsProduction "
                + TargetGroups.name(s.direction().newLive()) + "=true, " + TargetGroups.name(s.direction().newTest())
                + "=false; " + JobRecord.TAG_STATE + "=done"
                + (strategy.finalBake().isZero() ? "" : ", final bake " + strategy.finalBake().toSeconds() + " s"));
        lines.forEach(line -> job.log().info("dry run", Map.of("write", line)));
        return new Succeeded("dry run, nothing written (" + strategy.describe() + "): " + String.join(" | ", lines),
                Map.of());
    }

    /** The all-at-once swap's dry run: the same report, one step. */
    static SwapOutcome allAtOnce(ReleaseJob job, Situation s) {
        SwapPlan plan = SwapPlan.converge(s.direction(), s.before().liveRoutes(), s.before().testRoutes(),
                s.before().tags());
        String line = "tags on " + s.lb().name() + ": " + JobRecord.TAG_JOB + "=" + job.jobId() + ", "
                + JobRecord.TAG_STATE + "=swapping then done; live " + Routing.describe(s.before().live(),
                applied(s.before().liveRoutes(), plan.liveWrites())) + "; test " + Routing.describe(s.before().test(),
                applied(s.before().testRoutes(), plan.testWrites())) + "; IsProduction "
                + String.join(", ", plan.tagWrites().entrySet().stream()
                        .map(e -> TargetGroups.name(e.getKey()) + "=" + e.getValue()).toList());
        job.log().info("dry run", Map.of("write", line));
        return new Succeeded("dry run, nothing written (allAtOnce): " + line, Map.of());
    }

    private static List<Route> applied(List<Route> routes, List<SwapPlan.RouteWrite> writes) {
        return routes.stream().map(r -> writes.stream().filter(w -> Routing.same(w.route(), r)).findFirst()
                .map(w -> new Route(r.listenerArn(), r.ruleArn(), r.priority(), w.forwards(), r.source())).orElse(r))
                .toList();
    }
}
