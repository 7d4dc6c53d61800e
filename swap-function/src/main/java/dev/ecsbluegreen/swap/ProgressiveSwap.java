package dev.ecsbluegreen.swap;

import static dev.ecsbluegreen.swap.FailureType.ConfigurationError;
import static dev.ecsbluegreen.swap.FailureType.JobFailed;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.analysis.Analysis;
import dev.ecsbluegreen.analysis.AnalysisVerdict;
import dev.ecsbluegreen.analysis.MetricSpec;
import dev.ecsbluegreen.analysis.Sleeper;
import dev.ecsbluegreen.analysis.Status;
import dev.ecsbluegreen.analysis.Subject;
import dev.ecsbluegreen.analysis.Tally;
import dev.ecsbluegreen.analysis.gate.GateResult;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.codepipeline.JobEvent;
import dev.ecsbluegreen.core.routing.Strategy;
import dev.ecsbluegreen.core.routing.TargetGroups;
import dev.ecsbluegreen.swap.Convergence.Abort;
import dev.ecsbluegreen.swap.Convergence.Bake;
import dev.ecsbluegreen.swap.Convergence.Converge;
import dev.ecsbluegreen.swap.Convergence.FingerprintDrift;
import dev.ecsbluegreen.swap.Convergence.Finished;
import dev.ecsbluegreen.swap.Convergence.Promote;
import dev.ecsbluegreen.swap.Convergence.PutBack;
import dev.ecsbluegreen.swap.Convergence.RecordUnreadable;
import dev.ecsbluegreen.swap.Convergence.RolledBack;
import dev.ecsbluegreen.swap.Convergence.RoutingDrift;
import dev.ecsbluegreen.swap.JobRecord.JobState;
import dev.ecsbluegreen.swap.SwapOutcome.Continued;
import dev.ecsbluegreen.swap.SwapOutcome.Failed;
import dev.ecsbluegreen.swap.SwapOutcome.Succeeded;
import dev.ecsbluegreen.swap.Swapper.Situation;
import dev.ecsbluegreen.swap.execution.Budget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A canary or linear release over several invocations: each step one routing state (every live forward that sent
 * traffic to blue weighted blue {@code 100-p} / green {@code p}), held for its bake while green is judged, the last
 * step exactly today's swap ({@link Swapper}), then an optional final bake. Between invocations CodePipeline carries
 * a {@link Progress} in the continuation token; the load balancer's tags say which step is in place and hold what a
 * restore needs ({@link JobRecord}, {@link StepTag}, {@link OriginalRoutes}), so a lost or replayed token converges.
 *
 * <p>Anything that fails — a step's write, green's target health, the analysis, an alarm — or the operator's
 * {@code abort} puts the live (and, after the last step, the test) listener back to the routing before the release,
 * verified by read-back, and reports it. A live listener changed by someone else between steps stops the release
 * with nothing more changed. Thread-safe as long as its seams are (it keeps no state between calls).
 *
 * <p>The parts: {@link Convergence} decides what a later invocation does from the tags and the token,
 * {@link StepWriter} writes a step, {@link StepJudge} judges green at it, {@link ReleaseRestore} puts the routing
 * before the release back, {@link ReleaseTags} keeps the release's tags, {@link ProgressiveDryRun} plans without
 * writing. This class runs them: the first invocation, the bake's wait, the last step and the answers.
 */
final class ProgressiveSwap {
    /** How long past its bake a step may go unjudged, every invocation short of time, before the release is put back. */
    static final Duration UNJUDGED_LIMIT = Duration.ofMinutes(10);
    /** Where the release stands, in one tag: see {@link StepTag}. */
    static final String TAG_PROGRESS = "ecs-bluegreen:progress";
    static final String TAG_COMMAND = "ecs-bluegreen:command";
    /** ELB's limit of tags on one resource. */
    static final int MAX_TAGS = 50;
    /** Time kept, beyond a restore's, for what follows a wait: one report. */
    static final Duration AFTER_WAIT = Duration.ofSeconds(3);

    private final LoadBalancers elb;
    private final Swapper swapper;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration maxWait;
    private final ObjectMapper mapper;
    private final ReleaseTags tags;
    private final ReleaseRestore restore;
    private final StepWriter writer;
    private final StepJudge judge;

    /**
     * @param maxWait the longest one invocation waits for a bake or a measurement before answering with a
     *     continuation token (it also never waits past its own deadline, less a restore and a report)
     */
    ProgressiveSwap(LoadBalancers elb, Swapper swapper, Supplier<Analysis> analysis, Clock clock, Sleeper sleeper,
                    Duration maxWait, ObjectMapper mapper) {
        this.elb = elb;
        this.swapper = swapper;
        this.clock = clock;
        this.sleeper = sleeper;
        this.maxWait = maxWait;
        this.mapper = mapper;
        this.tags = new ReleaseTags(elb);
        this.restore = new ReleaseRestore(elb, tags);
        this.writer = new StepWriter(elb);
        this.judge = new StepJudge(elb, analysis);
    }

    /** A new job found a release under way whose pipeline no longer runs it, and the operator's {@code abort}. */
    static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String release;

        Abandoned(String release) {
            super("release " + release + " is under way and the load balancer carries " + TAG_COMMAND + "=abort");
            this.release = release;
        }
    }

    /**
     * Puts back a release that a new job found under way with {@code abort} set (its own pipeline run no longer
     * calls it), and fails the new job: it swaps nothing itself, the next run of the stage starts afresh.
     */
    SwapOutcome putBackAbandoned(Abandoned abandoned, SwapRequest request, Scope scope, Budget budget, JobLog log) {
        ReleaseJob job = new ReleaseJob(abandoned.release, abandoned.release, request, scope, budget, log);
        Situation s = swapper.situation(abandoned.release, request, scope, budget, log);
        StepTag tag = StepTag.parse(ReleaseTags.of(s).get(TAG_PROGRESS));
        OriginalRoutes original = tag == null ? null
                : OriginalRoutes.from(ReleaseTags.of(s), tag.parts(), s.direction(), s.before()).orElse(null);
        if (original == null) {
            return new Failed(JobFailed, abandoned.getMessage() + ", but its record of the routing before it is missing "
                    + "or unreadable, so nothing was changed: " + s.before().describe(s.direction())
                    + ". Put the listeners back by hand");
        }
        tags.clearCommand(job, s, "abort");
        Situation before = new Situation(s.lb(), original.originalOf(s.before()), s.prior(), s.direction(), true);
        Failed putBack = restore.run(job, before, original, s.prior(), JobFailed, "release " + abandoned.release
                + " was under way when this job came and " + TAG_COMMAND + "=abort was set, so this job put that "
                + "release back instead of swapping");
        return new Failed(putBack.type(), putBack.message() + " Run this stage again for a new release.");
    }

    SwapOutcome run(JobEvent event, SwapRequest request, Scope scope, Budget budget, JobLog log) {
        if (event.continuationToken() == null) {
            return start(new ReleaseJob(event.jobId(), event.jobId(), request, scope, budget, log));
        }
        Progress token;
        try {
            token = Progress.parse(event.continuationToken(), mapper);
        } catch (Progress.Unreadable e) {
            return new Failed(JobFailed, e.getMessage() + ". Nothing was changed.");
        }
        ReleaseJob job = new ReleaseJob(event.jobId(), token.release(), request, scope, budget, log);
        Situation s = swapper.situation(token.release(), request, scope, budget, log);
        if (!s.sameJob(token.release())) {
            return new Failed(JobFailed, "this continuation belongs to release " + token.release() + ", but the load "
                    + "balancer records " + (s.prior() == null ? "no release" : "job " + s.prior().jobId() + " ("
                    + s.prior().state().tag + ")") + ", so it changes nothing. Nothing was changed: "
                    + s.before().describe() + ".");
        }
        return resume(job, token, s);
    }

    /** The all-at-once swap's dry run: the same report as a release's, one step. */
    SwapOutcome dryRunAllAtOnce(JobEvent event, SwapRequest request, Scope scope, Budget budget, JobLog log) {
        ReleaseJob job = new ReleaseJob(event.jobId(), event.jobId(), request, scope, budget, log);
        return ProgressiveDryRun.allAtOnce(job, swapper.situation(job.jobId(), request, scope, budget, log));
    }

    // ------------------------------------------------------------------ the first invocation

    private SwapOutcome start(ReleaseJob job) {
        Situation s = swapper.situation(job.jobId(), job.request(), job.scope(), job.budget(), job.log());
        Map<String, String> lbTags = ReleaseTags.of(s);
        if (s.sameJob(job.jobId())) {
            return resume(job, null, s); // the first job delivered again: converge to what its record says
        }
        if (lbTags.containsKey(TAG_COMMAND)) {
            throw new SwapException(ConfigurationError, "the load balancer carries " + TAG_COMMAND + "="
                    + lbTags.get(TAG_COMMAND) + " from before this release, which would act on it at once: remove it "
                    + "(aws elbv2 remove-tags --resource-arns " + s.lb().arn() + " --tag-keys " + TAG_COMMAND
                    + ") and run the stage again");
        }
        OriginalRoutes original = OriginalRoutes.of(s.before(), s.direction());
        if (original.isEmpty()) {
            throw new SwapException(ConfigurationError, "no live route sends its traffic to "
                    + TargetGroups.name(s.direction().newTest()) + " (" + s.before().describe() + "), so there is "
                    + "nothing to move in steps: use the allAtOnce strategy");
        }
        JobRecord record = JobRecord.start(job.jobId(), s.direction(), Swapper.before(s),
                RestoreTarget.unswapped(s.before(), s.direction())).in(JobState.STEPPING);
        Map<String, String> recordTags = new LinkedHashMap<>(record.tags());
        Map<String, String> originalTags = original.tags(s.before());
        recordTags.putAll(originalTags);
        long startedAt = clock.instant().getEpochSecond();
        StepTag stepTag = new StepTag(1, startedAt, originalTags.size(), job.jobId());
        recordTags.put(TAG_PROGRESS, stepTag.value());
        if (job.request().dryRun()) {
            return ProgressiveDryRun.steps(job, s, original, recordTags);
        }
        preflight(job, s, original, lbTags, recordTags);
        try {
            elb.within(job.budget().forWrite(0)).putTags(s.lb().arn(), recordTags);
        } catch (RuntimeException | Error e) {
            FailureType type = e instanceof AwsCallException a ? Swapper.typeOf(a) : JobFailed;
            return new Failed(type, "could not record the release on the load balancer before changing anything ("
                    + e.getMessage() + "). Nothing was changed.");
        }
        String fingerprint = original.fingerprint(s.before());
        Progress progress = new Progress(job.jobId(), 1, startedAt, fingerprint, 0, "");
        return step(job, s, original, s.before(), progress, record, stepTag);
    }

    private void preflight(ReleaseJob job, Situation s, OriginalRoutes original, Map<String, String> lbTags,
                           Map<String, String> recordTags) {
        job.scope().checkPair(s.direction());
        long tagCount = java.util.stream.Stream.concat(lbTags.keySet().stream(), recordTags.keySet().stream()
                        .filter(k -> !lbTags.containsKey(k)))
                .distinct().count() + 1; // room for the operator's command
        if (tagCount > MAX_TAGS) {
            throw new SwapException(ConfigurationError, "the release needs " + recordTags.size() + " tags on the load "
                    + "balancer (its record, its progress, and the original routing in " + parts(recordTags)
                    + " part(s)) and one for the operator's command, and with its " + lbTags.size() + " tags that passes "
                    + "ELB's " + MAX_TAGS + " per resource: remove some of the load balancer's tags, or use the "
                    + "allAtOnce strategy");
        }
        if (parts(recordTags) > OriginalRoutes.MAX_PARTS) {
            throw new SwapException(ConfigurationError, "the routes this release changes do not fit in "
                    + OriginalRoutes.MAX_PARTS + " tags of 256 characters: use the allAtOnce strategy");
        }
        if (job.request().requireHealthyGreen()) {
            Swapper.requireHealthy(elb.within(job.budget().forReads()), s.direction().newLive());
        }
        int changes = recordedLive(s.before(), original) + 2;
        if (!job.budget().affords(changes)) {
            throw new SwapException(JobFailed, "not enough time left: the first step makes " + changes + " writes, "
                    + "and writing them and, should one fail, putting them back takes about "
                    + job.budget().needed(changes).toSeconds() + " s. Raise the function's timeout");
        }
    }

    private static int parts(Map<String, String> tags) {
        return OriginalRoutes.tagKeys(tags).size();
    }

    private static int recordedLive(Routing routing, OriginalRoutes original) {
        return (int) routing.liveRoutes().stream().filter(r -> original.records("live", r)).count();
    }

    // ------------------------------------------------------------------ a later invocation

    /** Does what {@link Convergence} decides from the load balancer's tags, the routing and the token. */
    private SwapOutcome resume(ReleaseJob job, Progress token, Situation s) {
        JobRecord record = s.prior();
        Map<String, String> lbTags = ReleaseTags.of(s);
        Direction pair = s.direction();
        StepTag tag = StepTag.parse(lbTags.get(TAG_PROGRESS));
        OriginalRoutes original = tag == null ? null
                : OriginalRoutes.from(lbTags, tag.parts(), pair, s.before()).orElse(null);
        String command = lbTags.get(TAG_COMMAND);
        Convergence.Action action = Convergence.decide(job.jobId(), job.release(), record, tag, original, s.before(),
                token, command, job.strategy());
        switch (action) {
            case RolledBack r -> {
                return new Failed(JobFailed, "release " + job.release() + " was already rolled back, so this "
                        + "continuation changes nothing. Nothing was changed: " + s.before().describe(pair) + ".");
            }
            case Finished f -> {
                return new Succeeded("release " + job.release() + " had already finished; nothing changed: "
                        + s.before().describe(pair), Swapper.outputVariables(pair));
            }
            case RecordUnreadable u -> {
                return new Failed(JobFailed, "the load balancer's record of the routing before release " + job.release()
                        + " is missing or unreadable (tags " + OriginalRoutes.TAG_PART + "…), so this invocation cannot "
                        + "tell where traffic must go back to and changes nothing. Nothing was changed: "
                        + s.before().describe(pair) + ".");
            }
            case FingerprintDrift d -> {
                return drift(job, s, List.of("the routing before the release no longer matches: a route the release "
                        + "does not change was edited, added or removed, or the record was (fingerprint " + d.now()
                        + ", the release started from " + d.started() + ")"));
            }
            case Converge c -> {
                job.log().info("continuation converges to the load balancer's record",
                        Map.of("step", tag.step(), "tokenStep", token == null ? "none" : String.valueOf(token.step())));
                return new Continued("release " + job.release() + " is at step " + tag.step() + " of "
                        + job.strategy().steps() + " (as the load balancer records it; this delivery changed nothing): "
                        + s.before().describe(pair), c.progress().token(mapper), job.percentComplete(tag.step()));
            }
            case RoutingDrift d -> {
                return drift(job, s, d.differences());
            }
            default -> {
                // PutBack, Abort, Promote, Bake: they act on the routing before the release
            }
        }
        Situation before = new Situation(s.lb(), original.originalOf(s.before()), record, pair, true);
        if (action instanceof PutBack p) {
            String what = "an earlier invocation of release " + job.release() + " was interrupted or failed while "
                    + p.state().tag + ", so this one puts back the routing before the release instead of going on";
            return restore.run(job, before, original, record, JobFailed, what);
        }
        StepTag acting = tag.by(job.jobId());
        tags.put(job, s, Map.of(TAG_PROGRESS, acting.value()));
        if (command != null) {
            tags.clearCommand(job, s, command);
        }
        return switch (action) {
            case Abort a -> restore.run(job, before, original, record, JobFailed, "aborted by the operator ("
                    + TAG_COMMAND + "=abort) at " + job.stepName(tag.step(), a.finalBake()));
            case Promote p -> {
                job.log().info("promoted by the operator: going to the last step now", Map.of("step", tag.step()));
                yield p.finalBake() ? finish(job, s, "promoted by the operator during the final bake")
                        : finalStep(job, s, original, true, acting);
            }
            case Bake b -> {
                if (b.ignoredCommand() != null) {
                    job.log().warn("ignored an unknown operator command (promote and abort are known)",
                            Map.of("command", b.ignoredCommand()));
                }
                yield bake(job, s, before, original, record, token, b.finalBake(), acting);
            }
            default -> throw new IllegalStateException("not an action on the routing: " + action);
        };
    }

    /** Judges green at the step in place, waits within this invocation's slice, and goes on when the bake is over. */
    private SwapOutcome bake(ReleaseJob job, Situation s, Situation before, OriginalRoutes original, JobRecord record,
                             Progress progress, boolean finalBake, StepTag tag) {
        Strategy strategy = job.strategy();
        int step = progress.step();
        int percent = finalBake ? 100 : strategy.percentAt(step);
        Instant stepStart = Instant.ofEpochSecond(progress.stepStarted());
        Instant bakeEnd = stepStart.plus(finalBake ? strategy.finalBake() : strategy.bake());
        List<MetricSpec> metrics = job.request().analysis();
        List<String> names = metrics.stream().map(MetricSpec::name).toList();
        Map<String, Tally> tallies = Progress.decode(names,
                Progress.IN_TAGS.equals(progress.tallies()) ? Progress.fromTallyTags(ReleaseTags.of(s)) : progress.tallies());
        Duration interval = metrics.stream().map(MetricSpec::interval).min(Duration::compareTo).orElse(null);
        Duration reserve = job.budget().needed(recordedLive(s.before(), original) * 2 + 2).plus(AFTER_WAIT);
        Deadline working = job.budget().work().minus(reserve);
        Instant waitEnd = clock.instant().plus(min(maxWait, working.remaining()));
        String where = job.stepName(step, finalBake);
        Subject subject = new Subject(s.lb().arn(), s.direction().newLive(), s.direction().newTest(), (double) percent);
        String lastAnalysis = metrics.isEmpty() ? "no analysis configured" : "";
        while (true) {
            GateResult health = judge.health(job, s.direction().newLive(), working);
            if (health == null) {
                // a slow invocation is no verdict: the step stays in place and the next job judges it, unless green
                // has gone unjudged for so long past its bake that the function's timeout must be too short
                if (!clock.instant().isBefore(bakeEnd.plus(UNJUDGED_LIMIT))) {
                    return restore.run(job, before, original, record, JobFailed, "green could not be judged at " + where
                            + " for " + UNJUDGED_LIMIT.toMinutes() + " minutes past its bake: each invocation ran out of "
                            + "time before reading green's target health, after keeping the time a restore needs; raise "
                            + "the function's timeout");
                }
                job.log().warn("no time left in this invocation to judge green: the next job judges it",
                        Map.of("step", where, "workLeftMillis", working.remaining().toMillis()));
                return continued(job, s, progress, where + ": not judged in this invocation (no time was left to read "
                        + "green's target health after keeping the restore's reserve); the next job judges it", finalBake);
            }
            if (!health.passed()) {
                return restore.run(job, before, original, record, JobFailed,
                        "green's target health failed at " + where + ": " + health.detail());
            }
            Instant now = clock.instant();
            AnalysisVerdict verdict = StepJudge.verdict(metrics, tallies);
            boolean due = interval != null && verdict.status() == Status.PENDING
                    && !now.isBefore(stepStart.plus(interval.multipliedBy(progress.rounds() + 1)));
            if (due) {
                Analysis.Round round = judge.measure(job, metrics, subject, tallies, stepStart, working, where);
                tallies = round.tallies();
                verdict = round.verdict();
                long slots = Duration.between(stepStart, clock.instant()).toMillis() / interval.toMillis();
                progress = progress.measured(Progress.encode(names, tallies),
                        (int) Math.max(progress.rounds() + 1, Math.min(slots, Integer.MAX_VALUE)));
                if (verdict.status() == Status.FAILED) {
                    return restore.run(job, before, original, record, JobFailed,
                            "the analysis failed at " + where + ": " + StepJudge.failedFirst(verdict));
                }
            }
            if (!metrics.isEmpty()) {
                lastAnalysis = "analysis " + verdict.status().name().toLowerCase(java.util.Locale.ROOT) + ": "
                        + verdict.reason();
            }
            if (!now.isBefore(bakeEnd) && verdict.status() == Status.PASSED) {
                if (finalBake) {
                    return finish(job, s, "the final bake passed (" + health.detail() + "; " + lastAnalysis + ")");
                }
                job.log().info("step passed", Map.of("step", where, "health", health.detail(), "analysis", lastAnalysis));
                long startedNow = clock.instant().getEpochSecond();
                return step + 1 >= strategy.steps() ? finalStep(job, s, original, false, tag)
                        : step(job, s, original, s.before(), progress.at(step + 1, startedNow), record,
                                tag.at(step + 1, startedNow, job.jobId()));
            }
            Instant next = bakeEnd;
            if (interval != null && verdict.status() == Status.PENDING) {
                Instant measurement = stepStart.plus(interval.multipliedBy(progress.rounds() + 1));
                next = measurement.isBefore(next) || !now.isBefore(bakeEnd) ? measurement : next;
            }
            if (!sleepUntil(next.isBefore(waitEnd) ? next : waitEnd) || !next.isBefore(waitEnd)) {
                return continued(job, s, progress, where + ": " + health.detail() + "; " + lastAnalysis
                        + "; the bake ends " + bakeEnd, finalBake);
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        Duration positive = b.isNegative() ? Duration.ZERO : b;
        return a.compareTo(positive) <= 0 ? a : positive;
    }

    /** Sleeps until {@code until} on the wall clock; false when interrupted. */
    private boolean sleepUntil(Instant until) {
        Duration left = Duration.between(clock.instant(), until);
        if (!left.isPositive()) {
            return true;
        }
        try {
            sleeper.sleep(left);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ------------------------------------------------------------------ going on

    /** Writes the step {@code progress} names ({@link StepWriter}) and answers with a continuation token. */
    private SwapOutcome step(ReleaseJob job, Situation s, OriginalRoutes original, Routing now, Progress progress,
                             JobRecord record, StepTag tag) {
        String where = job.stepName(progress.step(), false);
        Map<String, String> stepping = new LinkedHashMap<>(record.in(JobState.STEPPING).tags());
        stepping.put(TAG_PROGRESS, tag.value());
        StepWriter.Written written = writer.write(job, s, original, now, progress.step(), stepping);
        if (written.failed()) {
            Situation before = new Situation(s.lb(), original.originalOf(now), record, s.direction(), true);
            return restore.run(job, before, original, written.ledger(), written.writer(), record,
                    written.failureType(), "writing " + where + " failed: " + written.failureReason());
        }
        Routing after = written.after();
        String summary = where + " in place: live " + Routing.describe(after.live(), after.liveRoutes())
                + "; test stays on " + TargetGroups.name(s.direction().newLive()) + "; bake "
                + job.strategy().bake().toSeconds() + " s";
        return new Continued(summary, token(job, s, progress), job.percentComplete(progress.step()));
    }

    /** The last step: today's swap, planned from the routing before the release. */
    private SwapOutcome finalStep(ReleaseJob job, Situation s, OriginalRoutes original, boolean promoted, StepTag tag) {
        String where = job.stepName(job.strategy().steps(), false);
        SwapOutcome outcome = swapper.run(job.release(), job.request(), job.scope(), job.budget(), job.log(), original,
                where);
        if (outcome instanceof Failed f) {
            Map<String, String> now = tags.readNow(job, s);
            JobRecord record = JobRecord.from(now);
            if (record != null && record.state().midRelease()) {
                // refused before its first write: the step before it is still in place, so put back the original
                Situation before = new Situation(s.lb(), original.originalOf(s.before()), record, s.direction(), true);
                return restore.run(job, before, original, record, f.type(),
                        where + " was refused: " + f.message().replaceFirst("\\. Nothing was changed\\.$", ""));
            }
            tags.clearProgress(job, s, now);
            return new Failed(f.type(), where + " failed: " + f.message());
        }
        Succeeded swapped = (Succeeded) outcome;
        if (!promoted && !job.strategy().finalBake().isZero()) {
            long startedNow = clock.instant().getEpochSecond();
            tags.put(job, s, Map.of(TAG_PROGRESS, tag.at(job.strategy().steps(), startedNow, job.jobId()).value()));
            Progress progress = new Progress(job.release(), job.strategy().steps(), startedNow,
                    original.fingerprint(s.before()), 0, "");
            return new Continued(where + " done: " + swapped.summary() + "; final bake "
                    + job.strategy().finalBake().toSeconds() + " s", token(job, s, progress),
                    job.percentComplete(job.strategy().steps()));
        }
        tags.clearProgress(job, s, tags.readNow(job, s));
        return new Succeeded((promoted ? "promoted by the operator: " : "") + "release complete, " + where + ": "
                + swapped.summary(), swapped.outputVariables());
    }

    private SwapOutcome finish(ReleaseJob job, Situation s, String why) {
        tags.clearProgress(job, s, ReleaseTags.of(s));
        return new Succeeded("release complete: " + why + "; " + s.before().describe(s.direction()),
                Swapper.outputVariables(s.direction()));
    }

    private SwapOutcome continued(ReleaseJob job, Situation s, Progress progress, String summary, boolean finalBake) {
        return new Continued(summary, token(job, s, progress), job.percentComplete(finalBake ? job.strategy().steps()
                : progress.step()));
    }

    /** The token; when the tallies would make it pass 2048 characters, they go to the load balancer's tags. */
    private String token(ReleaseJob job, Situation s, Progress progress) {
        String token = progress.token(mapper);
        if (token.length() <= Progress.MAX_TOKEN) {
            return token;
        }
        tags.put(job, s, Progress.tallyTags(progress.tallies()));
        return progress.withTallies(Progress.IN_TAGS).token(mapper);
    }

    private SwapOutcome drift(ReleaseJob job, Situation s, List<String> differences) {
        job.log().error("drift: the listeners changed in a way the release did not make; stopping",
                Map.of("differences", differences));
        return new Failed(JobFailed, "the listeners changed between steps in a way release " + job.release()
                + " did not make, so it stops and changes nothing more: " + String.join("; ", differences)
                + ". The listeners are now: " + s.before().describe(s.direction()) + ". Put them back by hand, or set "
                + TAG_COMMAND + "=abort (the next invocation of this release puts back the routing before it) and run the "
                + "stage again");
    }
}
