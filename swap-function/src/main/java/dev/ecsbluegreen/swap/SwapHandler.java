package dev.ecsbluegreen.swap;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.analysis.Analysis;
import dev.ecsbluegreen.analysis.Sleeper;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.codepipeline.JobEvent;
import dev.ecsbluegreen.core.codepipeline.JobResults;
import dev.ecsbluegreen.core.routing.Strategy;
import dev.ecsbluegreen.core.telemetry.Invocation;
import dev.ecsbluegreen.core.telemetry.Level;
import dev.ecsbluegreen.core.telemetry.Metric;
import dev.ecsbluegreen.core.telemetry.MetricsLog;
import dev.ecsbluegreen.core.telemetry.StructuredLog;
import dev.ecsbluegreen.swap.SwapOutcome.Continued;
import dev.ecsbluegreen.swap.SwapOutcome.Failed;
import dev.ecsbluegreen.swap.SwapOutcome.Succeeded;
import dev.ecsbluegreen.swap.aws.SwapClients;
import dev.ecsbluegreen.swap.execution.Budget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.crac.Core;
import org.crac.Resource;

/**
 * The CodePipeline Invoke action's Lambda handler: {@code dev.ecsbluegreen.swap.SwapHandler::handleRequest}.
 *
 * <p>Parses the job event, runs the swap, reports the outcome to CodePipeline exactly once. Every path with a
 * job id ends in a report; an event without one fails the invocation with a clear error (there is nobody
 * else to tell). A report that does not go through fails the invocation too, so Lambda retries it; the retry
 * converges to the same state instead of swapping back.
 *
 * <p>With SnapStart, {@link #beforeCheckpoint} primes the snapshot with one whole approval on canned answers
 * ({@link SwapPriming}): nothing reaches AWS, and the restored function starts with its classes loaded.
 */
public final class SwapHandler implements RequestStreamHandler, Resource {
    private static final ObjectMapper MAPPER = Json.newMapper();
    /**
     * Time kept back from the invocation's deadline for the report alone (restoring has its own reserve, sized
     * by the swap's {@link Budget} from the writes it made). The report call, all its attempts, is bounded by the
     * deadline less {@link #REPORT_SAFETY}, so it ends before Lambda stops the invocation even when CodePipeline
     * does not answer.
     */
    static final Duration REPORT_RESERVE = Duration.ofSeconds(6);
    /** What is left after the report's own deadline: writing the log line and the response. */
    static final Duration REPORT_SAFETY = Duration.ofMillis(500);
    /** Upper bound of the swap itself, whatever the function's timeout. */
    static final Duration MAX_SWAP_TIME = Duration.ofMinutes(5);
    static final int MAX_SUMMARY = 2048;
    static final int MAX_MESSAGE = 5000;

    /** The longest one invocation of a canary or linear release waits for its bake before answering again. */
    static final Duration MAX_WAIT = Duration.ofSeconds(60);
    /** Environment variable overriding {@link #MAX_WAIT}: whole seconds, 0-600. */
    static final String MAX_WAIT_ENV = "PROGRESSIVE_MAX_WAIT_SECONDS";

    private final Swapper swapper;
    private final LoadBalancers loadBalancers;
    private final Supplier<Analysis> analysis;
    private final JobResults results;
    private final UnaryOperator<String> env;
    private final LongSupplier clock;
    /** Where the log and the metrics go: standard output in Lambda, the context's logger in tests. */
    private final Function<Context, Consumer<String>> output;

    /** Used by Lambda: SDK clients are built once per execution environment. */
    public SwapHandler() {
        this(SwapClients.loadBalancers(), SwapClients.jobResults(), SwapClients.analysis(), System::getenv,
                System::nanoTime, context -> StructuredLog.stdout());
        Core.getGlobalContext().register(this);
    }

    SwapHandler(LoadBalancers loadBalancers, JobResults results, UnaryOperator<String> env) {
        this(loadBalancers, results, env, System::nanoTime);
    }

    /** With the clock that deadlines are measured on: tests whose load balancer advances time pass their own. */
    SwapHandler(LoadBalancers loadBalancers, JobResults results, UnaryOperator<String> env, LongSupplier clock) {
        this(loadBalancers, results, () -> {
            throw new IllegalStateException("this handler was built without an analysis");
        }, env, clock);
    }

    /** With the analysis that judges green between the steps of a canary or linear release. */
    SwapHandler(LoadBalancers loadBalancers, JobResults results, Supplier<Analysis> analysis, UnaryOperator<String> env,
                LongSupplier clock) {
        this(loadBalancers, results, analysis, env, clock, context -> line -> context.getLogger().log(line + "\n"));
    }

    private SwapHandler(LoadBalancers loadBalancers, JobResults results, Supplier<Analysis> analysis,
                        UnaryOperator<String> env, LongSupplier clock, Function<Context, Consumer<String>> output) {
        this.output = output;
        this.swapper = new Swapper(loadBalancers);
        this.loadBalancers = loadBalancers;
        this.analysis = analysis;
        this.results = results;
        this.env = env;
        this.clock = clock;
    }

    /** SnapStart: prime before the snapshot (see {@link SwapPriming}); a priming that fails only costs its time. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            SwapPriming.run();
        } catch (RuntimeException | LinkageError e) {
            System.err.println("ecs-bluegreen: priming before the SnapStart snapshot failed, continuing without it: " + e);
        }
        Invocation.coldStartAgain(); // the priming's invocation was not a real one
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to refresh: clients hold no connections or credentials from before the snapshot that they cannot renew.
        // The first invocation of a restored snapshot is this environment's cold start (Powertools counts it so too).
        Invocation.coldStartAgain();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long started = clock.getAsLong();
        Invocation invocation = Invocation.of(SERVICE, context, env);
        Consumer<String> out = this.output.apply(context);
        JobLog log = new JobLog(new StructuredLog(invocation, Level.threshold(env), out, false));
        MetricsLog metrics = new MetricsLog(invocation, env, out);
        SwapOutcome outcome = null;
        boolean reported = false;
        try {
            JobEvent event;
            try {
                event = JobEvent.parse(input.readAllBytes(), MAPPER);
            } catch (JobEvent.Unreportable e) {
                log.error(e.getMessage(), Map.of());
                metrics.add(Metric.FAILED, 1, "Reason", FailureType.ConfigurationError.name());
                throw new IllegalArgumentException(e.getMessage());
            }
            log = log.forJob(event.jobId());
            Deadline invocationDeadline = invocationDeadline(context);
            outcome = decide(event, context, invocationDeadline, log);
            report(event.jobId(), outcome, context, invocationDeadline.minus(REPORT_SAFETY), log);
            reported = true;
            output.write(MAPPER.writeValueAsBytes(response(event.jobId(), outcome)));
        } finally {
            count(metrics, log.facts(), outcome, reported, Duration.ofNanos(clock.getAsLong() - started));
        }
    }

    /** The service name of this function's logs and metrics when {@code POWERTOOLS_SERVICE_NAME} is not set. */
    static final String SERVICE = "ecs-bluegreen-swap";

    /**
     * The invocation's metrics: its outcome (once reported: a report that did not go through is
     * {@code ReportFailed}, and Lambda's retry counts the outcome), the restores and cut-overs it made, its duration.
     */
    private static void count(MetricsLog metrics, JobLog.Facts facts, SwapOutcome outcome, boolean reported,
                              Duration took) {
        metrics.scope("LoadBalancer", facts.loadBalancer);
        if (outcome != null && !reported) {
            metrics.add(Metric.REPORT_FAILED, 1);
        } else if (outcome != null) {
            switch (outcome) {
                case Succeeded s -> metrics.add(Metric.SUCCEEDED, 1, "Strategy", facts.strategy);
                case Continued c -> metrics.add(Metric.CONTINUED, 1);
                case Failed f -> metrics.add(Metric.FAILED, 1, "Reason", f.type().name());
            }
        }
        if (facts.restored.get() > 0) {
            metrics.add(Metric.RESTORED, facts.restored.get());
        }
        if (facts.restoreIncomplete.get() > 0) {
            metrics.add(Metric.RESTORE_INCOMPLETE, facts.restoreIncomplete.get());
        }
        facts.cutoverMillis().forEach(millis -> metrics.add(Metric.CUTOVER_MILLIS, millis));
        metrics.add(Metric.DURATION, took.toNanos() / 1_000_000.0);
        metrics.flush();
    }

    /** When Lambda stops this invocation; a context without a time (some local runners) gets the swap's maximum. */
    private Deadline invocationDeadline(Context context) {
        long remaining = context == null ? 0 : context.getRemainingTimeInMillis();
        Duration left = remaining > 0 ? Duration.ofMillis(remaining) : MAX_SWAP_TIME.plus(REPORT_RESERVE);
        return Deadline.after(left, clock);
    }

    private SwapOutcome decide(JobEvent event, Context context, Deadline invocation, JobLog log) {
        if (event.malformed() != null) {
            return new Failed(FailureType.ConfigurationError, event.malformed() + ". Nothing was changed.");
        }
        try {
            SwapRequest request = SwapRequest.parse(event.userParameters(), MAPPER, env);
            log.facts().loadBalancer = request.loadBalancer();
            log.facts().strategy = request.strategy().type();
            log.info("job received", Map.of("request", request.describe(),
                    "continuation", event.continuationToken() != null));
            Scope scope = Scope.fromEnvironment(env);
            Deadline work = invocation.minus(REPORT_RESERVE).earliest(Deadline.after(MAX_SWAP_TIME, clock));
            ProgressiveSwap progressive = new ProgressiveSwap(loadBalancers, swapper, analysis, Clock.systemUTC(),
                    Sleeper.THREAD, maxWait(env.apply(MAX_WAIT_ENV)), MAPPER);
            Budget budget = new Budget(work);
            try {
                if (request.dryRun() && !request.strategy().progressive()) {
                    return progressive.dryRunAllAtOnce(event, request, scope, budget, log);
                }
                // an all-at-once swap ends in one invocation: a token on its job is not one of ours, as before
                if (request.strategy().progressive()) {
                    return progressive.run(event, request, scope, budget, log);
                }
                return swapper.run(event.jobId(), request, scope, budget, log);
            } catch (ProgressiveSwap.Abandoned abandoned) {
                log.warn("a release under way was abandoned with abort: putting it back", Map.of("release",
                        abandoned.release));
                return progressive.putBackAbandoned(abandoned, request, scope, budget, log);
            }
        } catch (SwapException e) {
            return new Failed(e.type(), e.getMessage() + ". Nothing was changed.");
        } catch (RuntimeException | Error e) {
            // the swap restores and reports its own failures once it has written anything: this is before that
            log.error("unexpected error before any change", Map.of("error", String.valueOf(e)));
            return new Failed(FailureType.JobFailed, "unexpected error before any change: " + e + ". Nothing was changed.");
        }
    }

    private void report(String jobId, SwapOutcome outcome, Context context, Deadline deadline, JobLog log) {
        JobResults results = this.results.within(deadline);
        try {
            switch (outcome) {
                case Succeeded s -> results.succeeded(jobId, truncate(s.summary(), MAX_SUMMARY), s.outputVariables(),
                        context.getAwsRequestId());
                case Continued c -> results.continued(jobId, truncate(c.summary(), MAX_SUMMARY), c.continuationToken(),
                        c.percentComplete(), context.getAwsRequestId());
                case Failed f -> results.failed(jobId, f.type().name(), truncate(f.message(), MAX_MESSAGE),
                        context.getAwsRequestId());
            }
            log.info("reported", Map.of("result", switch (outcome) {
                case Succeeded s -> "succeeded";
                case Continued c -> "continued";
                case Failed f -> "failed";
            }));
        } catch (JobResults.AlreadyReported e) {
            log.info("CodePipeline had this job's result already (an earlier delivery reported it); nothing more to do",
                    Map.of("detail", e.getMessage()));
        } catch (AwsCallException e) {
            log.error("could not report the result to CodePipeline; failing the invocation so that Lambda retries it",
                    Map.of("error", e.getMessage()));
            throw e;
        }
    }

    private static ObjectNode response(String jobId, SwapOutcome outcome) {
        ObjectNode node = MAPPER.createObjectNode().put("jobId", jobId);
        switch (outcome) {
            case Succeeded s -> node.put("result", "succeeded").put("summary", s.summary())
                    .set("outputVariables", MAPPER.valueToTree(s.outputVariables()));
            case Continued c -> node.put("result", "continued").put("summary", c.summary())
                    .put("continuationToken", c.continuationToken()).put("percentComplete", c.percentComplete());
            case Failed f -> node.put("result", "failed").put("type", f.type().name()).put("message", f.message());
        }
        return node;
    }

    private static Duration maxWait(String value) {
        if (value == null || value.isBlank()) {
            return MAX_WAIT;
        }
        if (!value.strip().matches("\\d{1,3}") || Integer.parseInt(value.strip()) > 600) {
            throw new SwapException(FailureType.ConfigurationError, "environment variable " + MAX_WAIT_ENV
                    + " must be whole seconds from 0 to 600, not \"" + SwapRequest.abbreviate(value) + "\"");
        }
        return Duration.ofSeconds(Integer.parseInt(value.strip()));
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
