package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.TargetGroups;
import dev.ecsbluegreen.swap.JobRecord.JobState;
import dev.ecsbluegreen.swap.SwapOutcome.Failed;
import dev.ecsbluegreen.swap.Swapper.Situation;
import dev.ecsbluegreen.swap.execution.Budget;
import dev.ecsbluegreen.swap.execution.BoundedWriter;
import dev.ecsbluegreen.swap.execution.Change;
import dev.ecsbluegreen.swap.execution.Ledger;
import dev.ecsbluegreen.swap.execution.VerifiedRestore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts a progressive release back to the routing before it: what the ledger holds is undone, then whatever a
 * read-back still finds different from the recorded routes (and {@code IsProduction} as it was) is written again;
 * the report says only what the last read-back shows. Thread-safe as long as its {@link LoadBalancers} is.
 */
final class ReleaseRestore {
    private final LoadBalancers elb;
    private final ReleaseTags tags;

    ReleaseRestore(LoadBalancers elb, ReleaseTags tags) {
        this.elb = elb;
        this.tags = tags;
    }

    /** The routing before the release put back with nothing of this invocation's to undo first. */
    Failed run(ReleaseJob job, Situation before, OriginalRoutes original, JobRecord record, FailureType type,
               String reason) {
        return run(job, before, original, new Ledger(), new BoundedWriter(job.budget()), record, type, reason);
    }

    /** Puts back the routing before the release (live listener first), verified by read-back, and says so. */
    Failed run(ReleaseJob job, Situation before, OriginalRoutes original, Ledger ledger, BoundedWriter writer,
               JobRecord record, FailureType type, String reason) {
        job.log().error("release failed, restoring the routing before it", Map.of("reason", reason,
                "writes", ledger.size(), "outcomes", ledger.outcomes().stream().map(Enum::name).toList()));
        Budget budget = job.budget();
        tags.putRecord(job, before, record.in(JobState.RESTORING), budget.forUndo());
        VerifiedRestore.Result result = VerifiedRestore.run(ledger, new OriginalTarget(before, original), writer, budget);
        job.log().restoreEnded(result.verified());
        tags.putRecord(job, before, record.in(result.verified() ? JobState.RESTORED : JobState.RESTORE_INCOMPLETE),
                budget.forStateTag());
        if (result.verified()) {
            tags.clearProgress(job, before, tags.readNow(job, before));
            return new Failed(type, reason + ". Traffic is back on " + TargetGroups.name(before.direction().newTest())
                    + ": reading back confirms the routing before the release: " + result.stateAsRead() + ".");
        }
        return new Failed(type, reason + ". " + Swapper.restored(result, before, "put back"));
    }

    /** The routing before the release: recorded routes as recorded, the pair's IsProduction as before it. */
    private final class OriginalTarget implements VerifiedRestore.Target {
        private final Situation before;
        private final OriginalRoutes original;

        OriginalTarget(Situation before, OriginalRoutes original) {
            this.before = before;
            this.original = original;
        }

        @Override
        public VerifiedRestore.ReadBack readBack(Deadline deadline) {
            Direction pair = before.direction();
            Routing now = Routing.read(elb, deadline, before.before().live(), before.before().test(),
                    List.of(pair.newLive(), pair.newTest()), false);
            List<Change> corrections = new ArrayList<>();
            for (String side : List.of("live", "test")) {
                for (Route r : side.equals("live") ? now.liveRoutes() : now.testRoutes()) {
                    List<Forward> wanted = original.original(side, r).orElse(null);
                    if (wanted != null && !StepWriter.sameTargets(wanted, r.forwards())) {
                        corrections.add(Change.correction(side + " " + (side.equals("live") ? now.live() : now.test())
                                + " " + r.describe(), d -> elb.within(d).rewrite(r, wanted)));
                    }
                }
            }
            corrections.addAll(RestoreTarget.tagCorrections(elb, before.prior().before(), now));
            return new VerifiedRestore.ReadBack(corrections, now.describe(pair));
        }
    }
}
