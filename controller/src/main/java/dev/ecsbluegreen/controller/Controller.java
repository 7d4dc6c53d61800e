package dev.ecsbluegreen.controller;

import dev.ecsbluegreen.analysis.check.Check;
import dev.ecsbluegreen.analysis.check.CheckResult;
import dev.ecsbluegreen.analysis.check.CheckRunner;
import dev.ecsbluegreen.analysis.check.http.OkHttpProbe;
import dev.ecsbluegreen.controller.Decision.Bake;
import dev.ecsbluegreen.controller.Decision.Done;
import dev.ecsbluegreen.controller.Decision.Refused;
import dev.ecsbluegreen.controller.Decision.Wait;
import dev.ecsbluegreen.controller.Decision.Write;
import dev.ecsbluegreen.controller.Outcome.Failed;
import dev.ecsbluegreen.controller.Outcome.Reason;
import dev.ecsbluegreen.controller.Outcome.Succeeded;
import dev.ecsbluegreen.controller.Outcome.Waiting;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.Strategy;
import dev.ecsbluegreen.core.routing.TargetWeight;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs one action: read, ask the {@link Planner}, send its write, read again, until the action is done, refused,
 * or out of time. Prints every read and every write as a progress line, so the command line and the Lambda log
 * show the same messages.
 *
 * <p>Reliability ({@code docs/external-controller.md}): every call is bounded by the run's deadline; a deploy whose
 * green does not reach {@code STEADY_STATE} within the wait is rolled back (green scaled to 0 and deleted while blue
 * serves); a promote records what to put back (both listeners and the primary) <em>before</em> its first write and,
 * when a write fails or gets no answer (assumed landed), puts it back and reports what a read-back shows.
 */
public final class Controller {

    /** The {@code User-Agent} of a deploy's checks, in green's access log. */
    static final String USER_AGENT = "ecs-bluegreen-controller";
    /** Time a deploy keeps after its checks for rolling green back when they fail. */
    static final Duration ROLLBACK_RESERVE = Duration.ofSeconds(10);
    /** Time a promote keeps for putting back both listeners and the primary, with a read-back. */
    static final Duration RESTORE_RESERVE = Duration.ofSeconds(10);
    /** How many reads after a write may still not show it before the controller stops (it never sends a write twice in a row). */
    static final int SAME_WRITE_LIMIT = 3;
    /** At most this many writes in one run: a full rollback after promote needs 7. */
    static final int WRITE_LIMIT = 20;

    /** Waiting between reads. Production: {@link Thread#sleep}. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final EcsTaskSets ecs;
    private final ListenerForwards listeners;
    private final Consumer<String> progress;
    private final Clock wallClock;
    private final Sleeper sleeper;
    private final Duration pollInterval;
    private final CheckRunner checkRunner;

    /** A controller whose deploys send their checks ({@link Request#checks()}) with OkHttp. */
    public Controller(EcsTaskSets ecs, ListenerForwards listeners, Consumer<String> progress, Clock wallClock, Sleeper sleeper,
                      Duration pollInterval) {
        this(ecs, listeners, progress, wallClock, sleeper, pollInterval,
                new CheckRunner(new OkHttpProbe(OkHttpProbe.newBaseClient(), USER_AGENT), sleeper::sleep));
    }

    /** @param checkRunner runs a deploy's checks against green */
    public Controller(EcsTaskSets ecs, ListenerForwards listeners, Consumer<String> progress, Clock wallClock, Sleeper sleeper,
                      Duration pollInterval, CheckRunner checkRunner) {
        this.checkRunner = checkRunner;
        this.ecs = ecs;
        this.listeners = listeners;
        this.progress = progress;
        this.wallClock = wallClock;
        this.sleeper = sleeper;
        this.pollInterval = pollInterval;
    }

    /**
     * @param work when this run must have finished (the caller keeps its own reserve for reporting after it)
     * @param startedAtMillis when the action began, in epoch milliseconds: now for a first run, the continuation's
     *     start for a later one; the deploy's wait and the cleanup's wait count from it
     */
    public Outcome run(Request request, Deadline work, long startedAtMillis) {
        return run(request, work, startedAtMillis, null);
    }

    /**
     * @param resumed the step a progressive promote was baking when an earlier run handed over (a continuation), and
     *     since when; null for none. A step found in place without it bakes from now: a bake is never cut short.
     */
    public Outcome run(Request request, Deadline work, long startedAtMillis, Outcome.Baking resumed) {
        String release = request.releaseId();
        Run run = new Run(request, release, work, startedAtMillis);
        if (resumed != null) {
            run.placedAt.put(request.strategy().percentAt(resumed.step()), resumed.sinceMillis());
        }
        try {
            return run.go();
        } catch (ConfigurationException e) {
            return new Failed(Reason.CONFIGURATION, e.getMessage() + ". Nothing was changed", run.last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return run.failed(new IllegalStateException("interrupted"));
        } catch (RuntimeException | Error e) {
            return run.failed(e);
        }
    }

    private final class Run {
        final Request request;
        final Target target;
        final String release;
        final Deadline work;
        final long startedAtMillis;
        Observation last;
        /** What this promote puts back, once recorded: before its first write, or found under way. */
        PromoteRestore restore;
        int writes;
        /** A progressive promote's steps: green's percent → when this run (or the one it resumes) put it in place. */
        final Map<Integer, Long> placedAt = new java.util.HashMap<>();
        /** The last step of a progressive promote whose bake is over with green judged good. */
        int bakedStep;
        /** The step whose bake this run has said it holds. */
        int bakeAnnounced;

        Run(Request request, String release, Deadline work, long startedAtMillis) {
            this.request = request;
            this.target = request.target();
            this.release = release;
            this.work = work;
            this.startedAtMillis = startedAtMillis;
        }

        Outcome go() throws InterruptedException {
            progress.accept(request.action().word() + (release == null ? "" : " release " + release) + " of service "
                    + target.service() + " in cluster " + target.cluster());
            return converge(request.action());
        }

        Outcome converge(Action action) throws InterruptedException {
            Step previous = null;
            int repeats = 0;
            boolean wrote = false;
            while (true) {
                Deadline writeBound = action == Action.PROMOTE ? work.minus(RESTORE_RESERVE) : work;
                Observation o = observe(action, writeBound);
                if (action == Action.PROMOTE && restore == null && request.strategy().progressive()) {
                    PromoteRestore.Snapshot.midRelease(o, release, target).ifPresent(this::record);
                }
                Decision decision = Planner.next(action == request.action() ? request : request.then(action), o, wrote,
                        bakedStep);
                switch (decision) {
                    case Done done -> {
                        String message = done.message();
                        if (action == Action.DEPLOY && request.checks() != null && deployedNotLive(o)) {
                            Validated validated = validate(o);
                            if (validated.outcome() != null) {
                                return validated.outcome();
                            }
                            message += "; " + validated.summary();
                        }
                        progress.accept("done: " + message);
                        return new Succeeded(message, outputs(o), o);
                    }
                    case Refused refused -> {
                        if (action == Action.PROMOTE && restore != null && !restore.snapshot().matches(o)) {
                            // a promote that moved traffic does not stop there: what it moved goes back
                            return stopAndRestore("stopped: " + refused.message());
                        }
                        progress.accept("refused: " + refused.message());
                        return new Failed(Reason.REFUSED, refused.message(), o);
                    }
                    case Bake bake -> {
                        Outcome baking = bake(bake, o);
                        if (baking != null) {
                            return baking;
                        }
                    }
                    case Wait wait -> {
                        Outcome waited = waitFor(action, wait.why());
                        if (waited != null) {
                            return waited;
                        }
                    }
                    case Write write -> {
                        if (action == Action.CLEANUP) {
                            Duration left = Duration.ofMillis(startedAtMillis + request.cleanupWait().toMillis() - wallClock.millis());
                            if (left.isPositive()) {
                                Outcome waited = pause("cleanup waits " + left.toSeconds() + " s more before it deletes anything");
                                if (waited != null) {
                                    return waited;
                                }
                                continue;
                            }
                        }
                        if (write.step().equals(previous)) {
                            // the write was answered but the read does not show it yet (ECS and ELB reads are eventually
                            // consistent): read again, never send it twice (a second CreateTaskSet is a second task set)
                            if (++repeats > SAME_WRITE_LIMIT) {
                                throw new IllegalStateException("\"" + write.step().describe() + "\" was answered but "
                                        + SAME_WRITE_LIMIT + " reads after it do not show it");
                            }
                            pauseQuietly();
                            continue;
                        }
                        repeats = 0;
                        int limit = WRITE_LIMIT + request.strategy().steps();
                        if (++writes > limit) {
                            throw new IllegalStateException("more than " + limit + " writes in one run: stopped");
                        }
                        previous = write.step();
                        if (action == Action.PROMOTE && restore == null) {
                            record(PromoteRestore.Snapshot.of(o));
                        }
                        progress.accept("→ " + write.step().describe());
                        apply(write.step(), writeBound);
                        wrote = true;
                    }
                }
            }
        }

        /**
         * Holds a progressive promote's step until its bake is over, then judges green (its checks, when the deploy
         * had them, through the test listener, which still forwards to green) before the next step. Null: read again.
         */
        Outcome bake(Decision.Bake bake, Observation o) throws InterruptedException {
            Strategy strategy = request.strategy();
            long now = wallClock.millis();
            long since = placedAt.computeIfAbsent(bake.percent(), p -> now);
            Duration left = strategy.bake().minus(Duration.ofMillis(now - since));
            String step = "step " + bake.step() + " of " + strategy.steps() + " (live " + bake.percent() + " % to green)";
            if (!left.isPositive()) {
                if (request.checks() != null) {
                    Duration needed = request.checks().budget().plus(RESTORE_RESERVE).plus(Duration.ofSeconds(1));
                    if (work.remaining().compareTo(needed) < 0) {
                        // the step stays where it is and the checks wait for a run that has their time, as long as a
                        // deploy waits for green: past that, no run had it, and green cannot be judged
                        if (Duration.ofMillis(now - since).compareTo(strategy.bake().plus(request.waitTimeout())) > 0) {
                            return stopAndRestore("stopped: green's checks at " + step + " could not be run, no run had their "
                                    + needed.toSeconds() + " s within " + request.waitTimeout().toSeconds() + " s after the "
                                    + "bake; shorten the checks' attempts or timeouts");
                        }
                        String why = step + " baked; its checks (up to " + needed.toSeconds() + " s) wait for a run with the "
                                + "time for them";
                        progress.accept(why);
                        return new Waiting(why, o, new Outcome.Baking(bake.step(), since));
                    }
                    Optional<String> failures = runChecks(request.checks(), work.minus(RESTORE_RESERVE));
                    if (failures.isPresent()) {
                        return stopAndRestore("green failed its checks at " + step + " (" + failures.get() + ")");
                    }
                }
                progress.accept(step + " baked " + strategy.bake().toSeconds() + " s"
                        + (request.checks() == null ? "" : "; green passed its " + request.checks().describe()));
                bakedStep = bake.step();
                return null;
            }
            String why = step + ": baking " + left.toSeconds() + " s more";
            Duration nap = left.compareTo(pollInterval) < 0 ? left : pollInterval;
            if (work.remaining().compareTo(nap.plus(RESTORE_RESERVE).plus(Duration.ofSeconds(1))) < 0) {
                progress.accept(why);
                return new Waiting(why, o, new Outcome.Baking(bake.step(), since));
            }
            // the bake's first line, then about once a minute
            if (bakeAnnounced != bake.step() || (left.toSeconds() >= 60 && left.toSeconds() % 60 < pollInterval.toSeconds())) {
                progress.accept(why);
                bakeAnnounced = bake.step();
            }
            sleeper.sleep(nap);
            return null;
        }

        void record(PromoteRestore.Snapshot snapshot) {
            restore = new PromoteRestore(ecs, listeners, target, work, snapshot);
        }

        /** A promote that cannot go on: puts back what it moved and says what the read-back shows. */
        Outcome stopAndRestore(String why) {
            progress.accept(why + "; putting back the listeners and the primary as they were before the promote");
            PromoteRestore.Restored restored = restore.restore();
            progress.accept(restored.message());
            return new Failed(restored.verified() ? Reason.ROLLED_BACK : Reason.ERROR, "promote " + why + ". "
                    + restored.message(), last, restored.verified() ? Outcome.Restore.VERIFIED : Outcome.Restore.INCOMPLETE);
        }

        /** Deploy and rollback wait for a task set; past the wait a deploy rolls green back. Null: read again. */
        Outcome waitFor(Action action, String why) throws InterruptedException {
            if (waitIsOver()) {
                String timedOut = "did not reach STEADY_STATE within " + request.waitTimeout().toSeconds() + " s: " + why;
                if (action != Action.DEPLOY) {
                    progress.accept("failed: " + timedOut);
                    return new Failed(Reason.ERROR, timedOut + ". " + (last == null ? "" : last.describe()), last);
                }
                return rollBackGreen(timedOut);
            }
            return pause("waiting: " + why);
        }

        /** Whether the action's wait ({@link Request#waitTimeout()}, from its start) is over. */
        boolean waitIsOver() {
            return Duration.ofMillis(wallClock.millis() - startedAtMillis).compareTo(request.waitTimeout()) >= 0;
        }

        /** Deletes green while blue keeps serving; {@code why} completes "green …". */
        Outcome rollBackGreen(String why) throws InterruptedException {
            progress.accept("green " + why + "; rolling green back while blue keeps serving");
            Outcome rollback = converge(Action.ROLLBACK);
            if (rollback instanceof Succeeded s) {
                // the rollback's own "done" says there is nothing (left) to roll back: say what is there instead
                return new Failed(Reason.ROLLED_BACK, "green " + why + ". Its task set was scaled to 0 and deleted and its "
                        + "task definition deregistered; blue kept serving. As read now: " + s.last().describe(), s.last());
            }
            return new Failed(Reason.ERROR, "green " + why + ". Rolling it back did not finish (run rollback for release "
                    + release + "): " + rollback.message(), rollback.last());
        }

        /** The end of a deploy, not a release that is already primary (its test listener is blue's then). */
        boolean deployedNotLive(Observation o) {
            return o.taskSets().stream().anyMatch(t -> t.ofRelease(release) && !t.primary());
        }

        /** What a deploy's checks said: a summary when they passed, else the outcome (rolled back, or go on later). */
        record Validated(String summary, Outcome outcome) {}

        /**
         * Sends the deploy's checks to green through the test listener. A check that fails rolls green back. When this
         * run has not the time for every attempt of every check and a rollback after them, the deploy goes on in the
         * next run (a continuation) — unless its wait is over: then green could not be validated, and is rolled back.
         */
        Validated validate(Observation o) throws InterruptedException {
            GreenChecks checks = request.checks();
            Duration needed = checks.budget().plus(ROLLBACK_RESERVE);
            if (work.remaining().compareTo(needed) < 0) {
                if (waitIsOver()) {
                    return new Validated(null, rollBackGreen("could not be validated within " + request.waitTimeout().toSeconds()
                            + " s: its " + checks.describe() + " need up to " + needed.toSeconds() + " s and no run had them"
                            + " left; shorten the checks' attempts or timeouts, or raise the wait timeout"));
                }
                String why = "validation of green (" + checks.describe() + ", up to " + needed.toSeconds()
                        + " s) waits for a run with the time for it";
                progress.accept(why);
                return new Validated(null, new Waiting(why, o));
            }
            Optional<String> failures = runChecks(checks, work.minus(ROLLBACK_RESERVE));
            if (failures.isPresent()) {
                return new Validated(null, rollBackGreen("failed its checks through the test listener (" + failures.get() + ")"));
            }
            return new Validated("validated: " + checks.describe() + " passed", null);
        }

        /** Sends every check to green, each attempt a progress line; the failures of those that failed, if any. */
        Optional<String> runChecks(GreenChecks checks, Deadline bound) {
            progress.accept("validating green: " + checks.describe());
            List<String> failures = new ArrayList<>();
            for (Check check : checks.checks()) {
                CheckResult result = checkRunner.run(check, checks.testUrl(), bound, attempt ->
                        progress.accept("  check '" + check.name() + "' attempt " + attempt.attempt() + "/" + check.attempts()
                                + ": " + (attempt.passed() ? "passed" : String.join("; ", attempt.failures()))));
                if (!result.passed()) {
                    failures.add("'" + check.name() + "': " + String.join("; ", result.failures()));
                }
            }
            return failures.isEmpty() ? Optional.empty() : Optional.of(String.join(" | ", failures));
        }

        /** Waits one poll interval if the run has the time for it (null), else ends the run as {@link Waiting}. */
        Outcome pause(String why) throws InterruptedException {
            progress.accept(why);
            if (work.remaining().compareTo(pollInterval.plus(Duration.ofSeconds(1))) < 0) {
                return new Waiting(why, last);
            }
            sleeper.sleep(pollInterval);
            return null;
        }

        void pauseQuietly() throws InterruptedException {
            if (work.remaining().compareTo(pollInterval.plus(Duration.ofSeconds(1))) > 0) {
                sleeper.sleep(pollInterval);
            }
        }

        Observation observe(Action action, Deadline bound) {
            EcsTaskSets e = ecs.within(bound);
            ListenerForwards l = listeners.within(bound);
            EcsTaskSets.Service service = e.service(target.cluster(), target.service());
            if (!"EXTERNAL".equals(service.deploymentController())) {
                throw new ConfigurationException("service " + target.service() + " uses the " + service.deploymentController()
                        + " deployment controller; task sets need deploymentController EXTERNAL");
            }
            List<TaskSet> taskSets = e.taskSets(target.cluster(), target.service());
            Map<String, TaskDefinition> definitions = new LinkedHashMap<>();
            for (TaskSet t : taskSets) {
                if (t.taskDefinitionArn() != null && !definitions.containsKey(t.taskDefinitionArn())) {
                    TaskDefinition d = e.taskDefinition(t.taskDefinitionArn());
                    if (d != null) {
                        definitions.put(d.arn(), d);
                    }
                }
            }
            TaskDefinition latest = null;
            List<TaskSet> primaries = taskSets.stream().filter(TaskSet::primary).toList();
            if (action == Action.DEPLOY && request.taskDefinitionFile() != null) {
                latest = e.taskDefinition(request.taskDefinitionFile().family());
            } else if (action == Action.DEPLOY && primaries.size() == 1
                    && definitions.containsKey(primaries.get(0).taskDefinitionArn())) {
                latest = e.taskDefinition(definitions.get(primaries.get(0).taskDefinitionArn()).family());
            }
            Observation o = new Observation(service.desiredCount(), taskSets, definitions, latest,
                    l.read(target.liveListenerArn()), l.read(target.testListenerArn()));
            if (!o.equals(last)) {
                progress.accept("  " + o.describe());
            }
            last = o;
            return o;
        }

        void apply(Step step, Deadline bound) {
            EcsTaskSets e = ecs.within(bound);
            String cluster = target.cluster();
            String service = target.service();
            switch (step) {
                case Step.RegisterTaskDefinition r -> progress.accept("  registered " + Names.taskDefinition(
                        e.registerTaskDefinition(r.from(), r.images(), r.release())));
                case Step.RegisterFromFile r -> progress.accept("  registered " + Names.taskDefinition(
                        e.registerTaskDefinition(r.file(), r.images(), r.release())));
                case Step.CreateTaskSet c -> progress.accept("  created task set " + e.createTaskSet(cluster, service,
                        c.taskDefinitionArn(), c.targetGroupArn(), c.release(), c.placedLike()));
                case Step.Route r -> listeners.within(bound).write(r.listenerArn(),
                        new Forward(List.of(new TargetWeight(r.targetGroupArn(), 1))));
                case Step.Weigh w -> {
                    // the bake counts from the write, answered or not: a write without an answer may have landed
                    placedAt.put(w.greenPercent(), wallClock.millis());
                    listeners.within(bound).write(w.listenerArn(), new Forward(List.of(
                            new TargetWeight(w.blueGroupArn(), 100 - w.greenPercent()),
                            new TargetWeight(w.greenGroupArn(), w.greenPercent()))));
                }
                case Step.SetPrimary p -> e.setPrimary(cluster, service, p.taskSetArn());
                case Step.Scale s -> e.scale(cluster, service, s.taskSetArn(), s.percent());
                case Step.DeleteTaskSet d -> {
                    // ECS refuses to delete the primary, moto does not: read again and never ask
                    boolean primary = e.taskSets(cluster, service).stream()
                            .anyMatch(t -> t.arn().equals(d.taskSetArn()) && t.primary());
                    if (primary) {
                        throw new IllegalStateException("task set " + d.id() + " became the primary; it is not deleted");
                    }
                    e.delete(cluster, service, d.taskSetArn());
                }
                case Step.DeregisterTaskDefinition d -> e.deregister(d.taskDefinitionArn());
            }
        }

        Map<String, String> outputs(Observation o) {
            Map<String, String> outputs = new LinkedHashMap<>();
            if (release != null) {
                outputs.put("release", release);
            }
            o.taskSets().stream().filter(t -> t.ofRelease(release)).findFirst().ifPresent(t -> {
                outputs.put("taskSet", t.id());
                outputs.put("taskDefinition", t.taskDefinitionArn());
                outputs.put("targetGroup", t.targetGroupArn());
            });
            return outputs;
        }

        Outcome failed(Throwable e) {
            String why = e instanceof AwsCallException aws ? aws.getMessage() : String.valueOf(e);
            Reason reason = e instanceof AwsCallException aws && aws.kind() == AwsCallException.Kind.PERMISSION_DENIED
                    ? Reason.PERMISSION : Reason.ERROR;
            if (restore != null) {
                progress.accept("failed: " + why + "; putting back the listeners and the primary as they were");
                PromoteRestore.Restored restored = restore.restore();
                progress.accept(restored.message());
                return new Failed(restored.verified() && reason == Reason.ERROR ? Reason.ROLLED_BACK : reason,
                        "promote failed: " + why + ". " + restored.message(), last,
                        restored.verified() ? Outcome.Restore.VERIFIED : Outcome.Restore.INCOMPLETE);
            }
            String state;
            try {
                state = observe(Action.STATUS, work).describe();
            } catch (RuntimeException unreadable) {
                state = "the service could not be read again (" + unreadable.getMessage() + ")";
            }
            progress.accept("failed: " + why);
            return new Failed(reason, request.action().word() + " failed: " + why + ". Live traffic was not moved by this "
                    + request.action().word() + "; as read now: " + state, last);
        }
    }
}
