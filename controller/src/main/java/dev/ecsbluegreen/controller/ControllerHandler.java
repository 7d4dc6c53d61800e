package dev.ecsbluegreen.controller;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.controller.Outcome.Failed;
import dev.ecsbluegreen.controller.Outcome.Succeeded;
import dev.ecsbluegreen.controller.Outcome.Waiting;
import dev.ecsbluegreen.controller.aws.ControllerClients;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
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
    private final PipelineJobs jobs;
    private final UnaryOperator<String> env;
    private final Clock wallClock;
    private final LongSupplier nanoClock;
    private final Controller.Sleeper sleeper;
    private final Duration pollInterval;

    /** Used by Lambda: SDK clients are built once per execution environment. */
    public ControllerHandler() {
        this(ControllerClients.ecs(), ControllerClients.listeners(), ControllerClients.jobs(), System::getenv,
                Clock.systemUTC(), System::nanoTime, d -> Thread.sleep(d.toMillis()), POLL_INTERVAL);
    }

    ControllerHandler(EcsTaskSets ecs, ListenerForwards listeners, PipelineJobs jobs, UnaryOperator<String> env, Clock wallClock,
                      LongSupplier nanoClock, Controller.Sleeper sleeper, Duration pollInterval) {
        this.ecs = ecs;
        this.listeners = listeners;
        this.jobs = jobs;
        this.env = env;
        this.wallClock = wallClock;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
        this.pollInterval = pollInterval;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JobEvent event;
        try {
            event = JobEvent.parse(input.readAllBytes(), MAPPER);
        } catch (JobEvent.Unreportable e) {
            log(context, null, e.getMessage());
            throw new IllegalArgumentException(e.getMessage());
        }
        long remaining = context.getRemainingTimeInMillis();
        Deadline invocation = Deadline.after(remaining > 0 ? Duration.ofMillis(remaining) : MAX_RUN.plus(REPORT_RESERVE), nanoClock);
        Deadline work = invocation.minus(REPORT_RESERVE).earliest(Deadline.after(MAX_RUN, nanoClock));
        Request request = null;
        Outcome outcome;
        long startedAt = wallClock.millis();
        try {
            request = ActionParameters.parse(event.userParameters(), MAPPER, env);
            if (event.continuationToken() != null) {
                ContinuationToken token = ContinuationToken.decode(event.continuationToken(), MAPPER);
                if (!token.action().equals(request.action().word())) {
                    throw new ConfigurationException("the continuation token is of a " + token.action() + ", the action is "
                            + request.action().word());
                }
                startedAt = token.startedAt();
            }
            String jobId = event.jobId();
            Controller controller = new Controller(ecs, listeners, line -> log(context, jobId, line), wallClock, sleeper, pollInterval);
            outcome = controller.run(request, work, startedAt);
        } catch (ConfigurationException e) {
            outcome = new Failed(Outcome.Reason.CONFIGURATION, e.getMessage() + ". Nothing was changed", null);
        } catch (RuntimeException e) {
            // the controller turns its own failures into outcomes: this is before it ran, so nothing was changed
            outcome = new Failed(Outcome.Reason.ERROR, "unexpected error before any change: " + e + ". Nothing was changed", null);
        }
        report(event, request, outcome, startedAt, context, invocation.minus(REPORT_SAFETY));
        output.write(MAPPER.writeValueAsBytes(response(event.jobId(), outcome)));
    }

    private void report(JobEvent event, Request request, Outcome outcome, long startedAt, Context context, Deadline deadline) {
        PipelineJobs bounded = jobs.within(deadline);
        String executionId = context.getAwsRequestId();
        try {
            switch (outcome) {
                case Succeeded s -> bounded.succeeded(event.jobId(), truncate(s.message(), MAX_SUMMARY), s.outputs(), executionId);
                case Waiting w -> bounded.continueLater(event.jobId(), truncate(w.message(), MAX_SUMMARY),
                        new ContinuationToken(request.action().word(), request.releaseId(), startedAt).encode(MAPPER), executionId);
                case Failed f -> bounded.failed(event.jobId(), failureType(f.reason()), truncate(f.message(), MAX_MESSAGE), executionId);
            }
            log(context, event.jobId(), "reported " + result(outcome));
        } catch (PipelineJobs.AlreadyReported e) {
            log(context, event.jobId(), "CodePipeline had this job's result already (an earlier delivery reported it): " + e.getMessage());
        } catch (AwsCallException e) {
            log(context, event.jobId(), "could not report to CodePipeline, failing the invocation so that Lambda retries: " + e.getMessage());
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

    private static void log(Context context, String jobId, String message) {
        ObjectNode line = MAPPER.createObjectNode();
        if (jobId != null) {
            line.put("jobId", jobId);
        }
        context.getLogger().log(line.put("message", message).toString());
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
