package dev.ecsbluegreen.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.sandbox.aws.Emulator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A blue/green release through the real functions, as CodeDeploy and CodePipeline would drive it:
 * AfterAllowTestTraffic hook → BeforeAllowTraffic hook → manual approval → swap → AfterAllowTraffic hook, then a
 * second approval that rolls back (the next swap). A hook that fails stops the release before the swap, as
 * CodeDeploy does; an AfterAllowTraffic that fails rolls traffic back at once. Prints a timeline as it goes.
 */
public final class Release {
    private static final ObjectMapper JSON = Json.newMapper();
    static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(60);
    static final int MAX_VALIDATION_SECONDS = 30;

    /**
     * The state after one step.
     *
     * @param verdict     what the step's function reported (or the approval's answer)
     * @param passed      whether the release may go on after it
     * @param live        where the live listener routes, and what a request to it got
     * @param test        the same for the test listener
     * @param production  the target groups tagged {@code IsProduction=true}
     * @param reports     what the report endpoint received during the step
     * @param at          when the step's row was recorded
     */
    public record Step(String name, String verdict, boolean passed, Served live, Served test, String production,
                       List<ReportRecorder.Report> reports, java.time.Instant at) {}

    /** @param routedTo the listener's target group(s) in the emulator; {@code answer} what GET / returned */
    public record Served(String routedTo, String answer) {
        @Override
        public String toString() {
            return routedTo + " → " + answer;
        }
    }

    /**
     * @param released   green took live traffic and passed AfterAllowTraffic
     * @param rollbackApproved the second approval (roll back) was given
     * @param rolledBack live traffic went back to blue (after the approval, or at once when AfterAllowTraffic failed)
     * @param stoppedAt  the step that stopped the release, or null
     */
    public record Result(boolean released, boolean rollbackApproved, boolean rolledBack, String stoppedAt,
                         List<Step> steps) {
        public Result {
            steps = List.copyOf(steps);
        }

        /** What the exit code says: the release went out, and a rollback that was asked for happened. */
        public boolean succeeded() {
            return released && (!rollbackApproved || rolledBack);
        }
    }

    private final SandboxEnvironment env;
    private final FunctionRunner runner;
    private final Approver approver;
    private final PrintStream out;
    private final boolean verbose;
    private final Timeline timeline;
    private final List<Step> steps;
    private int jobs;

    public Release(SandboxEnvironment env, FunctionRunner runner, Approver approver, PrintStream out, boolean verbose) {
        this.env = env;
        this.runner = runner;
        this.approver = approver;
        this.out = out;
        this.verbose = verbose;
        this.timeline = new Timeline(env, out);
        this.steps = timeline.steps();
    }

    /** Runs the release; {@code offerRollback}: ask for the second approval after a successful release. */
    public Result run(boolean offerRollback) {
        String blueGroup = env.names().blueTargetGroup();
        String greenGroup = env.names().greenTargetGroup();
        timeline.header();
        record("before the release", "-", true);

        for (String hook : List.of("AfterAllowTestTraffic", "BeforeAllowTraffic")) {
            if (!hook(hook, env.dataPlane().url(Emulator.TEST_PORT))) {
                return stop(hook);
            }
        }
        boolean approved = approver.approve("Release green " + env.green().label() + " to live traffic? "
                + "(try: curl " + env.dataPlane().url(Emulator.LIVE_PORT) + " ; curl " + env.dataPlane().url(Emulator.TEST_PORT) + ")");
        record("approval: release green", approved ? "approved" : "rejected", approved);
        if (!approved) {
            return stop("approval");
        }
        if (!swap("swap (CodePipeline job)", greenGroup)) {
            return stop("swap");
        }
        if (!hook("AfterAllowTraffic", env.dataPlane().url(Emulator.LIVE_PORT))) {
            out.println("     AfterAllowTraffic failed: rolling back at once, as CodeDeploy does");
            boolean rolledBack = swap("automatic rollback (next job)", blueGroup);
            return new Result(false, false, rolledBack, "AfterAllowTraffic", steps);
        }
        if (!offerRollback) {
            return new Result(true, false, false, null, steps);
        }
        boolean rollback = approver.approve("Roll back to blue " + env.blue().label() + "? (a new approval swaps again)");
        record("approval: roll back", rollback ? "approved" : "rejected", true);
        if (!rollback) {
            return new Result(true, false, false, null, steps);
        }
        boolean rolledBack = swap("rollback (next CodePipeline job)", blueGroup);
        return new Result(true, true, rolledBack, null, steps);
    }

    private Result stop(String where) {
        return new Result(false, false, false, where, steps);
    }

    /** Invokes the hook function and judges it by what reached CodeDeploy's API. */
    private boolean hook(String hook, URI baseUrl) {
        String executionId = SandboxEnvironment.newHookExecutionId();
        Map<String, String> environment = new HashMap<>();
        environment.put("HOOK_STAGE", hook);
        environment.put("TARGET_BASE_URL", baseUrl.toString());
        String checks = checks();
        if (checks != null) {
            environment.put("CHECKS", checks);
        }
        environment.put("MAX_VALIDATION_SECONDS", String.valueOf(MAX_VALIDATION_SECONDS));
        if (!env.taskCountsReported() && hook.equals("BeforeAllowTraffic")) {
            environment.put("GATES", "TARGET_HEALTH");
        }
        environment.put("AWS_ENDPOINT_URL_CODEDEPLOY", env.recorder().endpoint().toString());
        environment.put("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", env.moto().endpoint().toString());
        environment.put("AWS_ENDPOINT_URL_ECS", env.moto().endpoint().toString());
        FunctionRunner.LambdaFunction function = new FunctionRunner.LambdaFunction(
                SandboxEnvironment.hookFunctionName(hook), env.hooksJar(), SandboxEnvironment.HOOK_HANDLER,
                FUNCTION_TIMEOUT, 512, environment);
        FunctionRunner.Invocation invocation = runner.invoke(function, env.hookEvent(executionId));
        List<ReportRecorder.Report> reports = newReports();
        List<ReportRecorder.Report> mine = reports.stream()
                .filter(r -> r.operation().equals("PutLifecycleEventHookExecutionStatus")
                        && executionId.equals(r.body().path("lifecycleEventHookExecutionId").asText()))
                .toList();
        boolean passed = !invocation.functionError() && mine.size() == 1 && mine.get(0).error() == null
                && "Succeeded".equals(mine.get(0).body().path("status").asText());
        String verdict = mine.isEmpty() ? (invocation.functionError() ? "function error" : "no report")
                : mine.get(0).body().path("status").asText() + (mine.size() > 1 ? " (" + mine.size() + " reports!)" : "");
        Step step = record("hook " + hook, verdict, passed, reports);
        explain(invocation, hookReason(invocation), step);
        return passed;
    }

    /** Invokes the swap function with a new job and judges it by the job result and where live traffic went. */
    private boolean swap(String title, String expectedLive) {
        String jobId = UUID.randomUUID().toString();
        jobs++;
        String event = env.swapJobEvent(jobId);
        Map<String, String> environment = Map.of(
                "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", env.moto().endpoint().toString(),
                "AWS_ENDPOINT_URL_CODEPIPELINE", env.recorder().endpoint().toString());
        FunctionRunner.LambdaFunction function = new FunctionRunner.LambdaFunction(SandboxEnvironment.SWAP_FUNCTION,
                env.swapJar(), SandboxEnvironment.SWAP_HANDLER, FUNCTION_TIMEOUT, 512, environment);
        FunctionRunner.Invocation invocation = runner.invoke(function, event);
        List<ReportRecorder.Report> reports = newReports();
        List<ReportRecorder.Report> mine = reports.stream()
                .filter(r -> jobId.equals(r.body().path("jobId").asText())).toList();
        String verdict = mine.isEmpty() ? (invocation.functionError() ? "function error" : "no report")
                : mine.get(0).operation();
        Step step = record(title + " #" + jobs, verdict, false, reports);
        boolean passed = !invocation.functionError() && mine.size() == 1 && mine.get(0).error() == null
                && mine.get(0).operation().equals("PutJobSuccessResult")
                && step.live().routedTo().equals(expectedLive) && step.production().equals(expectedLive);
        timeline.judgeLast(passed);
        explain(invocation, null, step);
        if (!passed && !mine.isEmpty() && mine.get(0).operation().equals("PutJobSuccessResult")) {
            out.println("     ^ the job succeeded but live traffic is not on " + expectedLive);
        }
        return passed;
    }

    private Step record(String name, String verdict, boolean passed) {
        return timeline.record(name, verdict, passed);
    }

    private Step record(String name, String verdict, boolean passed, List<ReportRecorder.Report> reports) {
        return timeline.record(name, verdict, passed, reports);
    }

    private void explain(FunctionRunner.Invocation invocation, String reason, Step step) {
        out.printf("     %s ran in a fresh JVM in %.1f s%s%n", invocation.function(),
                invocation.took().toMillis() / 1000.0,
                invocation.functionError() ? ", exit " + invocation.exitCode() + " (function error)" : "");
        if (reason != null) {
            out.println("     verdict: " + reason);
        }
        if (step.reports().isEmpty()) {
            out.println("     report endpoint received nothing");
        }
        step.reports().forEach(report -> out.println("     report endpoint ← " + report.describe()));
        if (verbose || invocation.functionError()) {
            List<String> log = invocation.log();
            List<String> shown = verbose ? log : log.subList(Math.max(0, log.size() - 20), log.size());
            shown.forEach(line -> out.println("       | " + line));
        }
    }

    /** The reason of the hook's {@code hook-verdict} log line, or null. */
    static String hookReason(FunctionRunner.Invocation invocation) {
        for (String line : invocation.log()) {
            if (line.startsWith("{") && line.contains("\"hook-verdict\"")) {
                try {
                    JsonNode node = JSON.readTree(line);
                    return node.path("reason").asText();
                } catch (IOException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * The checks every hook runs on the demo green: it serves its version, and its health endpoint answers, each
     * within 1 s. Null for a green of the user's: the hooks' default check, {@code GET /} answering 2xx.
     */
    String checks() {
        return checks(env.green());
    }

    /** {@link #checks()} for {@code green}. */
    static String checks(App green) {
        String version = green.version();
        if (version == null) {
            return null;
        }
        return "[{\"name\":\"serves " + version + "\",\"path\":\"/\",\"timeoutMillis\":3000,\"attempts\":3,"
                + "\"intervalMillis\":250,\"expect\":{\"status\":200,\"bodyContains\":\"" + version + "\",\"maxLatencyMillis\":1000}},"
                + "{\"name\":\"health\",\"path\":\"/health\",\"timeoutMillis\":3000,\"attempts\":3,"
                + "\"intervalMillis\":250,\"expect\":{\"status\":200,\"maxLatencyMillis\":1000}}]";
    }

    private List<ReportRecorder.Report> newReports() {
        return timeline.newReports();
    }
}
