package dev.ecsbluegreen.swap;

import static dev.ecsbluegreen.swap.FailureType.ConfigurationError;
import static dev.ecsbluegreen.swap.FailureType.JobFailed;
import static dev.ecsbluegreen.swap.FailureType.PermissionError;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.swap.LoadBalancers.Listener;
import dev.ecsbluegreen.swap.LoadBalancers.LoadBalancer;
import dev.ecsbluegreen.swap.LoadBalancers.TargetHealth;
import dev.ecsbluegreen.swap.SwapOutcome.Failed;
import dev.ecsbluegreen.swap.SwapOutcome.Succeeded;
import dev.ecsbluegreen.swap.SwapPlan.RouteWrite;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Carries out one approval: finds blue and green, checks green, moves live traffic to green and test traffic
 * to blue, flips {@code IsProduction}, verifies — and on any failure puts back what it changed.
 *
 * <p>Idempotent per job: before its first write it records the job id and the intended end state as tags on
 * the load balancer; a later delivery of the same job converges to that recorded state instead of swapping
 * again. Thread-safe as long as its {@link LoadBalancers} is (it keeps no state between calls).
 */
final class Swapper {
    static final String TAG_JOB = "ecs-bluegreen:job-id";
    static final String TAG_STATE = "ecs-bluegreen:job-state";
    static final String TAG_LIVE = "ecs-bluegreen:live-target-group";
    static final String TAG_TEST = "ecs-bluegreen:test-target-group";
    static final String STATE_SWAPPING = "swapping";
    static final String STATE_DONE = "done";
    static final String STATE_RESTORED = "restored";

    /**
     * Writes in flight at once (one listener's routes, or the two tags). ELB throttles writes per account and
     * region with a token bucket; four keeps a 100-rule listener to about 25 round trips without draining it, and a
     * throttled write is retried by the SDK's standard retry mode with backoff.
     */
    static final int WRITE_CONCURRENCY = 4;
    private static final ThreadFactory WORKER_THREADS = Thread.ofPlatform().name("elb-call-", 1).daemon().factory();

    private static final int[] LIVE_PORTS = {443, 80};
    private static final int[] TEST_PORTS = {8443, 8080};

    private final LoadBalancers elb;

    Swapper(LoadBalancers elb) {
        this.elb = elb;
    }

    /** The job's intent as recorded on the load balancer by a delivery of it. */
    record Intent(String jobId, String state, Direction direction) {
        static Intent from(Map<String, String> tags) {
            String job = tags.get(TAG_JOB);
            String live = tags.get(TAG_LIVE);
            String test = tags.get(TAG_TEST);
            if (job == null || live == null || test == null || live.equals(test)) {
                return null;
            }
            return new Intent(job, tags.getOrDefault(TAG_STATE, STATE_SWAPPING), new Direction(live, test));
        }

        Map<String, String> tags() {
            return Map.of(TAG_JOB, jobId, TAG_STATE, state, TAG_LIVE, direction.newLive(), TAG_TEST, direction.newTest());
        }
    }

    /** Everything read before the first write. */
    private record Situation(LoadBalancer lb, Listener live, Listener test, List<Route> liveRoutes,
                             List<Route> testRoutes, Map<String, Map<String, String>> tags, Intent prior,
                             Direction direction) {
        String liveName() {
            return "live " + live;
        }

        String testName() {
            return "test " + test;
        }
    }

    SwapOutcome run(String jobId, SwapRequest request, Deadline deadline, JobLog log) {
        Situation situation;
        SwapPlan plan;
        try {
            situation = read(jobId, request, log);
            plan = SwapPlan.converge(situation.direction(), situation.liveRoutes(), situation.testRoutes(), situation.tags());
            Map<String, Object> planned = new LinkedHashMap<>();
            planned.put("newLive", TargetGroups.name(situation.direction().newLive()));
            planned.put("newTest", TargetGroups.name(situation.direction().newTest()));
            planned.put("liveRouteWrites", plan.liveWrites().size());
            planned.put("testRouteWrites", plan.testWrites().size());
            planned.put("tagWrites", plan.tagWrites().size());
            log.info("plan", planned);
            if (plan.isEmpty()) {
                return alreadyDone(jobId, situation, log);
            }
            if (plan.movesLiveTraffic() && request.requireHealthyGreen()) {
                requireHealthy(situation.direction().newLive());
            }
        } catch (SwapException e) {
            return new Failed(e.type(), e.getMessage() + ". Nothing was changed.");
        } catch (AwsCallException e) {
            return new Failed(typeOf(e), e.getMessage() + ". Nothing was changed.");
        }
        return write(jobId, situation, plan, deadline, log);
    }

    // ------------------------------------------------------------------ reading and deciding

    private Situation read(String jobId, SwapRequest request, JobLog log) {
        LoadBalancer lb = findLoadBalancer(request.loadBalancer());
        List<Listener> listeners = elb.listeners(lb.arn());
        Listener live = pick(lb, listeners, request.liveListener(), LIVE_PORTS, "live", "liveListener");
        Listener test = pick(lb, listeners, request.testListener(), TEST_PORTS, "test", "testListener");
        if (live.arn().equals(test.arn())) {
            throw new SwapException(ConfigurationError, "the live and the test listener are the same listener " + live
                    + ": name two different listeners with \"liveListener\" and \"testListener\"");
        }
        Both<List<Route>, List<Route>> read = both(() -> elb.routes(live), () -> elb.routes(test));
        List<Route> liveRoutes = read.first();
        List<Route> testRoutes = read.second();
        Set<String> arns = new LinkedHashSet<>();
        arns.add(lb.arn());
        for (List<Route> routes : List.of(liveRoutes, testRoutes)) {
            routes.forEach(r -> r.forwards().forEach(f -> f.targets().forEach(t -> arns.add(t.targetGroupArn()))));
        }
        Map<String, Map<String, String>> tags = elb.tags(arns);
        Intent prior = Intent.from(tags.getOrDefault(lb.arn(), Map.of()));
        Map<String, Object> found = new LinkedHashMap<>();
        found.put("loadBalancer", lb.name());
        found.put("live", describe(live, liveRoutes));
        found.put("test", describe(test, testRoutes));
        found.put("priorJob", prior == null ? "none" : prior.jobId() + " (" + prior.state() + ")");
        log.info("routing read", found);

        Direction direction;
        if (prior != null && prior.jobId().equals(jobId)) {
            if (STATE_RESTORED.equals(prior.state())) {
                throw new SwapException(JobFailed, "an earlier delivery of this job failed and put the listeners back "
                        + "as they were, so this delivery does not swap (" + describe(live, liveRoutes) + "; "
                        + describe(test, testRoutes) + "). Retry the pipeline stage for a new attempt");
            }
            direction = prior.direction();
            log.info("same job delivered again: converging to the state it recorded", Map.of("state", prior.state()));
        } else {
            try {
                direction = PairFinder.find("live " + live, liveRoutes, "test " + test, testRoutes, tags, request.targetGroups());
            } catch (SwapException e) {
                if (prior != null && STATE_SWAPPING.equals(prior.state())) {
                    throw new SwapException(e.type(), e.getMessage() + ". Note: job " + prior.jobId() + " was interrupted "
                            + "while moving live traffic to " + TargetGroups.name(prior.direction().newLive())
                            + " and test traffic to " + TargetGroups.name(prior.direction().newTest()));
                }
                throw e;
            }
        }
        return new Situation(lb, live, test, liveRoutes, testRoutes, tags, prior, direction);
    }

    private LoadBalancer findLoadBalancer(String nameOrArn) {
        LoadBalancer lb;
        try {
            lb = elb.find(nameOrArn);
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

    private void requireHealthy(String targetGroupArn) {
        List<TargetHealth> targets = elb.targetHealth(targetGroupArn);
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

    private SwapOutcome alreadyDone(String jobId, Situation s, JobLog log) {
        if (s.prior() != null && s.prior().jobId().equals(jobId) && !STATE_DONE.equals(s.prior().state())) {
            markDone(s, jobId, log);
        }
        String summary = "live " + s.live() + " → " + TargetGroups.name(s.direction().newLive()) + "; test " + s.test()
                + " → " + TargetGroups.name(s.direction().newTest())
                + " (already in place: an earlier delivery of this job did the swap; nothing changed)";
        log.info("nothing to do", Map.of("summary", summary));
        return new Succeeded(summary, outputVariables(s.direction()));
    }

    // ------------------------------------------------------------------ writing, verifying, restoring

    /** What was changed, newest last, and how to put each back. */
    private static final class Ledger {
        private record Entry(String what, Runnable undo) {}

        private final Deque<Entry> entries = new ArrayDeque<>();

        synchronized void changed(String what, Runnable undo) {
            entries.push(new Entry(what, undo));
        }

        synchronized boolean isEmpty() {
            return entries.isEmpty();
        }

        synchronized Entry newest() {
            return entries.pop();
        }
    }

    private SwapOutcome write(String jobId, Situation s, SwapPlan plan, Deadline deadline, JobLog log) {
        Ledger ledger = new Ledger();
        boolean recordedIntent = false;
        try {
            if (s.prior() == null || !s.prior().jobId().equals(jobId)) {
                checkTime(deadline, "recording the job on the load balancer");
                elb.putTags(s.lb().arn(), new Intent(jobId, STATE_SWAPPING, s.direction()).tags());
                recordedIntent = true;
            }
            rewriteListener(s.liveName(), plan.liveWrites(), ledger, deadline, log);
            rewriteListener(s.testName(), plan.testWrites(), ledger, deadline, log);
            List<Runnable> tagWrites = new ArrayList<>();
            for (Map.Entry<String, String> tag : plan.tagWrites().entrySet()) {
                tagWrites.add(() -> tag(s, tag.getKey(), tag.getValue(), ledger, deadline, log));
            }
            runAll(tagWrites);
            verify(s);
        } catch (RuntimeException e) {
            return failAndRestore(e, jobId, s, ledger, recordedIntent, log);
        }
        markDone(s, jobId, log);
        String summary = "live " + s.live() + " → " + TargetGroups.name(s.direction().newLive())
                + " (was " + TargetGroups.name(s.direction().newTest()) + "); test " + s.test() + " → "
                + TargetGroups.name(s.direction().newTest())
                + (plan.tagWrites().isEmpty() ? "" : "; IsProduction flipped")
                + " (" + plan.liveWrites().size() + " live and " + plan.testWrites().size() + " test route(s) rewritten)";
        log.info("swapped", Map.of("summary", summary));
        return new Succeeded(summary, outputVariables(s.direction()));
    }

    /**
     * Rewrites one listener's routes — default action and rules — {@link #WRITE_CONCURRENCY} at a time, so a listener
     * with 100 rules is not 100 round trips long. The live listener is finished before the test listener starts.
     */
    private void rewriteListener(String listenerName, List<RouteWrite> writes, Ledger ledger, Deadline deadline, JobLog log) {
        runAll(writes.stream().<Runnable>map(w -> () -> rewrite(listenerName, w, ledger, deadline, log)).toList());
    }

    private void tag(Situation s, String arn, String value, Ledger ledger, Deadline deadline, JobLog log) {
        String previous = s.tags().getOrDefault(arn, Map.of()).get(PairFinder.PRODUCTION_TAG);
        checkTime(deadline, "tagging " + TargetGroups.name(arn));
        elb.putTags(arn, Map.of(PairFinder.PRODUCTION_TAG, value));
        ledger.changed("IsProduction tag of " + TargetGroups.name(arn), () -> {
            if (previous == null) {
                elb.removeTags(arn, List.of(PairFinder.PRODUCTION_TAG));
            } else {
                elb.putTags(arn, Map.of(PairFinder.PRODUCTION_TAG, previous));
            }
        });
        log.info("tagged", Map.of("targetGroup", TargetGroups.name(arn), "IsProduction", value));
    }

    /**
     * Runs {@code writes}, {@link #WRITE_CONCURRENCY} at a time (one alone runs on the caller's thread). The first
     * failure stops writes not yet started; those in flight finish (each records itself in the ledger when it
     * succeeds), then the failure is thrown, so the restore puts back every write that happened.
     */
    private static void runAll(List<Runnable> writes) {
        if (writes.size() <= 1) {
            writes.forEach(Runnable::run);
            return;
        }
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(WRITE_CONCURRENCY, writes.size()), WORKER_THREADS);
        try {
            List<Future<?>> started = new ArrayList<>();
            for (Runnable write : writes) {
                started.add(pool.submit(() -> {
                    if (failure.get() != null) {
                        return;
                    }
                    try {
                        write.run();
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    } catch (Error e) {
                        failure.compareAndSet(null, new IllegalStateException(e.toString(), e));
                    }
                }));
            }
            for (Future<?> write : started) {
                awaitUninterruptibly(write);
            }
        } finally {
            pool.shutdown();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Two results read at once. */
    private record Both<A, B>(A first, B second) {}

    /** Reads {@code second} on another thread while {@code first} runs on this one; throws what either threw. */
    private static <A, B> Both<A, B> both(Supplier<A> first, Supplier<B> second) {
        FutureTask<B> other = new FutureTask<>(second::get);
        WORKER_THREADS.newThread(other).start();
        A a;
        try {
            a = first.get();
        } finally {
            awaitUninterruptibly(other);
        }
        try {
            return new Both<>(a, other.get());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the load balancer", e);
        }
    }

    /** Waits for a task whatever happens: the ledger must hold every write that reached the load balancer. */
    private static void awaitUninterruptibly(Future<?> write) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    write.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return; // the caller reads the outcome
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void rewrite(String listenerName, RouteWrite w, Ledger ledger, Deadline deadline, JobLog log) {
        String what = listenerName + " " + w.route().describe();
        checkTime(deadline, "rewriting " + what);
        elb.rewrite(w.route(), w.forwards());
        ledger.changed(what, () -> elb.restore(w.route()));
        log.info("route rewritten", Map.of("route", what, "forwardsTo", targets(w.forwards())));
    }

    private static void checkTime(Deadline deadline, String step) {
        if (deadline.expired()) {
            throw new SwapException(JobFailed, "ran out of time before " + step + ": raise the function's timeout");
        }
    }

    private void verify(Situation s) {
        Both<List<Route>, List<Route>> routes = both(() -> elb.routes(s.live()), () -> elb.routes(s.test()));
        List<Route> liveAfter = routes.first();
        List<Route> testAfter = routes.second();
        Map<String, Map<String, String>> tagsAfter = elb.tags(List.of(s.direction().newLive(), s.direction().newTest()));
        SwapPlan remaining = SwapPlan.converge(s.direction(), liveAfter, testAfter, tagsAfter);
        if (!remaining.isEmpty()) {
            throw new SwapException(JobFailed, "the load balancer did not keep the change: read back after the writes, "
                    + describe(s.live(), liveAfter) + "; " + describe(s.test(), testAfter));
        }
    }

    private void markDone(Situation s, String jobId, JobLog log) {
        try {
            elb.putTags(s.lb().arn(), new Intent(jobId, STATE_DONE, s.direction()).tags());
        } catch (AwsCallException e) {
            // Traffic is in place and verified; a later delivery of this job finds "swapping" and converges to
            // the same state, so this costs nothing but a log line.
            log.warn("could not mark the job done on the load balancer", Map.of("error", e.getMessage()));
        }
    }

    private SwapOutcome failAndRestore(RuntimeException cause, String jobId, Situation s, Ledger ledger,
                                       boolean recordedIntent, JobLog log) {
        FailureType type = cause instanceof SwapException se ? se.type()
                : cause instanceof AwsCallException ae ? typeOf(ae) : JobFailed;
        String reason = cause instanceof SwapException || cause instanceof AwsCallException
                ? cause.getMessage() : "unexpected error: " + cause;
        log.error("swap failed, restoring", Map.of("reason", reason));
        List<String> restored = new ArrayList<>();
        List<String> notRestored = new ArrayList<>();
        while (!ledger.isEmpty()) {
            Ledger.Entry entry = ledger.newest();
            try {
                entry.undo().run();
                restored.add(entry.what());
            } catch (RuntimeException e) {
                notRestored.add(entry.what() + " (" + e.getMessage() + ")");
            }
        }
        if (recordedIntent) {
            try {
                elb.putTags(s.lb().arn(), new Intent(jobId, STATE_RESTORED, s.direction()).tags());
            } catch (RuntimeException e) {
                log.warn("could not record the restore on the load balancer", Map.of("error", e.getMessage()));
            }
        }
        String before = describe(s.live(), s.liveRoutes()) + "; " + describe(s.test(), s.testRoutes());
        String message;
        if (notRestored.isEmpty()) {
            message = reason + ". " + (restored.isEmpty() ? "Nothing had been changed yet"
                    : "Everything already changed was put back, newest first (" + String.join(", ", restored) + ")")
                    + ": traffic is as before, " + before + ".";
            log.info("restored", Map.of("restored", restored));
        } else {
            message = reason + ". RESTORE INCOMPLETE: could not put back " + String.join("; ", notRestored)
                    + (restored.isEmpty() ? "" : " (put back: " + String.join(", ", restored) + ")")
                    + ". The listeners are now: " + currentState(s) + ". Before the swap they were: " + before
                    + ". Put them back by hand (or fix the cause and approve again).";
            log.error("restore incomplete", Map.of("notRestored", notRestored));
        }
        return new Failed(type, message);
    }

    private String currentState(Situation s) {
        try {
            return describe(s.live(), elb.routes(s.live())) + "; " + describe(s.test(), elb.routes(s.test()));
        } catch (RuntimeException e) {
            return "unknown, they could not be read either (" + e.getMessage() + ")";
        }
    }

    // ------------------------------------------------------------------ wording

    static FailureType typeOf(AwsCallException e) {
        return e.kind() == AwsCallException.Kind.PERMISSION_DENIED ? PermissionError : JobFailed;
    }

    private static Map<String, String> outputVariables(Direction d) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("LiveTargetGroup", TargetGroups.name(d.newLive()));
        vars.put("TestTargetGroup", TargetGroups.name(d.newTest()));
        vars.put("PreviousLiveTargetGroup", TargetGroups.name(d.newTest()));
        vars.put("LiveTargetGroupArn", d.newLive());
        vars.put("TestTargetGroupArn", d.newTest());
        return vars;
    }

    /** "live :443: default action → app-blue; rule priority 1 → app-blue 90, app-green 10". */
    static String describe(Listener listener, List<Route> routes) {
        String body = routes.stream()
                .filter(r -> !r.forwards().isEmpty())
                .map(r -> r.describe() + " → " + targets(r.forwards()))
                .collect(Collectors.joining(", "));
        return listener + " " + (body.isEmpty() ? "forwards nowhere" : "[" + body + "]");
    }

    private static String targets(List<Forward> forwards) {
        return forwards.stream()
                .map(f -> f.targets().size() == 1 ? TargetGroups.name(f.targets().get(0).targetGroupArn())
                        : f.targets().stream().map(t -> TargetGroups.name(t.targetGroupArn()) + " " + t.weight())
                                .collect(Collectors.joining("/")))
                .collect(Collectors.joining(" + "));
    }
}
