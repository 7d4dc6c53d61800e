package dev.ecsbluegreen.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.sandbox.aws.Emulator;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A release through the project's external deployment controller ({@code controller.jar}'s Lambda handler in a fresh
 * JVM per job, with the real CodePipeline job event), on an ECS service with {@code deploymentController EXTERNAL}, as
 * a pipeline stage of Invoke actions drives it: <b>deploy</b> (green's task set on green's target group, the test
 * listener pointed at green, green validated by the deploy's checks through it) → approval → <b>promote</b> (live →
 * green, green primary) → a second approval, "keep green and clean up blue?": yes runs <b>cleanup</b> (blue's task
 * set deleted, its task definition deregistered), no runs <b>rollback</b> (live → blue, blue primary, green deleted).
 *
 * <p>Each action is a CodePipeline job; a {@code PutJobSuccessResult} carrying a {@code continuationToken} is followed
 * by the next job with it, until a result without one or a {@code PutJobFailureResult}, at most
 * {@link #MAX_JOBS_PER_ACTION} jobs. One timeline row per action, judged by its report and by what ECS and the load
 * balancer say afterwards; the last column is the target group of the primary task set.
 */
public final class ExternalRelease {
    private static final ObjectMapper JSON = Json.newMapper();
    /** Jobs of one action before the sandbox gives up on a controller that keeps continuing. */
    static final int MAX_JOBS_PER_ACTION = 10;
    /** How long a deploy (or rollback) waits for STEADY_STATE; moto says it at once. */
    static final int WAIT_TIMEOUT_SECONDS = 60;
    /** The controller's poll between reads (10 s deployed): short, so that a wait in the sandbox is short too. */
    static final String POLL_INTERVAL = "1s";
    static final String PRIMARY_COLUMN = "primary task set on";
    /** The canary promote's strategy: the swap function's, with a bake short enough for a demo (5 minutes deployed). */
    static final String CANARY_STRATEGY = "{\"type\": \"canary\", \"percent\": 10, \"bakeSeconds\": 8}";

    private final SandboxEnvironment env;
    private final FunctionRunner runner;
    private final Approver approver;
    private final LoadGenerator load;
    private final TrafficSinceLastRow liveTraffic;
    private final PrintStream out;
    private final boolean verbose;
    private final Timeline timeline;
    private final String blue;
    private final String green;
    private final boolean canary;
    private int jobs;

    /** What ECS and the load balancer said after an action. */
    record State(Routing routing, List<Emulator.TaskSet> taskSets) {
        String live() {
            return routing.summary(Emulator.LIVE_PORT);
        }

        String test() {
            return routing.summary(Emulator.TEST_PORT);
        }

        List<Emulator.TaskSet> on(String targetGroupArn) {
            return taskSets.stream().filter(t -> targetGroupArn.equals(t.targetGroupArn())).toList();
        }

        boolean primaryOn(String targetGroupArn) {
            List<Emulator.TaskSet> primaries = taskSets.stream().filter(Emulator.TaskSet::primary).toList();
            return primaries.size() == 1 && targetGroupArn.equals(primaries.get(0).targetGroupArn());
        }
    }

    /**
     * One action's jobs.
     *
     * @param failure null when the action reported success and its end state holds, else why not
     * @param outputs the output variables of its final {@code PutJobSuccessResult} (empty otherwise)
     */
    record ActionRun(Release.Step step, String failure, JsonNode outputs) {}

    /** @param load the live traffic, to say what each version served at each step; or null */
    public ExternalRelease(SandboxEnvironment env, FunctionRunner runner, Approver approver, LoadGenerator load,
                           PrintStream out, boolean verbose) {
        this(env, runner, approver, load, out, verbose, false);
    }

    /** @param canary promote as a canary: {@link #CANARY_STRATEGY}, judged by the deploy's checks at the end of its bake */
    public ExternalRelease(SandboxEnvironment env, FunctionRunner runner, Approver approver, LoadGenerator load,
                           PrintStream out, boolean verbose, boolean canary) {
        this.canary = canary;
        if (!env.external()) {
            throw new IllegalArgumentException("the external controller needs SandboxEnvironment.startExternal's service");
        }
        this.env = env;
        this.runner = runner;
        this.approver = approver;
        this.load = load;
        this.liveTraffic = new TrafficSinceLastRow(load, env);
        this.out = out;
        this.verbose = verbose;
        this.blue = env.names().blueTargetGroup();
        this.green = env.names().greenTargetGroup();
        this.timeline = new Timeline(env, out, new Timeline.Column(PRIMARY_COLUMN, this::primaryOn));
    }

    /**
     * Runs the release.
     *
     * @param secondApproval ask "keep green and clean up blue?" after the promote; false stops there, blue's task set kept
     */
    public Release.Result run(boolean secondApproval) {
        Emulator.Created created = env.created();
        String blueArn = created.blueTargetGroupArn();
        String greenArn = created.greenTargetGroupArn();
        timeline.header();
        row("before the release", "-", true, List.of());
        State before = state();
        Emulator.TaskSet blueTaskSet = before.taskSets().stream().filter(Emulator.TaskSet::primary).findFirst()
                .orElseThrow(() -> new IllegalStateException("the emulator's service has no primary task set"));
        out.println("     ECS service " + env.names().cluster() + "/" + env.names().service() + " (deploymentController "
                + "EXTERNAL): blue's task set " + blueTaskSet.id() + " PRIMARY, " + blueTaskSet.image() + " on " + blue
                + " at 100 %; " + green + " has no task set, so no targets: the test listener answers 503 until the deploy");

        ObjectNode deployParameters = parameters("deploy");
        deployParameters.put("image", "web=" + Emulator.image(env.green().version()));
        deployParameters.put("waitTimeoutSeconds", WAIT_TIMEOUT_SECONDS);
        // the deploy validates green itself: the checks the hooks run, through the test listener once it is on green
        deployParameters.put("testUrl", env.dataPlane().url(Emulator.TEST_PORT).toString());
        deployParameters.set("checks", checks());
        out.println("     UserParameters " + deployParameters);
        ActionRun deploy = action("deploy", deployParameters,
                s -> s.live().equals(blue) && s.test().equals(green) && s.on(greenArn).size() == 1,
                "live → " + blue + ", test → " + green + ", green's task set on " + green);
        if (deploy.failure() != null) {
            State now = state();
            boolean rolledBack = now.on(greenArn).isEmpty() && now.live().equals(blue);
            out.println("     " + (rolledBack ? "the controller rolled green back: no task set on " + green
                    + ", live → " + now.live() + ", test → " + now.test()
                    : "green was NOT rolled back: task sets " + describe(now) + ", live → " + now.live()));
            return new Release.Result(false, false, rolledBack, "deploy", timeline.steps());
        }
        String release = deploy.outputs().path("release").asText("");
        if (release.isEmpty()) {
            out.println("     the deploy's success carried no output variable \"release\": the sandbox stops");
            return new Release.Result(false, false, false, "deploy", timeline.steps());
        }

        boolean promote = approver.approve("Promote green " + env.green().label() + " to live traffic? (try: curl "
                + env.dataPlane().url(Emulator.LIVE_PORT) + " ; curl " + env.dataPlane().url(Emulator.TEST_PORT) + ")");
        row("approval: promote green", promote ? "approved" : "rejected", promote, List.of());
        if (!promote) {
            out.println("     the stage stops with green's task set behind the test listener, as a pipeline's rejected approval "
                    + "leaves it (a rollback action would remove it)");
            return new Release.Result(false, false, false, "approval", timeline.steps());
        }

        ObjectNode promoteParameters = parameters("promote");
        promoteParameters.put("release", release);
        if (canary) {
            try {
                promoteParameters.set("strategy", JSON.readTree(CANARY_STRATEGY));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            // the end of the bake judges green with the deploy's checks again, through the test listener (still on green)
            promoteParameters.put("testUrl", env.dataPlane().url(Emulator.TEST_PORT).toString());
            promoteParameters.set("checks", checks());
        }
        ActionRun promoted = action("promote", promoteParameters, s -> s.live().equals(green) && s.primaryOn(greenArn),
                "live → " + green + ", green's task set primary");
        if (promoted.failure() != null) {
            return new Release.Result(false, false, state().live().equals(blue), "promote", timeline.steps());
        }
        if (!secondApproval) {
            out.println("     --no-rollback: no second approval; blue's task set " + blueTaskSet.id() + " stays for a rollback");
            return new Release.Result(true, false, false, null, timeline.steps());
        }

        boolean keep = approver.approve("Keep green " + env.green().label() + " and clean up blue " + env.blue().label()
                + "? (no: roll back to blue)");
        row("approval: keep green, clean up blue", keep ? "approved" : "rejected: roll back", true, List.of());
        if (keep) {
            ObjectNode cleanupParameters = parameters("cleanup");
            cleanupParameters.put("release", release);
            cleanupParameters.put("cleanupWaitSeconds", 0);
            ActionRun cleanup = action("cleanup", cleanupParameters, s -> s.taskSets().size() == 1 && s.primaryOn(greenArn)
                            && env.emulator().registeredPorts(blueArn).isEmpty()
                            && "INACTIVE".equals(env.emulator().taskDefinitionStatus(blueTaskSet.taskDefinitionArn())),
                    "green's task set the only one, blue's task definition INACTIVE, " + blue + " without targets");
            if (cleanup.failure() != null) {
                return new Release.Result(false, false, false, "cleanup", timeline.steps());
            }
            out.println("     the test listener still forwards to " + blue + ", which has no targets now: it answers 503 "
                    + "until the next release's deploy points it at its green");
            return new Release.Result(true, false, false, null, timeline.steps());
        }
        ObjectNode rollbackParameters = parameters("rollback");
        rollbackParameters.put("release", release);
        rollbackParameters.put("waitTimeoutSeconds", WAIT_TIMEOUT_SECONDS);
        ActionRun rollback = action("rollback", rollbackParameters,
                s -> s.live().equals(blue) && s.primaryOn(blueArn) && s.on(greenArn).isEmpty(),
                "live → " + blue + ", blue's task set primary, no task set on " + green);
        return new Release.Result(true, true, rollback.failure() == null, null, timeline.steps());
    }

    /** {@link Release#checks(App)} for the demo green, as the JSON array UserParameters hold. */
    private JsonNode checks() {
        try {
            return JSON.readTree(Release.checks(env.green()));
        } catch (IOException e) {
            throw new IllegalStateException("the sandbox's own checks are not JSON: " + e.getMessage(), e);
        }
    }

    /** The UserParameters every action shares: the service and the load balancer side. */
    private ObjectNode parameters(String action) {
        Emulator.Created created = env.created();
        ObjectNode parameters = JSON.createObjectNode();
        parameters.put("action", action);
        parameters.put("cluster", env.names().cluster());
        parameters.put("service", env.names().service());
        parameters.put("liveListener", created.liveListenerArn());
        parameters.put("testListener", created.testListenerArn());
        parameters.putArray("targetGroups").add(created.blueTargetGroupArn()).add(created.greenTargetGroupArn());
        return parameters;
    }

    /** The function as the template deploys it, its endpoints pointed at moto and at the report endpoint. */
    private FunctionRunner.LambdaFunction function() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_ENDPOINT_URL_ECS", env.moto().endpoint().toString());
        environment.put("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", env.moto().endpoint().toString());
        environment.put("AWS_ENDPOINT_URL_CODEPIPELINE", env.recorder().endpoint().toString());
        environment.put("POLL_INTERVAL", POLL_INTERVAL);
        return new FunctionRunner.LambdaFunction(SandboxEnvironment.CONTROLLER_FUNCTION, env.controllerJar(),
                SandboxEnvironment.CONTROLLER_HANDLER, Release.FUNCTION_TIMEOUT, 512, environment);
    }

    /**
     * Runs one action as CodePipeline does: a job, and a new job with the continuation token of every
     * {@code PutJobSuccessResult} that carried one. Prints its row, the controller's progress and the reports.
     *
     * @param endState what must hold after its success
     */
    private ActionRun action(String action, ObjectNode parameters, Predicate<State> endState, String expected) {
        if (!action.equals("deploy")) {
            out.println("     UserParameters " + brief(parameters));
        }
        FunctionRunner.LambdaFunction function = function();
        int first = jobs + 1;
        String token = null;
        List<ReportRecorder.Report> reports = new ArrayList<>();
        List<FunctionRunner.Invocation> invocations = new ArrayList<>();
        for (int n = 1; n <= MAX_JOBS_PER_ACTION; n++) {
            String jobId = UUID.randomUUID().toString();
            jobs++;
            FunctionRunner.Invocation invocation = runner.invoke(function, env.jobEvent(SandboxEnvironment.CONTROLLER_FUNCTION,
                    jobId, parameters.toString(), token));
            invocations.add(invocation);
            List<ReportRecorder.Report> fresh = timeline.newReports();
            reports.addAll(fresh);
            List<ReportRecorder.Report> mine = fresh.stream().filter(r -> jobId.equals(r.body().path("jobId").asText())).toList();
            if (invocation.functionError() || mine.size() != 1 || mine.get(0).error() != null) {
                String verdict = invocation.functionError() ? "function error" : mine.isEmpty() ? "no report"
                        : mine.size() > 1 ? mine.size() + " reports" : "report refused";
                return finish(action, first, verdict, reports, invocations,
                        "the controller did not report job #" + jobs + " exactly once", JSON.createObjectNode());
            }
            ReportRecorder.Report report = mine.get(0);
            if (report.operation().equals("PutJobFailureResult")) {
                String message = report.body().path("failureDetails").path("message").asText();
                ActionRun failed = finish(action, first, "PutJobFailureResult", reports, invocations, null, JSON.createObjectNode());
                return new ActionRun(timeline.judgeLast(false), message, failed.outputs());
            }
            token = report.body().path("continuationToken").asText(null);
            if (token == null) {
                ActionRun run = finish(action, first, "PutJobSuccessResult", reports, invocations, null,
                        report.body().path("outputVariables"));
                State after = state();
                if (!endState.test(after)) {
                    Release.Step judged = timeline.judgeLast(false);
                    String why = "the job succeeded but not " + expected + ": live → " + after.live() + ", test → "
                            + after.test() + ", task sets " + describe(after);
                    out.println("     ^ " + why);
                    return new ActionRun(judged, why, run.outputs());
                }
                return run;
            }
            out.println("     job #" + jobs + " continues: " + report.body().path("executionDetails").path("summary").asText());
        }
        return finish(action, first, "gave up", reports, invocations, "the controller was still continuing after "
                + MAX_JOBS_PER_ACTION + " jobs", JSON.createObjectNode());
    }

    private ActionRun finish(String action, int first, String verdict, List<ReportRecorder.Report> reports,
                             List<FunctionRunner.Invocation> invocations, String failure, JsonNode outputs) {
        String jobsDone = first == jobs ? "CodePipeline job #" + first : "CodePipeline jobs #" + first + "–#" + jobs;
        Release.Step step = row(action + " (" + jobsDone + ")", verdict, failure == null, reports);
        for (FunctionRunner.Invocation invocation : invocations) {
            explain(invocation);
        }
        if (reports.isEmpty()) {
            out.println("     report endpoint received nothing");
        }
        reports.forEach(report -> out.println("     report endpoint ← " + report.describe()));
        if (failure != null) {
            out.println("     " + failure);
        } else if (outputs.isObject() && !outputs.isEmpty()) {
            List<String> variables = new ArrayList<>();
            outputs.properties().forEach(e -> variables.add(e.getKey() + "=" + e.getValue().asText()));
            out.println("     output variables: " + String.join(", ", variables));
        }
        return new ActionRun(step, failure, outputs);
    }

    /** A row, read after the registrations followed the task sets; then the live traffic since the last row. */
    private Release.Step row(String name, String verdict, boolean passed, List<ReportRecorder.Report> reports) {
        env.taskSetTargets().sync();
        Release.Step step = timeline.record(name, verdict, passed, reports);
        liveTraffic.print(out);
        return step;
    }

    /** The timeline's last column: the target group of the primary task set. */
    private String primaryOn(Routing routing) {
        try {
            List<String> primaries = env.emulator().taskSets().stream().filter(Emulator.TaskSet::primary)
                    .map(t -> t.targetGroupArn() == null ? "no target group" : routing.name(t.targetGroupArn())).toList();
            return primaries.isEmpty() ? "none" : String.join(",", primaries);
        } catch (RuntimeException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private State state() {
        env.taskSetTargets().sync();
        return new State(env.dataPlane().refresh(), env.emulator().taskSets());
    }

    /** The task sets in a few words: "PRIMARY app-green v2 100 %, ACTIVE app-blue v1 100 %". */
    private String describe(State state) {
        if (state.taskSets().isEmpty()) {
            return "none";
        }
        return String.join(", ", state.taskSets().stream().map(t -> t.status() + " "
                + (t.targetGroupArn() == null ? "-" : state.routing().name(t.targetGroupArn())) + " "
                + Emulator.version(t.image()) + " " + Math.round(t.scalePercent()) + " %").toList());
    }

    /** The parameters but the ones every action shares, which the deploy's line shows. */
    private static String brief(ObjectNode parameters) {
        ObjectNode shown = parameters.deepCopy();
        shown.remove(List.of("cluster", "service", "liveListener", "testListener", "targetGroups"));
        return shown + " (and the deploy's cluster, service, listeners and target groups)";
    }


    /**
     * The invocation's time and the controller's progress: its writes and its end, not the state it read before each
     * (every log line with --verbose).
     */
    private void explain(FunctionRunner.Invocation invocation) {
        out.printf("     %s ran in a fresh JVM in %.1f s%s%n", invocation.function(), invocation.took().toMillis() / 1000.0,
                invocation.functionError() ? ", exit " + invocation.exitCode() + " (function error)" : "");
        if (verbose || invocation.functionError()) {
            List<String> log = invocation.log();
            List<String> shown = verbose ? log : log.subList(Math.max(0, log.size() - 20), log.size());
            shown.forEach(line -> out.println("       | " + line));
            return;
        }
        for (String line : invocation.log()) {
            JsonNode node = line.startsWith("{") ? parse(line) : null;
            String message = node == null ? "" : node.path("message").asText("").strip();
            if (!message.isEmpty() && !message.startsWith("reported ") && !message.startsWith("desired ")
                    && !node.has("_aws")) {
                out.println("       controller: " + message);
            }
        }
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The last line of the run. */
    static String conclusion(Release.Result result, Sandbox.Options options, String blue) {
        boolean cleanedUp = result.steps().stream().anyMatch(step -> step.name().startsWith("cleanup"));
        boolean liveNeverLeftBlue = result.steps().stream().allMatch(step -> step.live().routedTo().equals(blue));
        String last = result.steps().get(result.steps().size() - 1).live().routedTo();
        String flag = options.green().flag() == null ? "" : " (green was started with " + options.green().flag() + ")";
        if (result.released()) {
            String released = "release SUCCEEDED: the external controller deployed green as a task set, promoted it"
                    + (options.strategy() == ReleaseStrategy.EXTERNAL_CANARY
                            ? " as a canary (10 % of live traffic, baked and judged, then all of it)" : "");
            if (result.rollbackApproved()) {
                return released + (result.rolledBack()
                        ? "; rolled back at the second approval: live traffic is on " + blue + " again and green's task set is deleted"
                        : "; the ROLLBACK FAILED: live traffic is on " + last);
            }
            return cleanedUp ? released + " and cleaned up blue"
                    : released + "; blue's task set is kept for a rollback (--no-rollback: no second approval, no cleanup)";
        }
        if ("deploy".equals(result.stoppedAt())) {
            return "release STOPPED at deploy: " + (result.rolledBack()
                    ? "the controller rolled green back itself (its task set scaled to 0 and deleted)"
                    : "green's task set was NOT removed") + "; promote was never run; "
                    + (liveNeverLeftBlue ? "live traffic never left " + blue : "live traffic is on " + last) + flag;
        }
        if ("approval".equals(result.stoppedAt())) {
            return "release STOPPED at approval; promote was never run; live traffic never left " + blue
                    + "; green's task set is still behind the test listener";
        }
        return "release FAILED at " + result.stoppedAt() + "; live traffic is on " + last + flag;
    }
}
