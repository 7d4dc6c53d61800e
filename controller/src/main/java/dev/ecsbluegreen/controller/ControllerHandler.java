package dev.ecsbluegreen.controller;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.analysis.check.CheckRunner;
import dev.ecsbluegreen.analysis.check.http.OkHttpProbe;
import dev.ecsbluegreen.controller.Outcome.Failed;
import dev.ecsbluegreen.controller.Outcome.Succeeded;
import dev.ecsbluegreen.controller.Outcome.Waiting;
import dev.ecsbluegreen.controller.aws.ControllerClients;
import dev.ecsbluegreen.controller.aws.S3ArtifactFiles;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.codepipeline.JobEvent;
import dev.ecsbluegreen.core.codepipeline.JobResults;
import dev.ecsbluegreen.core.telemetry.Invocation;
import dev.ecsbluegreen.core.telemetry.Level;
import dev.ecsbluegreen.core.telemetry.Metric;
import dev.ecsbluegreen.core.telemetry.MetricsLog;
import dev.ecsbluegreen.core.telemetry.StructuredLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The CodePipeline Invoke action of the controller: {@code dev.ecsbluegreen.controller.ControllerHandler::handleRequest},
 * one function for the four actions ({@code "action"} in UserParameters, see {@link ActionParameters}).
 *
 * <p>Parses, runs the {@link Controller} until the action is done or the invocation's time is nearly up, and reports
 * exactly once: success (with output variables), success with a continuation token (the action goes on in the next
 * invocation: a deploy waiting for {@code STEADY_STATE}, a cleanup waiting its wait), or failure. A report that does
 * not go through fails the invocation so that Lambda retries; the retry reads the state again and converges.
 */
public final class ControllerHandler implements RequestStreamHandler {
    private static final ObjectMapper MAPPER = Json.newMapper();
    /** Kept from the invocation's time for the report alone; the report call ends {@link #REPORT_SAFETY} before the end. */
    static final Duration REPORT_RESERVE = Duration.ofSeconds(6);
    static final Duration REPORT_SAFETY = Duration.ofMillis(500);
    /** One invocation's work at most, whatever the function's timeout: a long wait goes on in a continuation. */
    static final Duration MAX_RUN = Duration.ofMinutes(5);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(10);
    static final int MAX_SUMMARY = 2048;
    static final int MAX_MESSAGE = 5000;

    private final EcsTaskSets ecs;
    private final ListenerForwards listeners;
    private final JobResults jobs;
    private final UnaryOperator<String> env;
    private final Clock wallClock;
    private final LongSupplier nanoClock;
    private final Controller.Sleeper sleeper;
    private final Duration pollInterval;
    /** Sends deploys' checks; one OkHttp client per execution environment. */
    private final CheckRunner checkRunner;
    /** A job's input artifacts, read with its own credentials within the run's deadline. */
    private BiFunction<JobEvent, Deadline, ArtifactFiles> artifacts =
            (event, deadline) -> S3ArtifactFiles.of(event.inputArtifacts(), event.credentials(), deadline);
    /** Where the log and the metrics go: standard output in Lambda, the context's logger in tests. */
    private Function<Context, Consumer<String>> output = context -> line -> context.getLogger().log(line + "\n");
    /** The service name of this function's logs and metrics when {@code POWERTOOLS_SERVICE_NAME} is not set. */
    public static final String SERVICE = "ecs-bluegreen-controller";

    /** Used by Lambda: SDK clients are built once per execution environment. */
    public ControllerHandler() {
        this(ControllerClients.ecs(), ControllerClients.listeners(), ControllerClients.jobs(), System::getenv,
                Clock.systemUTC(), System::nanoTime, d -> Thread.sleep(d.toMillis()), POLL_INTERVAL);
        this.output = context -> StructuredLog.stdout();
    }

    ControllerHandler(EcsTaskSets ecs, ListenerForwards listeners, JobResults jobs, UnaryOperator<String> env, Clock wallClock,
                      LongSupplier nanoClock, Controller.Sleeper sleeper, Duration pollInterval) {
        this.ecs = ecs;
        this.listeners = listeners;
        this.jobs = jobs;
        this.env = env;
        this.wallClock = wallClock;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
        this.pollInterval = pollInterval;
        this.checkRunner = new CheckRunner(new OkHttpProbe(OkHttpProbe.newBaseClient(), Controller.USER_AGENT), sleeper::sleep);
    }

    /** For tests: the job's input artifacts read as {@code artifacts} says. */
    ControllerHandler withArtifacts(BiFunction<JobEvent, Deadline, ArtifactFiles> artifacts) {
        this.artifacts = artifacts;
        return this;
    }

    /** {@code POLL_INTERVAL} (a duration, at least 1 s), else the default. */
    private Duration pollInterval() {
        Duration configured = Settings.duration(env.apply("POLL_INTERVAL"), "POLL_INTERVAL");
        if (configured == null) {
            return pollInterval;
        }
        if (configured.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigurationException("POLL_INTERVAL must be at least 1s");
        }
        return configured;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long started = nanoClock.getAsLong();
        Invocation invocation = Invocation.of(SERVICE, context, env);
        Consumer<String> out = this.output.apply(context);
        StructuredLog log = new StructuredLog(invocation, Level.threshold(env), out, false);
        MetricsLog metrics = new MetricsLog(invocation, env, out);
        Outcome outcome = null;
        boolean reported = false;
        try {
            JobEvent event;
            try {
                event = JobEvent.parse(input.readAllBytes(), MAPPER);
            } catch (JobEvent.Unreportable e) {
                log.error(e.getMessage(), Map.of());
                metrics.add(Metric.FAILED, 1, "Reason", "ConfigurationError");
                throw new IllegalArgumentException(e.getMessage());
            }
            StructuredLog jobLog = log.with("jobId", event.jobId());
            long remaining = context.getRemainingTimeInMillis();
            Deadline invocationDeadline = Deadline.after(remaining > 0 ? Duration.ofMillis(remaining)
                    : MAX_RUN.plus(REPORT_RESERVE), nanoClock);
            Deadline work = invocationDeadline.minus(REPORT_RESERVE).earliest(Deadline.after(MAX_RUN, nanoClock));
            Request request = null;
            long startedAt = wallClock.millis();
            Outcome.Baking resumed = null;
            try {
                JobEvent job = event;
                request = ActionParameters.parse(event.userParameters(), MAPPER, env,
                        (artifact, path) -> artifacts.apply(job, work).read(artifact, path));
                String ecsService = request.target() == null ? null : request.target().service();
                metrics.scope("Service", ecsService);
                jobLog = jobLog.with("action", request.action().word()).with("ecsService", ecsService);
                if (event.continuationToken() != null) {
                    ContinuationToken token = ContinuationToken.decode(event.continuationToken(), MAPPER);
                    if (!token.action().equals(request.action().word())) {
                        throw new ConfigurationException("the continuation token is of a " + token.action()
                                + ", the action is " + request.action().word());
                    }
                    startedAt = token.startedAt();
                    resumed = token.baking();
                }
                StructuredLog progress = jobLog;
                Controller controller = new Controller(ecs, listeners, line -> progress.info(line, Map.of()), wallClock,
                        sleeper, pollInterval(), checkRunner);
                EcsTaskSets.Service service = request.action() == Action.STATUS ? null
                        : ecs.within(work).service(request.target().cluster(), request.target().service());
                if (service != null && event.jobId().equals(service.failedJob())) {
                    outcome = new Failed(Outcome.Reason.ERROR, ALREADY_FAILED, null);
                    jobLog.warn(ALREADY_FAILED, Map.of());
                } else {
                    outcome = controller.run(request, work, startedAt, resumed);
                    if (service != null && outcome instanceof Failed f && f.reason() != Outcome.Reason.CONFIGURATION) {
                        recordFailure(service, event.jobId(), invocationDeadline.minus(REPORT_RESERVE.dividedBy(2)), jobLog);
                    }
                }
            } catch (ConfigurationException e) {
                outcome = new Failed(Outcome.Reason.CONFIGURATION, e.getMessage() + ". Nothing was changed", null);
            } catch (RuntimeException e) {
                // the controller turns its own failures into outcomes: this is before it ran, so nothing was changed
                outcome = new Failed(Outcome.Reason.ERROR, "unexpected error before any change: " + e
                        + ". Nothing was changed", null);
            }
            report(event, request, outcome, startedAt, context, invocationDeadline.minus(REPORT_SAFETY), jobLog);
            reported = true;
            output.write(MAPPER.writeValueAsBytes(response(event.jobId(), outcome)));
        } finally {
            count(metrics, outcome, reported, (nanoClock.getAsLong() - started) / 1_000_000.0);
        }
    }

    static final String ALREADY_FAILED = "this job failed in an earlier delivery, whose report to CodePipeline did not go "
            + "through (Lambda retried the invocation); that delivery put back what it had changed, and its log lines with "
            + "this jobId say how it ended. Nothing was done again: run the pipeline stage again to retry";

    /**
     * Tags the service with the failed job before its failure is reported, so that a retried delivery of the job does
     * not redo what this one judged bad and put back. Best effort: without the tag a retry runs the action again.
     */
    private void recordFailure(EcsTaskSets.Service service, String jobId, Deadline bound, StructuredLog log) {
        try {
            ecs.within(bound).recordFailedJob(service.arn(), jobId);
        } catch (AwsCallException | ConfigurationException e) {
            log.warn("could not tag the service " + Tags.FAILED_JOB + "=" + jobId + " (" + e.getMessage() + "): should this "
                    + "report not go through, Lambda's retry would run the action again", Map.of());
        }
    }

    /** The invocation's metrics: its outcome once reported (else {@code ReportFailed}), its restore, its duration. */
    private static void count(MetricsLog metrics, Outcome outcome, boolean reported, double millis) {
        if (outcome != null && !reported) {
            metrics.add(Metric.REPORT_FAILED, 1);
        } else if (outcome != null) {
            switch (outcome) {
                case Succeeded s -> metrics.add(Metric.SUCCEEDED, 1);
                case Waiting w -> metrics.add(Metric.CONTINUED, 1);
                case Failed f -> metrics.add(Metric.FAILED, 1, "Reason", failureType(f.reason()));
            }
        }
        if (outcome instanceof Failed f) {
            switch (f.restore()) {
                case VERIFIED -> metrics.add(Metric.RESTORED, 1);
                case INCOMPLETE -> metrics.add(Metric.RESTORE_INCOMPLETE, 1);
                case NONE -> { }
            }
        }
        metrics.add(Metric.DURATION, millis);
        metrics.flush();
    }

    private void report(JobEvent event, Request request, Outcome outcome, long startedAt, Context context,
                        Deadline deadline, StructuredLog log) {
        JobResults bounded = jobs.within(deadline);
        String executionId = context.getAwsRequestId();
        try {
            switch (outcome) {
                case Succeeded s -> bounded.succeeded(event.jobId(), truncate(s.message(), MAX_SUMMARY), s.outputs(), executionId);
                case Waiting w -> bounded.continued(event.jobId(), truncate(w.message(), MAX_SUMMARY),
                        new ContinuationToken(request.action().word(), request.releaseId(), startedAt, w.baking()).encode(MAPPER),
                        null, executionId);
                case Failed f -> bounded.failed(event.jobId(), failureType(f.reason()), truncate(f.message(), MAX_MESSAGE), executionId);
            }
            log.info("reported " + result(outcome), Map.of());
        } catch (JobResults.AlreadyReported e) {
            log.info("CodePipeline had this job's result already (an earlier delivery reported it): " + e.getMessage(),
                    Map.of());
        } catch (AwsCallException e) {
            log.error("could not report to CodePipeline, failing the invocation so that Lambda retries: "
                    + e.getMessage(), Map.of());
            throw e;
        }
    }

    static String failureType(Outcome.Reason reason) {
        return switch (reason) {
            case CONFIGURATION -> "ConfigurationError";
            case PERMISSION -> "PermissionError";
            default -> "JobFailed";
        };
    }

    private static String result(Outcome outcome) {
        return switch (outcome) {
            case Succeeded s -> "succeeded";
            case Waiting w -> "continuing";
            case Failed f -> "failed";
        };
    }

    private static ObjectNode response(String jobId, Outcome outcome) {
        return MAPPER.createObjectNode().put("jobId", jobId).put("result", result(outcome)).put("message", outcome.message());
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
