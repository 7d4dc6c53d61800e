package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.core.routing.TargetGroups;
import static dev.ecsbluegreen.swap.FailureType.ConfigurationError;
import static dev.ecsbluegreen.swap.FailureType.JobFailed;
import static dev.ecsbluegreen.swap.FailureType.PermissionError;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.swap.JobRecord.JobState;
import dev.ecsbluegreen.swap.LoadBalancers.Listener;
import dev.ecsbluegreen.swap.LoadBalancers.LoadBalancer;
import dev.ecsbluegreen.swap.LoadBalancers.TargetHealth;
import dev.ecsbluegreen.swap.SwapOutcome.Failed;
import dev.ecsbluegreen.swap.SwapOutcome.Succeeded;
import dev.ecsbluegreen.swap.SwapPlan.RouteWrite;
import dev.ecsbluegreen.swap.execution.BoundedWriter;
import dev.ecsbluegreen.swap.execution.Budget;
import dev.ecsbluegreen.swap.execution.Change;
import dev.ecsbluegreen.swap.execution.Ledger;
import dev.ecsbluegreen.swap.execution.OutOfTime;
import dev.ecsbluegreen.swap.execution.VerifiedRestore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Carries out one approval: finds blue and green, checks what can be known before writing, moves live traffic to
 * green and test traffic to blue, flips {@code IsProduction}, verifies by reading back — and on any failure puts
 * back what it may have changed and reports what a read-back shows.
 *
 * <p>The order of writes is chosen so that a predictable refusal moves no traffic: the job's record on the load
 * balancer, then both {@code IsProduction} tags, then the live listener, then the test listener. A delivery of a
 * job whose record says it was interrupted or failed puts back, never swaps ({@link JobRecord}). The writing,
 * the ledger and the verified restore are {@code swap.execution}'s; this class decides what to write and words
 * the outcome. Thread-safe as long as its {@link LoadBalancers} is (it keeps no state between calls).
 */
final class Swapper {
    private static final int[] LIVE_PORTS = {443, 80};
    private static final int[] TEST_PORTS = {8443, 8080};

    private final LoadBalancers elb;

    Swapper(LoadBalancers elb) {
        this.elb = elb;
    }

    /**
     * Everything read before the first write.
     *
     * @param baselined whether {@code before} shows a progressive release's recorded routes as they were before it
     *     (not as read): their undo then writes those forwards, not the actions as read
     */
    record Situation(LoadBalancer lb, Routing before, JobRecord prior, Direction direction, boolean baselined) {
        boolean sameJob(String jobId) {
            return prior != null && prior.jobId().equals(jobId);
        }
    }

    SwapOutcome run(String jobId, SwapRequest request, Scope scope, Budget budget, JobLog log) {
        return run(jobId, request, scope, budget, log, null, "swap");
    }

    /**
     * What a progressive release needs before it writes: the same reads as a swap, and the same refusals, except
     * that a release's own finished record is the caller's to judge ({@code progressive}).
     */
    Situation situation(String jobId, SwapRequest request, Scope scope, Budget budget, JobLog log) {
        return read(jobId, request, scope, budget, new ReadSoFar(), log, true);
    }

    /**
     * The swap; with {@code baseline}, the last step of a progressive release: planned from the routing before the
     * release (its recorded routes as {@code baseline} has them), so that the end state is exactly today's swap's,
     * and a failure puts back the routing before the release, not the step's.
     *
     * @param step how the routing-changed log line names this change ({@code swap}, or the release's last step)
     */
    SwapOutcome run(String jobId, SwapRequest request, Scope scope, Budget budget, JobLog log, OriginalRoutes baseline,
                    String step) {
        Situation s;
        SwapPlan plan;
        ReadSoFar soFar = new ReadSoFar();
        try {
            s = read(jobId, request, scope, budget, soFar, log, baseline != null);
            if (baseline != null) {
                s = new Situation(s.lb(), baseline.originalOf(s.before()), s.prior(), s.direction(), true);
            }
            plan = SwapPlan.converge(s.direction(), s.before().liveRoutes(), s.before().testRoutes(), s.before().tags());
            if (s.sameJob(jobId)) {
                JobState state = s.prior().state();
                if (state.restoring() || (state == JobState.SWAPPING && plan.movesRoutes())) {
                    return resumeRestore(s, budget, log);
                }
                log.info("same job delivered again: converging to the state it recorded", Map.of("state", state.tag));
            }
            Map<String, Object> planned = new LinkedHashMap<>();
            planned.put("newLive", TargetGroups.name(s.direction().newLive()));
            planned.put("newTest", TargetGroups.name(s.direction().newTest()));
            planned.put("liveRouteWrites", plan.liveWrites().size());
            planned.put("testRouteWrites", plan.testWrites().size());
            planned.put("tagWrites", plan.tagWrites().size());
            log.info("plan", planned);
            if (plan.isEmpty()) {
                return alreadyDone(jobId, s, budget, log);
            }
            preflight(s, plan, request, scope, budget);
        } catch (ProgressiveSwap.Abandoned e) {
            throw e; // the handler puts that release back first
        } catch (SwapException e) {
            refused(jobId, soFar, e, budget, log);
            return new Failed(e.type(), e.getMessage() + ". Nothing was changed.");
        } catch (AwsCallException e) {
            refused(jobId, soFar, e, budget, log);
            return new Failed(typeOf(e), e.getMessage() + ". Nothing was changed.");
        }
        return execute(jobId, s, plan, budget, log, step);
    }

    /** What this delivery has read so far: where a refusal can be recorded, once the load balancer is known. */
    private static final class ReadSoFar {
        private String loadBalancerArn;
        private boolean tagsRead;
        private JobRecord prior;
    }

    /**
     * Records on the load balancer that this job failed before changing anything, so that a duplicate delivery
     * of it (Lambda may deliver an event twice) does not swap after the failure was reported. Leaves this job's own
     * record and another job's that ended half-way alone, and gives up quietly when the load balancer's tags could
     * not be read or the write fails: a duplicate would then act as a first delivery.
     */
    private void refused(String jobId, ReadSoFar read, RuntimeException why, Budget budget, JobLog log) {
        if (read.loadBalancerArn == null || !read.tagsRead) {
            return; // without the load balancer's tags, this job may have a record already: never overwrite it
        }
        JobRecord prior = read.prior;
        if (prior != null && (prior.jobId().equals(jobId)
                || (prior.state() != JobState.DONE && prior.state() != JobState.RESTORED))) {
            return;
        }
        try {
            elb.within(budget.forStateTag()).putTags(read.loadBalancerArn, JobRecord.refusedTags(jobId));
        } catch (RuntimeException | Error e) {
            log.warn("could not record the refused job on the load balancer",
                    Map.of("reason", String.valueOf(why.getMessage()), "error", String.valueOf(e.getMessage())));
        }
    }

    // ------------------------------------------------------------------ reading and deciding

    private Situation read(String jobId, SwapRequest request, Scope scope, Budget budget, ReadSoFar soFar, JobLog log,
                           boolean progressive) {
        LoadBalancers reads = elb.within(budget.forReads());
        long start = budget.now();
        LoadBalancer lb = findLoadBalancer(reads, request.loadBalancer());
        budget.observeSince(start);
        soFar.loadBalancerArn = lb.arn();
        scope.checkLoadBalancer(lb.name(), lb.arn());
        List<Listener> listeners = reads.listeners(lb.arn());
        Listener live = pick(lb, listeners, request.liveListener(), LIVE_PORTS, "live", "liveListener");
        Listener test = pick(lb, listeners, request.testListener(), TEST_PORTS, "test", "testListener");
        if (live.arn().equals(test.arn())) {
            throw new SwapException(ConfigurationError, "the live and the test listener are the same listener " + live
                    + ": name two different listeners with \"liveListener\" and \"testListener\"");
        }
        start = budget.now();
        Routing before = Routing.read(elb, budget.forReads(), live, test, List.of(lb.arn()), true);
        budget.observeSince(start);
        JobRecord prior = JobRecord.from(before.tags().getOrDefault(lb.arn(), Map.of()));
        soFar.prior = prior;
        soFar.tagsRead = true;
        Map<String, Object> found = new LinkedHashMap<>();
        found.put("loadBalancer", lb.name());
        found.put("live", Routing.describe(live, before.liveRoutes()));
        found.put("test", Routing.describe(test, before.testRoutes()));
        found.put("priorJob", prior == null ? "none" : prior.jobId() + " (" + prior.state().tag + ")");
        log.info("routing read", found);

        Direction direction;
        if (prior != null && !prior.jobId().equals(jobId) && prior.state().midRelease()) {
            if ("abort".equals(before.tags().getOrDefault(lb.arn(), Map.of()).get(ProgressiveSwap.TAG_COMMAND))) {
                throw new ProgressiveSwap.Abandoned(prior.jobId());
            }
            throw new SwapException(ConfigurationError, "release " + prior.jobId() + " is under way: it is "
                    + prior.state().tag + " at a canary or linear step (" + before.describe() + "), so this job does not "
                    + "swap. Let it finish; if its pipeline no longer runs, put it back: aws elbv2 add-tags "
                    + "--resource-arns " + lb.arn() + " --tags Key=" + ProgressiveSwap.TAG_COMMAND + ",Value=abort, "
                    + "then run this stage again");
        }
        if (!progressive && prior != null && prior.jobId().equals(jobId) && prior.state() == JobState.RESTORED) {
            throw new SwapException(JobFailed, "an earlier delivery of this job failed" + (prior.refused()
                    ? " before changing anything" : " and put the listeners back as they were") + ", so this delivery "
                    + "does not swap (" + before.describe() + "). Retry the pipeline stage for a new attempt");
        }
        if (prior != null && prior.jobId().equals(jobId)) {
            direction = prior.direction();
        } else {
            try {
                direction = PairFinder.find("live " + live, before.liveRoutes(), "test " + test, before.testRoutes(),
                        before.tags(), request.targetGroups());
            } catch (SwapException e) {
                if (prior != null && prior.state() != JobState.DONE && prior.state() != JobState.RESTORED) {
                    throw new SwapException(e.type(), e.getMessage() + ". Note: job " + prior.jobId() + " ended "
                            + prior.state().tag + " while moving live traffic to "
                            + TargetGroups.name(prior.direction().newLive()) + " and test traffic to "
                            + TargetGroups.name(prior.direction().newTest()));
                }
                throw e;
            }
        }
        return new Situation(lb, before, prior, direction, false);
    }

    private static LoadBalancer findLoadBalancer(LoadBalancers reads, String nameOrArn) {
        LoadBalancer lb;
        try {
            lb = reads.find(nameOrArn);
        } catch (AwsCallException e) {
            if (e.kind() == AwsCallException.Kind.NOT_FOUND) {
                throw new SwapException(ConfigurationError, "load balancer \"" + nameOrArn + "\" was not found in this "
                        + "account and region: check ElbName in UserParameters (" + e.errorCode() + ")");
            }
            throw e;
        }
        if (!"application".equals(lb.type())) {
            throw new SwapException(ConfigurationError, "load balancer \"" + nameOrArn + "\" is a " + lb.type()
                    + " load balancer: the swap moves traffic between target groups of an Application Load Balancer's "
                    + "listeners");
        }
        return lb;
    }

    private static Listener pick(LoadBalancer lb, List<Listener> listeners, ListenerRef ref, int[] defaults,
                                 String role, String key) {
        if (ref != null) {
            return listeners.stream()
                    .filter(l -> ref.port() != null ? l.port() == ref.port() : l.arn().equals(ref.arn()))
                    .findFirst()
                    .orElseThrow(() -> new SwapException(ConfigurationError, "load balancer " + lb.name() + " has no "
                            + "listener " + ref + " (\"" + key + "\" in UserParameters); its listeners: " + list(listeners)));
        }
        for (int port : defaults) {
            for (Listener listener : listeners) {
                if (listener.port() == port) {
                    return listener;
                }
            }
        }
        throw new SwapException(ConfigurationError, "load balancer " + lb.name() + " has no " + role + " listener on port "
                + defaults[0] + " or " + defaults[1] + "; its listeners: " + list(listeners) + ". Name the " + role
                + " listener with \"" + key + "\" in UserParameters");
    }

    private static String list(List<Listener> listeners) {
        return listeners.isEmpty() ? "none"
                : listeners.stream().map(l -> ":" + l.port() + " (" + l.protocol() + ")").collect(Collectors.joining(", "));
    }

    /** What can be known before the first write: the role's scope, green's health, whether the time suffices. */
    private void preflight(Situation s, SwapPlan plan, SwapRequest request, Scope scope, Budget budget) {
        if (!plan.tagWrites().isEmpty()) {
            scope.checkPair(s.direction());
        }
        if (plan.movesLiveTraffic() && request.requireHealthyGreen()) {
            requireHealthy(elb.within(budget.forReads()), s.direction().newLive());
        }
        int changes = plan.size() + 1;
        if (!budget.affords(changes)) {
            throw new SwapException(JobFailed, "not enough time left: this swap makes " + changes + " writes, and "
                    + "writing them and, should one fail, putting them back takes about "
                    + seconds(budget.needed(changes)) + " s, but " + seconds(budget.work().remaining()) + " s are left "
                    + "before the report. Raise the function's timeout");
        }
    }

    private static String seconds(java.time.Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }

    static void requireHealthy(LoadBalancers reads, String targetGroupArn) {
        List<TargetHealth> targets = reads.targetHealth(targetGroupArn);
        if (targets.stream().anyMatch(TargetHealth::healthy)) {
            return;
        }
        String detail = targets.isEmpty() ? "no target is registered"
                : targets.stream().limit(10)
                        .map(t -> t.id() + (t.port() == null ? "" : ":" + t.port()) + " " + t.state()
                                + (t.reason() == null ? "" : " (" + t.reason() + ")"))
                        .collect(Collectors.joining(", "))
                        + (targets.size() > 10 ? " and " + (targets.size() - 10) + " more" : "");
        throw new SwapException(JobFailed, "target group " + TargetGroups.name(targetGroupArn) + " has no healthy "
                + "target, so it must not take live traffic: " + detail + ". Fix the new version and approve again, "
                + "or set \"requireHealthyGreen\": false in UserParameters to swap regardless");
    }

    private SwapOutcome alreadyDone(String jobId, Situation s, Budget budget, JobLog log) {
        if (s.sameJob(jobId) && s.prior().state() != JobState.DONE) {
            record(s, s.prior().in(JobState.DONE), budget.forStateTag(), log);
        }
        String summary = "live " + s.before().live() + " → " + TargetGroups.name(s.direction().newLive()) + "; test "
                + s.before().test() + " → " + TargetGroups.name(s.direction().newTest())
                + " (already in place: an earlier delivery of this job did the swap; nothing changed)";
        log.info("nothing to do", Map.of("summary", summary));
        return new Succeeded(summary, outputVariables(s.direction()));
    }

    // ------------------------------------------------------------------ writing and verifying

    private SwapOutcome execute(String jobId, Situation s, SwapPlan plan, Budget budget, JobLog log, String step) {
        JobRecord record = s.sameJob(jobId) ? s.prior().in(JobState.SWAPPING)
                : JobRecord.start(jobId, s.direction(), before(s), RestoreTarget.unswapped(s.before(), s.direction()));
        if (!s.sameJob(jobId) || s.prior().state() != JobState.SWAPPING) {
            try {
                elb.within(budget.forWrite(0)).putTags(s.lb().arn(), record.tags());
            } catch (RuntimeException | Error e) {
                if (s.baselined()) {
                    // the last step of a canary or linear release: its earlier steps are in place, and are put back
                    return failAndRestore(new SwapException(e instanceof AwsCallException a ? typeOf(a) : JobFailed,
                            "could not record the job on the load balancer before changing anything (" + e.getMessage()
                                    + ")"), s, record, new Ledger(), new BoundedWriter(budget), budget, log);
                }
                FailureType type = e instanceof AwsCallException a ? typeOf(a) : JobFailed;
                return new Failed(type, "could not record the job on the load balancer before changing anything ("
                        + e.getMessage() + "). Nothing was changed.");
            }
        }
        Ledger ledger = new Ledger();
        BoundedWriter writer = new BoundedWriter(budget);
        Routing after;
        try {
            writer.apply(tagChanges(s, plan, log), ledger);
            long firstWrite = System.nanoTime();
            writer.apply(routeChanges("live " + s.before().live(), plan.liveWrites(), s.baselined(), log), ledger);
            writer.apply(routeChanges("test " + s.before().test(), plan.testWrites(), s.baselined(), log), ledger);
            if (plan.movesRoutes()) {
                log.cutover(java.time.Duration.ofNanos(System.nanoTime() - firstWrite), Map.of("step", step,
                        "routeWrites", plan.liveWrites().size() + plan.testWrites().size()));
            }
            after = Routing.read(elb, budget.forWrite(ledger.size()), s.before().live(), s.before().test(),
                    List.of(s.direction().newLive(), s.direction().newTest()), false);
            SwapPlan remaining = SwapPlan.converge(s.direction(), after.liveRoutes(), after.testRoutes(), after.tags());
            if (!remaining.isEmpty()) {
                throw new SwapException(JobFailed, "the load balancer did not keep the change: read back after the "
                        + "writes, " + after.describe(s.direction()));
            }
        } catch (RuntimeException | Error e) {
            return failAndRestore(e, s, record, ledger, writer, budget, log);
        }
        record(s, record.in(JobState.DONE), budget.forStateTag(), log);
        String summary = "live " + after.live() + " → " + TargetGroups.name(s.direction().newLive())
                + " (was " + TargetGroups.name(s.direction().newTest()) + "); test " + after.test() + " → "
                + TargetGroups.name(s.direction().newTest())
                + (plan.tagWrites().isEmpty() ? "" : "; IsProduction flipped")
                + " (" + plan.liveWrites().size() + " live and " + plan.testWrites().size() + " test route(s) rewritten)";
        log.info("swapped", Map.of("summary", summary, "readBack", after.describe(s.direction())));
        return new Succeeded(summary, outputVariables(s.direction()));
    }

    static Map<String, String> before(Situation s) {
        Map<String, String> before = new LinkedHashMap<>();
        before.put(s.direction().newLive(), s.before().isProduction(s.direction().newLive()));
        before.put(s.direction().newTest(), s.before().isProduction(s.direction().newTest()));
        return before;
    }

    private List<Change> tagChanges(Situation s, SwapPlan plan, JobLog log) {
        List<Change> changes = new ArrayList<>();
        plan.tagWrites().forEach((arn, value) -> {
            String previous = s.before().isProduction(arn);
            String name = TargetGroups.name(arn);
            changes.add(new Change("IsProduction tag of " + name, d -> {
                elb.within(d).putTags(arn, Map.of(PairFinder.PRODUCTION_TAG, value));
                log.info("tagged", Map.of("targetGroup", name, "IsProduction", value));
            }, d -> {
                if (previous == null) {
                    elb.within(d).removeTags(arn, List.of(PairFinder.PRODUCTION_TAG));
                } else {
                    elb.within(d).putTags(arn, Map.of(PairFinder.PRODUCTION_TAG, previous));
                }
            }));
        });
        return changes;
    }

    private List<Change> routeChanges(String listener, List<RouteWrite> writes, boolean baselined, JobLog log) {
        List<Change> changes = new ArrayList<>();
        for (RouteWrite w : writes) {
            String what = listener + " " + w.route().describe();
            changes.add(new Change(what, d -> {
                elb.within(d).rewrite(w.route(), w.forwards());
                log.info("route rewritten", Map.of("route", what, "forwardsTo", Routing.targets(w.forwards())));
            }, baselined ? d -> elb.within(d).rewrite(w.route(), w.route().forwards()) : d -> elb.within(d).restore(w.route())));
        }
        return changes;
    }

    /** Writes the job's record; a failure only costs a log line (the routing, not the record, is the truth). */
    private void record(Situation s, JobRecord record, dev.ecsbluegreen.core.Deadline deadline, JobLog log) {
        try {
            elb.within(deadline).putTags(s.lb().arn(), record.tags());
        } catch (RuntimeException | Error e) {
            log.warn("could not record the job's state on the load balancer",
                    Map.of("state", record.state().tag, "error", String.valueOf(e.getMessage())));
        }
    }

    // ------------------------------------------------------------------ restoring

    private SwapOutcome failAndRestore(Throwable cause, Situation s, JobRecord record, Ledger ledger,
                                       BoundedWriter writer, Budget budget, JobLog log) {
        FailureType type = cause instanceof SwapException se ? se.type()
                : cause instanceof AwsCallException ae ? typeOf(ae) : JobFailed;
        String reason = cause instanceof SwapException || cause instanceof AwsCallException ? cause.getMessage()
                : cause instanceof OutOfTime ? cause.getMessage() + ": raise the function's timeout"
                : "unexpected error: " + cause;
        log.error("swap failed, restoring", Map.of("reason", reason, "writes", ledger.size(),
                "outcomes", ledger.outcomes().stream().map(Enum::name).toList()));
        if (ledger.isEmpty() && !s.baselined()) {
            record(s, record.in(JobState.RESTORED), budget.forStateTag(), log);
            return new Failed(type, reason + ". Nothing had been changed: " + s.before().describe() + ".");
        }
        // the last step of a canary or linear release starts from the step before it, not from the routing it is
        // to put back: even when none of its own writes was made, the release's earlier steps are undone below
        record(s, record.in(JobState.RESTORING), budget.forUndo(), log);
        VerifiedRestore.Result result = VerifiedRestore.run(ledger, RestoreTarget.before(elb, s.before(), s.direction()),
                writer, budget);
        log.restoreEnded(result.verified());
        record(s, record.in(result.verified() ? JobState.RESTORED : JobState.RESTORE_INCOMPLETE), budget.forStateTag(), log);
        int undone = ledger.toUndo().size();
        return new Failed(type, reason + ". " + restored(result, s, ledger.isEmpty()
                ? "This step wrote nothing; the release's earlier steps were undone"
                : undone == 0 ? "None of this delivery's " + ledger.size() + " write(s) took effect"
                : "Everything this delivery changed or may have changed was put back (" + undone + " of "
                        + ledger.size() + " write(s) undone, live listener first)"));
    }

    /** A delivery of a job that an earlier delivery left swapping, restoring or half-restored: put back, never swap. */
    private SwapOutcome resumeRestore(Situation s, Budget budget, JobLog log) {
        JobRecord prior = s.prior();
        String earlier = prior.state() == JobState.SWAPPING
                ? "an earlier delivery of this job was interrupted while swapping"
                : "an earlier delivery of this job failed and its restore " + (prior.state() == JobState.RESTORING
                        ? "was interrupted" : "was incomplete");
        log.warn("continuing the restore of an earlier delivery", Map.of("state", prior.state().tag));
        if (!prior.reversible()) {
            log.restoreEnded(false);
            return new Failed(JobFailed, earlier + ". RESTORE INCOMPLETE: the job left more routes alone than its record "
                    + "can list, so this delivery cannot tell them from the routes it changed and does not guess. The "
                    + "listeners are now: " + s.before().describe(s.direction()) + ". Put them back by hand.");
        }
        if (prior.state() != JobState.RESTORING) {
            record(s, prior.in(JobState.RESTORING), budget.forUndo(), log);
        }
        VerifiedRestore.Result result = VerifiedRestore.run(new Ledger(), RestoreTarget.reverse(elb, s.before(), prior),
                new BoundedWriter(budget), budget);
        log.restoreEnded(result.verified());
        record(s, prior.in(result.verified() ? JobState.RESTORED : JobState.RESTORE_INCOMPLETE), budget.forStateTag(), log);
        return new Failed(JobFailed, earlier + ", so this delivery puts back what it changed instead of swapping. "
                + restored(result, s, "Everything the job changed was put back") + " Retry the pipeline stage for a new "
                + "attempt.");
    }

    /**
     * The restore's outcome in the words of the report, from what was read back: where traffic is comes first,
     * so that it survives the cut to the 5000 characters CodePipeline keeps.
     */
    static String restored(VerifiedRestore.Result result, Situation s, String putBack) {
        if (result.verified()) {
            return putBack + ", and reading back confirms traffic is as before: " + result.stateAsRead() + ".";
        }
        String now = result.stateAsRead() != null ? "The listeners are now: " + result.stateAsRead()
                : "The listeners could not be read back (" + result.readFailure() + "), so where traffic is now is "
                        + "unknown";
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        result.notRestored().forEach(f -> byReason.computeIfAbsent(f.why(), w -> new ArrayList<>()).add(f.what()));
        String what = byReason.entrySet().stream()
                .map(e -> abbreviated(e.getValue()) + " (" + e.getKey() + ")")
                .collect(Collectors.joining("; "));
        return "RESTORE INCOMPLETE: " + now + ". Before the swap they were: " + s.before().describe(s.direction())
                + ". Could not put back " + (what.isEmpty() ? "everything" : what) + ". Put them back by hand.";
    }

    private static String abbreviated(List<String> items) {
        int shown = 8;
        return items.size() <= shown ? String.join(", ", items)
                : String.join(", ", items.subList(0, shown)) + " and " + (items.size() - shown) + " more";
    }

    // ------------------------------------------------------------------ wording

    static FailureType typeOf(AwsCallException e) {
        return e.kind() == AwsCallException.Kind.PERMISSION_DENIED ? PermissionError : JobFailed;
    }

    static Map<String, String> outputVariables(Direction d) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("LiveTargetGroup", TargetGroups.name(d.newLive()));
        vars.put("TestTargetGroup", TargetGroups.name(d.newTest()));
        vars.put("PreviousLiveTargetGroup", TargetGroups.name(d.newTest()));
        vars.put("LiveTargetGroupArn", d.newLive());
        vars.put("TestTargetGroupArn", d.newTest());
        return vars;
    }
}
