package dev.ecsbluegreen.swap;

import static dev.ecsbluegreen.swap.FailureType.JobFailed;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.swap.JobRecord.JobState;
import dev.ecsbluegreen.swap.Swapper.Situation;
import dev.ecsbluegreen.swap.execution.BoundedWriter;
import dev.ecsbluegreen.swap.execution.Change;
import dev.ecsbluegreen.swap.execution.Ledger;
import dev.ecsbluegreen.swap.execution.OutOfTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one canary or linear step: the release's state tag says {@code stepping}, every recorded live route that
 * is not yet at the step becomes blue {@code 100-p} / green {@code p} (each write in the {@link Ledger} before it is
 * sent), a read-back must find every recorded route at the step, and the state tag says {@code baking}. It restores
 * nothing itself: a failure comes back with the ledger, for the caller's restore. The last step is not written
 * here: it is today's swap ({@link Swapper}). Thread-safe as long as its {@link LoadBalancers} is.
 */
final class StepWriter {
    private final LoadBalancers elb;

    StepWriter(LoadBalancers elb) {
        this.elb = elb;
    }

    /**
     * What writing a step came to.
     *
     * @param after the routing read back with the step in place; null when it failed
     * @param ledger the writes started, for a restore to undo
     * @param failure why the step is not in place; null when it is
     */
    record Written(Routing after, Ledger ledger, BoundedWriter writer, Throwable failure) {
        boolean failed() {
            return failure != null;
        }

        FailureType failureType() {
            return failure instanceof SwapException se ? se.type()
                    : failure instanceof AwsCallException ae ? Swapper.typeOf(ae) : JobFailed;
        }

        String failureReason() {
            return failure instanceof SwapException || failure instanceof AwsCallException ? failure.getMessage()
                    : failure instanceof OutOfTime ? failure.getMessage() + ": raise the function's timeout"
                    : "unexpected error: " + failure;
        }
    }

    /**
     * Writes {@code step} over the routing {@code now}: {@code stepping} holds the tags that say the step is being
     * written (the first step's were written with the release's record, before anything else).
     */
    Written write(ReleaseJob job, Situation s, OriginalRoutes original, Routing now, int step,
                  Map<String, String> stepping) {
        int percent = job.strategy().percentAt(step);
        String where = job.stepName(step, false);
        Ledger ledger = new Ledger();
        BoundedWriter writer = new BoundedWriter(job.budget());
        try {
            if (step > 1) {
                elb.within(job.budget().forWrite(0)).putTags(s.lb().arn(), stepping);
            }
            List<Change> changes = changes(job, original, now, percent, where);
            long firstWrite = System.nanoTime();
            writer.apply(changes, ledger);
            if (!changes.isEmpty()) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("step", where);
                fields.put("stepIndex", step);
                fields.put("percent", percent);
                fields.put("routeWrites", changes.size());
                job.log().cutover(Duration.ofNanos(System.nanoTime() - firstWrite), fields);
            }
            Routing after = Routing.read(elb, job.budget().forWrite(ledger.size()), now.live(), now.test(),
                    List.of(s.direction().newLive(), s.direction().newTest()), false);
            List<String> differences = differences(after, original, percent);
            if (!differences.isEmpty()) {
                throw new SwapException(JobFailed, "the load balancer did not keep " + where + ": read back, "
                        + String.join("; ", differences));
            }
            elb.within(job.budget().forStateTag()).putTags(s.lb().arn(), Map.of(JobRecord.TAG_STATE, JobState.BAKING.tag));
            job.log().info("step written", Map.of("step", where, "readBack", after.describe(s.direction())));
            return new Written(after, ledger, writer, null);
        } catch (RuntimeException | Error e) {
            return new Written(null, ledger, writer, e);
        }
    }

    /** A write for every recorded live route not yet at {@code percent}; its undo writes the recorded forwards. */
    private List<Change> changes(ReleaseJob job, OriginalRoutes original, Routing now, int percent, String where) {
        List<Change> changes = new ArrayList<>();
        for (Route r : now.liveRoutes()) {
            if (!original.records("live", r)) {
                continue;
            }
            List<Forward> target = original.atStep(r, percent);
            List<Forward> back = original.original("live", r).orElseThrow();
            if (!sameTargets(target, r.forwards())) {
                String what = "live " + now.live() + " " + r.describe();
                changes.add(new Change(what, d -> {
                    elb.within(d).rewrite(r, target);
                    job.log().info("route rewritten", Map.of("route", what, "forwardsTo", Routing.targets(target),
                            "step", where));
                }, d -> elb.within(d).rewrite(r, back)));
            }
        }
        return changes;
    }

    /**
     * How the recorded routes differ from the step they must be at ({@code percent} of blue's traffic on green; 100:
     * the whole swap, the test listener too); empty when they are there.
     */
    static List<String> differences(Routing now, OriginalRoutes original, int percent) {
        List<String> differences = new ArrayList<>();
        for (String side : List.of("live", "test")) {
            List<Route> routes = side.equals("live") ? now.liveRoutes() : now.testRoutes();
            String listener = side + " " + (side.equals("live") ? now.live() : now.test());
            for (Route r : routes) {
                if (!original.records(side, r)) {
                    continue;
                }
                List<Forward> expected = percent == 100 ? original.swapped(side, r)
                        : side.equals("live") ? original.atStep(r, percent) : original.original(side, r).orElseThrow();
                if (original.original(side, r).isEmpty() || !sameTargets(expected, r.forwards())) {
                    differences.add(listener + " " + r.describe() + " forwards to " + Routing.targets(r.forwards())
                            + ", the release left it forwarding to " + Routing.targets(expected));
                }
            }
        }
        return differences;
    }

    /** Whether two routes' forwards send traffic to the same target groups with the same weights. */
    static boolean sameTargets(List<Forward> a, List<Forward> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).targets().equals(b.get(i).targets())) {
                return false;
            }
        }
        return true;
    }
}
