package dev.ecsbluegreen.swap;

import static dev.ecsbluegreen.swap.FailureType.ConfigurationError;
import static dev.ecsbluegreen.swap.FailureType.JobFailed;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.analysis.Analysis;
import dev.ecsbluegreen.analysis.AnalysisVerdict;
import dev.ecsbluegreen.analysis.MetricSpec;
import dev.ecsbluegreen.analysis.MetricVerdict;
import dev.ecsbluegreen.analysis.Sleeper;
import dev.ecsbluegreen.analysis.Status;
import dev.ecsbluegreen.analysis.Subject;
import dev.ecsbluegreen.analysis.Tally;
import dev.ecsbluegreen.analysis.Verdicts;
import dev.ecsbluegreen.analysis.gate.Gate;
import dev.ecsbluegreen.analysis.gate.GateResult;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.TargetGroups;
import dev.ecsbluegreen.swap.JobRecord.JobState;
import dev.ecsbluegreen.swap.SwapOutcome.Continued;
import dev.ecsbluegreen.swap.SwapOutcome.Failed;
import dev.ecsbluegreen.swap.SwapOutcome.Succeeded;
import dev.ecsbluegreen.swap.Swapper.Situation;
import dev.ecsbluegreen.swap.execution.BoundedWriter;
import dev.ecsbluegreen.swap.execution.Budget;
import dev.ecsbluegreen.swap.execution.Change;
import dev.ecsbluegreen.swap.execution.Ledger;
import dev.ecsbluegreen.swap.execution.OutOfTime;
import dev.ecsbluegreen.swap.execution.VerifiedRestore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A canary or linear release over several invocations: each step one routing state (every live forward that sent
 * traffic to blue weighted blue {@code 100-p} / green {@code p}), held for its bake while green is judged, the last
 * step exactly today's swap ({@link Swapper}), then an optional final bake. Between invocations CodePipeline carries
 * a {@link Progress} in the continuation token; the load balancer's tags say which step is in place and hold what a
 * restore needs ({@link JobRecord}, {@link OriginalRoutes}), so a lost or replayed token converges.
 *
 * <p>Anything that fails — a step's write, green's target health, the analysis, an alarm — or the operator's
 * {@code abort} puts the live (and, after the last step, the test) listener back to the routing before the release,
 * verified by read-back, and reports it. A live listener changed by someone else between steps stops the release
 * with nothing more changed. Thread-safe as long as its seams are (it keeps no state between calls).
 */
final class ProgressiveSwap {
    /** Where the release stands, in one tag: see {@link StepTag}. */
    static final String TAG_PROGRESS = "ecs-bluegreen:progress";
    static final String TAG_COMMAND = "ecs-bluegreen:command";
    /** ELB's limit of tags on one resource. */
    static final int MAX_TAGS = 50;
    /** Time kept, beyond a restore's, for what follows a wait: one report. */
    static final Duration AFTER_WAIT = Duration.ofSeconds(3);

    private final LoadBalancers elb;
    private final Swapper swapper;
    private final Supplier<Analysis> analysis;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration maxWait;
    private final ObjectMapper mapper;

    /**
     * @param maxWait the longest one invocation waits for a bake or a measurement before answering with a
     *     continuation token (it also never waits past its own deadline, less a restore and a report)
     */
    ProgressiveSwap(LoadBalancers elb, Swapper swapper, Supplier<Analysis> analysis, Clock clock, Sleeper sleeper,
                    Duration maxWait, ObjectMapper mapper) {
        this.elb = elb;
        this.swapper = swapper;
        this.analysis = analysis;
        this.clock = clock;
        this.sleeper = sleeper;
        this.maxWait = maxWait;
        this.mapper = mapper;
    }

    /**
     * The load balancer's record of where the release stands, one tag (ELB allows 50 a resource, moto 10):
     * {@code step=2 started=1764590000 parts=1 job=<id of the last job that acted>}.
     *
     * @param step the step in place (1-based; the last is the whole swap)
     * @param started when it was written, epoch seconds
     * @param parts how many {@code ecs-bluegreen:original-N} tags hold the routing before the release
     * @param lastJob the last job that acted on the release: a redelivery of it changes nothing
     */
    record StepTag(int step, long started, int parts, String lastJob) {
        String value() {
            return "step=" + step + " started=" + started + " parts=" + parts + " job=" + lastJob;
        }

        static StepTag parse(String value) {
            if (value == null) {
                return null;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("step=(\\d{1,3}) started=(\\d{1,12}) parts=(\\d{1,2}) job=(\\S+)").matcher(value.strip());
            return m.matches() ? new StepTag(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)),
                    Integer.parseInt(m.group(3)), m.group(4)) : null;
        }

        StepTag by(String job) {
            return new StepTag(step, started, parts, job);
        }

        StepTag at(int newStep, long newStarted, String job) {
            return new StepTag(newStep, newStarted, parts, job);
        }
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
        Job job = new Job(abandoned.release, abandoned.release, request, scope, budget, log);
        Situation s = swapper.situation(abandoned.release, request, scope, budget, log);
        StepTag tag = StepTag.parse(lbTags(s).get(TAG_PROGRESS));
        OriginalRoutes original = tag == null ? null
                : OriginalRoutes.from(lbTags(s), tag.parts(), s.direction(), s.before()).orElse(null);
        if (original == null) {
            return new Failed(JobFailed, abandoned.getMessage() + ", but its record of the routing before it is missing "
                    + "or unreadable, so nothing was changed: " + s.before().describe(s.direction())
                    + ". Put the listeners back by hand");
        }
        clearCommand(job, s, "abort");
        Situation before = new Situation(s.lb(), original.originalOf(s.before()), s.prior(), s.direction(), true);
        Failed putBack = (Failed) restore(job, before, original, new Ledger(), new BoundedWriter(budget), s.prior(),
                JobFailed, "release " + abandoned.release + " was under way when this job came and "
                        + TAG_COMMAND + "=abort was set, so this job put that release back instead of swapping");
        return new Failed(putBack.type(), putBack.message() + " Run this stage again for a new release.");
    }

    /** Everything one invocation works with. */
    private record Job(String jobId, String release, SwapRequest request, Scope scope, Budget budget, JobLog log) {
        Strategy strategy() {
            return request.strategy();
        }
    }

    SwapOutcome run(JobEvent event, SwapRequest request, Scope scope, Budget budget, JobLog log) {
        if (event.continuationToken() == null) {
            return start(new Job(event.jobId(), event.jobId(), request, scope, budget, log));
        }
        Progress token;
        try {
            token = Progress.parse(event.continuationToken(), mapper);
        } catch (Progress.Unreadable e) {
            return new Failed(JobFailed, e.getMessage() + ". Nothing was changed.");
        }
        Job job = new Job(event.jobId(), token.release(), request, scope, budget, log);
        Situation s = swapper.situation(token.release(), request, scope, budget, log);
        if (!s.sameJob(token.release())) {
            return new Failed(JobFailed, "this continuation belongs to release " + token.release() + ", but the load "
                    + "balancer records " + (s.prior() == null ? "no release" : "job " + s.prior().jobId() + " ("
                    + s.prior().state().tag + ")") + ", so it changes nothing. Nothing was changed: "
                    + s.before().describe() + ".");
        }
        return resume(job, token, s);
    }

    // ------------------------------------------------------------------ the first invocation

    private SwapOutcome start(Job job) {
        Situation s = swapper.situation(job.jobId(), job.request(), job.scope(), job.budget(), job.log());
        Map<String, String> lbTags = lbTags(s);
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
            return dryRun(job, s, original, recordTags);
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

    private void preflight(Job job, Situation s, OriginalRoutes original, Map<String, String> lbTags,
                           Map<String, String> recordTags) {
        job.scope().checkPair(s.direction());
        long tags = java.util.stream.Stream.concat(lbTags.keySet().stream(), recordTags.keySet().stream()
                        .filter(k -> !lbTags.containsKey(k)))
                .distinct().count() + 1; // room for the operator's command
        if (tags > MAX_TAGS) {
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

    private SwapOutcome resume(Job job, Progress token, Situation s) {
        JobRecord record = s.prior();
        Map<String, String> lbTags = lbTags(s);
        Direction pair = s.direction();
        StepTag tag = StepTag.parse(lbTags.get(TAG_PROGRESS));
        OriginalRoutes original = tag == null ? null
                : OriginalRoutes.from(lbTags, tag.parts(), pair, s.before()).orElse(null);
        if (record.state() == JobState.RESTORED) {
            return new Failed(JobFailed, "release " + job.release() + " was already rolled back, so this "
                    + "continuation changes nothing. Nothing was changed: " + s.before().describe(pair) + ".");
        }
        if (record.state() == JobState.DONE && tag == null) {
            return new Succeeded("release " + job.release() + " had already finished; nothing changed: "
                    + s.before().describe(pair), Swapper.outputVariables(pair));
        }
        if (original == null) {
            return new Failed(JobFailed, "the load balancer's record of the routing before release " + job.release()
                    + " is missing or unreadable (tags " + OriginalRoutes.TAG_PART + "…), so this invocation cannot "
                    + "tell where traffic must go back to and changes nothing. Nothing was changed: "
                    + s.before().describe(pair) + ".");
        }
        Situation before = new Situation(s.lb(), original.originalOf(s.before()), record, pair, true);
        if (record.state() != JobState.BAKING && record.state() != JobState.DONE) {
            String what = "an earlier invocation of release " + job.release() + " was interrupted or failed while "
                    + record.state().tag + ", so this one puts back the routing before the release instead of going on";
            return restore(job, before, original, new Ledger(), new BoundedWriter(job.budget()), record, JobFailed, what);
        }
        int tagStep = tag.step();
        long started = tag.started();
        String fingerprint = original.fingerprint(s.before());
        Progress fromTags = new Progress(job.release(), tagStep, started, fingerprint, 0, "");
        if (token != null && !token.fingerprint().equals(fingerprint)) {
            return drift(job, s, List.of("the routing before the release no longer matches: a route the release does "
                    + "not change was edited, added or removed, or the record was (fingerprint " + fingerprint
                    + ", the release started from " + token.fingerprint() + ")"));
        }
        if (job.jobId().equals(tag.lastJob()) || token == null || token.step() != tagStep
                || token.stepStarted() != started) {
            // a redelivery, or a token behind (or ahead of) the load balancer: answer with where it is, change nothing
            Progress progress = token != null && token.step() == tagStep && token.stepStarted() == started ? token : fromTags;
            job.log().info("continuation converges to the load balancer's record",
                    Map.of("step", tagStep, "tokenStep", token == null ? "none" : String.valueOf(token.step())));
            return new Continued("release " + job.release() + " is at step " + tagStep + " of "
                    + job.strategy().steps() + " (as the load balancer records it; this delivery changed nothing): "
                    + s.before().describe(pair), progress.token(mapper), percent(job, tagStep));
        }
        boolean finalBake = record.state() == JobState.DONE;
        List<String> differences = differences(s.before(), original, finalBake ? 100 : job.strategy().percentAt(tagStep));
        if (!differences.isEmpty()) {
            return drift(job, s, differences);
        }
        StepTag acting = tag.by(job.jobId());
        putTags(job, s, Map.of(TAG_PROGRESS, acting.value()));
        String command = lbTags.get(TAG_COMMAND);
        if (command != null) {
            clearCommand(job, s, command);
            switch (command) {
                case "abort" -> {
                    return restore(job, before, original, new Ledger(), new BoundedWriter(job.budget()), record,
                            JobFailed, "aborted by the operator (" + TAG_COMMAND + "=abort) at " + stepName(job, tagStep,
                                    finalBake));
                }
                case "promote" -> {
                    job.log().info("promoted by the operator: going to the last step now", Map.of("step", tagStep));
                    return finalBake ? finish(job, s, "promoted by the operator during the final bake")
                            : finalStep(job, s, original, true, acting);
                }
                default -> job.log().warn("ignored an unknown operator command (promote and abort are known)",
                        Map.of("command", command));
            }
        }
        return bake(job, s, before, original, record, token, finalBake, acting);
    }

    /** Judges green at the step in place, waits within this invocation's slice, and goes on when the bake is over. */
    private SwapOutcome bake(Job job, Situation s, Situation before, OriginalRoutes original, JobRecord record,
                             Progress progress, boolean finalBake, StepTag tag) {
        Strategy strategy = job.strategy();
        int step = progress.step();
        int percent = finalBake ? 100 : strategy.percentAt(step);
        Instant stepStart = Instant.ofEpochSecond(progress.stepStarted());
        Instant bakeEnd = stepStart.plus(finalBake ? strategy.finalBake() : strategy.bake());
        List<MetricSpec> metrics = job.request().analysis();
        List<String> names = metrics.stream().map(MetricSpec::name).toList();
        Map<String, Tally> tallies = Progress.decode(names,
                Progress.IN_TAGS.equals(progress.tallies()) ? Progress.fromTallyTags(lbTags(s)) : progress.tallies());
        Duration interval = metrics.stream().map(MetricSpec::interval).min(Duration::compareTo).orElse(null);
        Duration reserve = job.budget().needed(recordedLive(s.before(), original) * 2 + 2).plus(AFTER_WAIT);
        Deadline working = job.budget().work().minus(reserve);
        Instant waitEnd = clock.instant().plus(min(maxWait, working.remaining()));
        String where = stepName(job, step, finalBake);
        Subject subject = new Subject(s.lb().arn(), s.direction().newLive(), s.direction().newTest(), (double) percent);
        String lastAnalysis = metrics.isEmpty() ? "no analysis configured" : "";
        while (true) {
            GateResult health = job.request().requireHealthyGreen() ? health(s.direction().newLive(), working)
                    : new GateResult(Gate.TARGET_HEALTH, true, "target health not judged (requireHealthyGreen false)");
            if (!health.passed()) {
                return restore(job, before, original, new Ledger(), new BoundedWriter(job.budget()), record, JobFailed,
                        "green's target health failed at " + where + ": " + health.detail());
            }
            Instant now = clock.instant();
            AnalysisVerdict verdict = verdict(metrics, tallies);
            boolean due = interval != null && verdict.status() == Status.PENDING
                    && !now.isBefore(stepStart.plus(interval.multipliedBy(progress.rounds() + 1)));
            if (due) {
                Analysis.Round round = analysis.get().measureOnce(metrics, subject, tallies, stepStart, working,
                        m -> job.log().info("measurement", Map.of("metric", m.metric(), "phase", m.phase().name(),
                                "summary", m.summary(), "step", where)));
                tallies = round.tallies();
                verdict = round.verdict();
                long slots = Duration.between(stepStart, clock.instant()).toMillis() / interval.toMillis();
                progress = progress.measured(Progress.encode(names, tallies),
                        (int) Math.max(progress.rounds() + 1, Math.min(slots, Integer.MAX_VALUE)));
                if (verdict.status() == Status.FAILED) {
                    return restore(job, before, original, new Ledger(), new BoundedWriter(job.budget()), record,
                            JobFailed, "the analysis failed at " + where + ": " + failedFirst(verdict));
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

    private static AnalysisVerdict verdict(List<MetricSpec> metrics, Map<String, Tally> tallies) {
        if (metrics.isEmpty()) {
            return new AnalysisVerdict(Status.PASSED, "no analysis", List.of());
        }
        return Verdicts.combine(metrics.stream().map(m -> Verdicts.decide(m, tallies.getOrDefault(m.name(), Tally.NONE)))
                .toList());
    }

    private static String failedFirst(AnalysisVerdict verdict) {
        return verdict.metrics().stream().filter(m -> m.status() == Status.FAILED).map(MetricVerdict::reason)
                .findFirst().orElse(verdict.reason());
    }

    private GateResult health(String green, Deadline deadline) {
        try {
            List<Gate.TargetState> targets = elb.within(deadline).targetHealth(green).stream()
                    .map(t -> new Gate.TargetState(t.id(), t.port() == null ? 0 : t.port(), t.state(), t.reason()))
                    .toList();
            return Gate.judgeTargets(TargetGroups.name(green), targets);
        } catch (AwsCallException e) {
            return new GateResult(Gate.TARGET_HEALTH, false, "reading green's target health failed: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ writing a step

    /** Writes the step {@code progress} names, verifies it, and answers with a continuation token. */
    private SwapOutcome step(Job job, Situation s, OriginalRoutes original, Routing now, Progress progress,
                             JobRecord record, StepTag tag) {
        int percent = job.strategy().percentAt(progress.step());
        String where = stepName(job, progress.step(), false);
        Map<String, String> stepping = new LinkedHashMap<>(record.in(JobState.STEPPING).tags());
        stepping.put(TAG_PROGRESS, tag.value());
        Situation before = new Situation(s.lb(), original.originalOf(now), record, s.direction(), true);
        Ledger ledger = new Ledger();
        BoundedWriter writer = new BoundedWriter(job.budget());
        try {
            if (progress.step() > 1) {
                elb.within(job.budget().forWrite(0)).putTags(s.lb().arn(), stepping);
            }
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
            writer.apply(changes, ledger);
            Routing after = Routing.read(elb, job.budget().forWrite(ledger.size()), now.live(), now.test(),
                    List.of(s.direction().newLive(), s.direction().newTest()), false);
            List<String> differences = differences(after, original, percent);
            if (!differences.isEmpty()) {
                throw new SwapException(JobFailed, "the load balancer did not keep " + where + ": read back, "
                        + String.join("; ", differences));
            }
            elb.within(job.budget().forStateTag()).putTags(s.lb().arn(), Map.of(JobRecord.TAG_STATE, JobState.BAKING.tag));
            String summary = where + " in place: live " + Routing.describe(after.live(), after.liveRoutes())
                    + "; test stays on " + TargetGroups.name(s.direction().newLive()) + "; bake "
                    + job.strategy().bake().toSeconds() + " s";
            job.log().info("step written", Map.of("step", where, "readBack", after.describe(s.direction())));
            return new Continued(summary, token(job, s, progress), percent(job, progress.step()));
        } catch (RuntimeException | Error e) {
            FailureType type = e instanceof SwapException se ? se.type()
                    : e instanceof AwsCallException ae ? Swapper.typeOf(ae) : JobFailed;
            String reason = e instanceof SwapException || e instanceof AwsCallException ? e.getMessage()
                    : e instanceof OutOfTime ? e.getMessage() + ": raise the function's timeout" : "unexpected error: " + e;
            return restore(job, before, original, ledger, writer, record, type, "writing " + where + " failed: " + reason);
        }
    }

    /** The load balancer's tags as they are now; those read at the start of the invocation when that read fails. */
    private Map<String, String> recordTags(Job job, Situation s) {
        try {
            return elb.within(job.budget().forStateTag()).tags(List.of(s.lb().arn())).getOrDefault(s.lb().arn(), Map.of());
        } catch (RuntimeException e) {
            job.log().warn("could not read the release's record back; going by the one read before",
                    Map.of("error", String.valueOf(e.getMessage())));
            return lbTags(s);
        }
    }

    /** The last step: today's swap, planned from the routing before the release. */
    private SwapOutcome finalStep(Job job, Situation s, OriginalRoutes original, boolean promoted, StepTag tag) {
        String where = stepName(job, job.strategy().steps(), false);
        SwapOutcome outcome = swapper.run(job.release(), job.request(), job.scope(), job.budget(), job.log(), original);
        if (outcome instanceof Failed f) {
            Map<String, String> tags = recordTags(job, s);
            JobRecord now = JobRecord.from(tags);
            if (now != null && now.state().midRelease()) {
                // refused before its first write: the step before it is still in place, so put back the original
                Situation before = new Situation(s.lb(), original.originalOf(s.before()), now, s.direction(), true);
                return restore(job, before, original, new Ledger(), new BoundedWriter(job.budget()), now, f.type(),
                        where + " was refused: " + f.message().replaceFirst("\\. Nothing was changed\\.$", ""));
            }
            clearProgress(job, s, tags);
            return new Failed(f.type(), where + " failed: " + f.message());
        }
        Succeeded swapped = (Succeeded) outcome;
        if (!promoted && !job.strategy().finalBake().isZero()) {
            long now = clock.instant().getEpochSecond();
            putTags(job, s, Map.of(TAG_PROGRESS, tag.at(job.strategy().steps(), now, job.jobId()).value()));
            Progress progress = new Progress(job.release(), job.strategy().steps(), now,
                    original.fingerprint(s.before()), 0, "");
            return new Continued(where + " done: " + swapped.summary() + "; final bake "
                    + job.strategy().finalBake().toSeconds() + " s", token(job, s, progress), percent(job,
                    job.strategy().steps()));
        }
        clearProgress(job, s, recordTags(job, s));
        return new Succeeded((promoted ? "promoted by the operator: " : "") + "release complete, " + where + ": "
                + swapped.summary(), swapped.outputVariables());
    }

    private SwapOutcome finish(Job job, Situation s, String why) {
        clearProgress(job, s, lbTags(s));
        return new Succeeded("release complete: " + why + "; " + s.before().describe(s.direction()),
                Swapper.outputVariables(s.direction()));
    }

    private SwapOutcome continued(Job job, Situation s, Progress progress, String summary, boolean finalBake) {
        return new Continued(summary, token(job, s, progress), percent(job, finalBake ? job.strategy().steps()
                : progress.step()));
    }

    /** The token; when the tallies would make it pass 2048 characters, they go to the load balancer's tags. */
    private String token(Job job, Situation s, Progress progress) {
        String token = progress.token(mapper);
        if (token.length() <= Progress.MAX_TOKEN) {
            return token;
        }
        putTags(job, s, Progress.tallyTags(progress.tallies()));
        return progress.withTallies(Progress.IN_TAGS).token(mapper);
    }

    // ------------------------------------------------------------------ drift, restore

    /**
     * How the recorded routes differ from the step they must be at ({@code percent} of blue's traffic on green; 100:
     * the whole swap, the test listener too); empty when they are there.
     */
    private static List<String> differences(Routing now, OriginalRoutes original, int percent) {
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

    private SwapOutcome drift(Job job, Situation s, List<String> differences) {
        job.log().error("drift: the listeners changed in a way the release did not make; stopping",
                Map.of("differences", differences));
        return new Failed(JobFailed, "the listeners changed between steps in a way release " + job.release()
                + " did not make, so it stops and changes nothing more: " + String.join("; ", differences)
                + ". The listeners are now: " + s.before().describe(s.direction()) + ". Put them back by hand, or set "
                + TAG_COMMAND + "=abort (the next invocation of this release puts back the routing before it) and run the "
                + "stage again");
    }

    /** Puts back the routing before the release (live listener first), verified by read-back, and says so. */
    private SwapOutcome restore(Job job, Situation before, OriginalRoutes original, Ledger ledger, BoundedWriter writer,
                                JobRecord record, FailureType type, String reason) {
        job.log().error("release failed, restoring the routing before it", Map.of("reason", reason,
                "writes", ledger.size(), "outcomes", ledger.outcomes().stream().map(Enum::name).toList()));
        Budget budget = job.budget();
        putRecord(job, before, record.in(JobState.RESTORING), budget.forUndo());
        VerifiedRestore.Result result = VerifiedRestore.run(ledger, new OriginalTarget(before, original), writer, budget);
        putRecord(job, before, record.in(result.verified() ? JobState.RESTORED : JobState.RESTORE_INCOMPLETE),
                budget.forStateTag());
        if (result.verified()) {
            clearProgress(job, before, recordTags(job, before));
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
                    if (wanted != null && !sameTargets(wanted, r.forwards())) {
                        corrections.add(Change.correction(side + " " + (side.equals("live") ? now.live() : now.test())
                                + " " + r.describe(), d -> elb.within(d).rewrite(r, wanted)));
                    }
                }
            }
            corrections.addAll(RestoreTarget.tagCorrections(elb, before.prior().before(), now));
            return new VerifiedRestore.ReadBack(corrections, now.describe(pair));
        }
    }

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

    // ------------------------------------------------------------------ the dry run

    private SwapOutcome dryRun(Job job, Situation s, OriginalRoutes original, Map<String, String> recordTags) {
        Strategy strategy = job.strategy();
        List<String> lines = new ArrayList<>();
        lines.add("tags on " + s.lb().name() + " before the first write: " + JobRecord.TAG_JOB + "=" + job.jobId() + ", "
                + JobRecord.TAG_STATE + "=stepping, " + TAG_PROGRESS + "=step=1 … and the routing before the release in "
                + parts(recordTags) + " tag(s) (" + recordTags.size() + " tags in all)");
        for (int step = 1; step < strategy.steps(); step++) {
            int percent = strategy.percentAt(step);
            List<Route> live = s.before().liveRoutes().stream().map(r -> original.records("live", r)
                    ? new Route(r.listenerArn(), r.ruleArn(), r.priority(), original.atStep(r, percent), r.source()) : r)
                    .toList();
            lines.add(stepName(job, step, false) + ": live " + Routing.describe(s.before().live(), live) + "; test "
                    + "unchanged; " + JobRecord.TAG_STATE + "=baking, bake " + strategy.bake().toSeconds() + " s");
        }
        SwapPlan plan = SwapPlan.converge(s.direction(), s.before().liveRoutes(), s.before().testRoutes(),
                s.before().tags());
        lines.add(stepName(job, strategy.steps(), false) + ": live " + Routing.describe(s.before().live(),
                applied(s.before().liveRoutes(), plan.liveWrites())) + "; test " + Routing.describe(s.before().test(),
                applied(s.before().testRoutes(), plan.testWrites())) + "; IsProduction "
                + TargetGroups.name(s.direction().newLive()) + "=true, " + TargetGroups.name(s.direction().newTest())
                + "=false; " + JobRecord.TAG_STATE + "=done"
                + (strategy.finalBake().isZero() ? "" : ", final bake " + strategy.finalBake().toSeconds() + " s"));
        lines.forEach(line -> job.log().info("dry run", Map.of("write", line)));
        return new Succeeded("dry run, nothing written (" + strategy.describe() + "): " + String.join(" | ", lines),
                Map.of());
    }

    private static List<Route> applied(List<Route> routes, List<SwapPlan.RouteWrite> writes) {
        return routes.stream().map(r -> writes.stream().filter(w -> Routing.same(w.route(), r)).findFirst()
                .map(w -> new Route(r.listenerArn(), r.ruleArn(), r.priority(), w.forwards(), r.source())).orElse(r))
                .toList();
    }

    /** The all-at-once swap's dry run: the same report, one step. */
    SwapOutcome dryRunAllAtOnce(JobEvent event, SwapRequest request, Scope scope, Budget budget, JobLog log) {
        Job job = new Job(event.jobId(), event.jobId(), request, scope, budget, log);
        Situation s = swapper.situation(job.jobId(), request, scope, budget, log);
        SwapPlan plan = SwapPlan.converge(s.direction(), s.before().liveRoutes(), s.before().testRoutes(),
                s.before().tags());
        String line = "tags on " + s.lb().name() + ": " + JobRecord.TAG_JOB + "=" + job.jobId() + ", "
                + JobRecord.TAG_STATE + "=swapping then done; live " + Routing.describe(s.before().live(),
                applied(s.before().liveRoutes(), plan.liveWrites())) + "; test " + Routing.describe(s.before().test(),
                applied(s.before().testRoutes(), plan.testWrites())) + "; IsProduction "
                + String.join(", ", plan.tagWrites().entrySet().stream()
                        .map(e -> TargetGroups.name(e.getKey()) + "=" + e.getValue()).toList());
        log.info("dry run", Map.of("write", line));
        return new Succeeded("dry run, nothing written (allAtOnce): " + line, Map.of());
    }

    // ------------------------------------------------------------------ small things

    private static String stepName(Job job, int step, boolean finalBake) {
        int steps = job.strategy().steps();
        if (finalBake) {
            return "the final bake (green 100 %)";
        }
        return "step " + step + " of " + steps + " (green " + job.strategy().percentAt(step) + " %"
                + (step >= steps ? ", the whole swap" : "") + ")";
    }

    private static int percent(Job job, int step) {
        int all = job.strategy().steps() + (job.strategy().finalBake().isZero() ? 0 : 1);
        return Math.min(99, 100 * step / all);
    }

    private static Map<String, String> lbTags(Situation s) {
        return s.before().tags().getOrDefault(s.lb().arn(), Map.of());
    }

    private void putTags(Job job, Situation s, Map<String, String> tags) {
        try {
            elb.within(job.budget().forStateTag()).putTags(s.lb().arn(), tags);
        } catch (RuntimeException | Error e) {
            job.log().warn("could not write the release's progress on the load balancer",
                    Map.of("tags", tags.keySet(), "error", String.valueOf(e.getMessage())));
        }
    }

    private void putRecord(Job job, Situation s, JobRecord record, Deadline deadline) {
        try {
            elb.within(deadline).putTags(s.lb().arn(), record.tags());
        } catch (RuntimeException | Error e) {
            job.log().warn("could not record the release's state on the load balancer",
                    Map.of("state", record.state().tag, "error", String.valueOf(e.getMessage())));
        }
    }

    /** Removes the operator's command: it is acted upon once. */
    private void clearCommand(Job job, Situation s, String command) {
        try {
            elb.within(job.budget().forStateTag()).removeTags(s.lb().arn(), List.of(TAG_COMMAND));
            job.log().info("operator command acted upon and cleared", Map.of("command", command));
        } catch (RuntimeException | Error e) {
            job.log().warn("could not clear the operator's command: remove it by hand (aws elbv2 remove-tags "
                    + "--resource-arns " + s.lb().arn() + " --tag-keys " + TAG_COMMAND + ")",
                    Map.of("command", command, "error", String.valueOf(e.getMessage())));
        }
    }

    /** The release is over: its progress tags go (the job record stays, for the next approval). */
    private void clearProgress(Job job, Situation s, Map<String, String> tags) {
        List<String> keys = new ArrayList<>(OriginalRoutes.tagKeys(tags));
        tags.keySet().stream().filter(k -> k.startsWith(Progress.TAG_TALLIES)).forEach(keys::add);
        keys.add(TAG_PROGRESS);
        try {
            elb.within(job.budget().forStateTag()).removeTags(s.lb().arn(), keys);
        } catch (RuntimeException | Error e) {
            job.log().warn("could not remove the release's progress tags (the next release overwrites them)",
                    Map.of("error", String.valueOf(e.getMessage())));
        }
    }

}
