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
     * @param production  the target groups tagged {@code IsProduction=true}; with the external controller, the target
     *                    group of the primary task set (the timeline's last column)
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
    private final ReleaseStrategy strategy;
    private final String operator;
    private final LoadGenerator load;
    private final TrafficSinceLastRow liveTraffic;
    private final Timeline timeline;
    private final List<Step> steps;
    private int jobs;

    public Release(SandboxEnvironment env, FunctionRunner runner, Approver approver, PrintStream out, boolean verbose) {
        this(env, runner, approver, out, verbose, ReleaseStrategy.CODEDEPLOY, null, null);
    }

    /**
     * @param strategy the swap function's: all at once (CODEDEPLOY), or its own canary or linear steps
     * @param operator {@code promote} or {@code abort}: tagged on the load balancer during the first bake; or null
     * @param load     the live traffic, to say what each version served at each step; or null
     */
    public Release(SandboxEnvironment env, FunctionRunner runner, Approver approver, PrintStream out, boolean verbose,
                   ReleaseStrategy strategy, String operator, LoadGenerator load) {
        if (strategy.ecs()) {
            throw new IllegalArgumentException(strategy + " is Amazon ECS's: see EcsRelease");
        }
        if (strategy.external()) {
            throw new IllegalArgumentException(strategy + " is the external controller's: see ExternalRelease");
        }
        this.env = env;
        this.runner = runner;
        this.approver = approver;
        this.out = out;
        this.verbose = verbose;
        this.strategy = strategy;
        this.operator = operator;
        this.load = load;
        this.liveTraffic = new TrafficSinceLastRow(load, env);
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
        if (strategy.progressiveSwap()) {
            String outcome = progressiveSwap(greenGroup, blueGroup);
            if (outcome != null) {
                boolean rolledBack = outcome.startsWith("rolled back");
                return new Result(false, false, rolledBack, rolledBack ? "the " + strategy.flag().substring(2)
                        + " step (the swap function put live traffic back by itself)" : "swap: " + outcome, steps);
            }
        } else if (!swap("swap (CodePipeline job)", greenGroup)) {
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

    /** Invocations of one progressive release before the sandbox gives up on a swap that keeps continuing. */
    static final int MAX_CONTINUATIONS = 60;
    /** The swap function's longest wait within one invocation (60 s deployed): short, so the timeline moves. */
    static final int PROGRESSIVE_MAX_WAIT_SECONDS = 3;

    /**
     * The swap function's own canary or linear release, as CodePipeline drives it: a job, then a new job carrying the
     * continuation token of every {@code PutJobSuccessResult} that had one, until a result without one (done) or a
     * {@code PutJobFailureResult} (judged bad: the function put live traffic back on blue). A row each time the live
     * routing changes, with what each version served and the measurements the function logged.
     *
     * @return null when green took all live traffic; else why not ("rolled back: …" when traffic is back on blue)
     */
    private String progressiveSwap(String greenGroup, String blueGroup) {
        String parameters = progressiveParameters();
        out.println("     UserParameters " + parameters);
        Map<String, String> environment = Map.of(
                "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", env.moto().endpoint().toString(),
                "AWS_ENDPOINT_URL_CLOUDWATCH", env.moto().endpoint().toString(),
                "AWS_ENDPOINT_URL_CODEPIPELINE", env.recorder().endpoint().toString(),
                "PROGRESSIVE_MAX_WAIT_SECONDS", String.valueOf(PROGRESSIVE_MAX_WAIT_SECONDS));
        FunctionRunner.LambdaFunction function = new FunctionRunner.LambdaFunction(SandboxEnvironment.SWAP_FUNCTION,
                env.swapJar(), SandboxEnvironment.SWAP_HANDLER, FUNCTION_TIMEOUT, 512, environment);
        String token = null;
        String liveBefore = env.dataPlane().refresh().summary(Emulator.LIVE_PORT);
        boolean commanded = false;
        int invocations = 0;
        int measured = 0;
        for (int call = 1; call <= MAX_CONTINUATIONS; call++) {
            String jobId = UUID.randomUUID().toString();
            jobs++;
            FunctionRunner.Invocation invocation = runner.invoke(function, env.swapJobEvent(jobId, parameters, token));
            invocations++;
            List<ReportRecorder.Report> reports = newReports();
            List<ReportRecorder.Report> mine = reports.stream()
                    .filter(r -> jobId.equals(r.body().path("jobId").asText())).toList();
            measured += printMeasurements(invocation);
            if (invocation.functionError() || mine.size() != 1 || mine.get(0).error() != null) {
                Step step = record("swap job #" + jobs + " (" + invocations + " invocations)",
                        invocation.functionError() ? "function error" : mine.isEmpty() ? "no report" : mine.size() + " reports", false, reports);
                explain(invocation, null, step);
                return "the swap function did not report once";
            }
            ReportRecorder.Report report = mine.get(0);
            String live = env.dataPlane().refresh().summary(Emulator.LIVE_PORT);
            if (report.operation().equals("PutJobFailureResult")) {
                String message = report.body().path("failureDetails").path("message").asText();
                Step step = record("swap: judged at step, rolled back", "PutJobFailureResult", false, reports);
                liveTraffic.print(out);
                out.println("     " + abbreviate(message, 600));
                boolean back = liveSendsNothingTo(env.created().greenTargetGroupArn());
                return (back ? "rolled back: " : "failed, live is " + step.live().routedTo() + ": ") + abbreviate(message, 160);
            }
            token = report.body().path("continuationToken").asText(null);
            if (token == null) {
                Step step = record("swap: last step (" + invocations + " invocations, " + measured + " measurements)",
                        "PutJobSuccessResult", false, reports);
                liveTraffic.print(out);
                boolean passed = step.live().routedTo().equals(greenGroup) && step.production().equals(greenGroup);
                timeline.judgeLast(passed);
                explain(invocation, null, step);
                return passed ? null : "the job succeeded but live traffic is not on " + greenGroup;
            }
            if (!live.equals(liveBefore)) {
                record("swap: step in place (job #" + jobs + ")", "continued", true, reports);
                liveTraffic.print(out);
                liveBefore = live;
                if (operator != null && !commanded) {
                    env.emulator().tagLoadBalancer("ecs-bluegreen:command", operator);
                    commanded = true;
                    out.println("     operator: aws elbv2 add-tags --resource-arns <load balancer> --tags "
                            + "Key=ecs-bluegreen:command,Value=" + operator);
                }
            }
        }
        record("swap: still continuing after " + MAX_CONTINUATIONS + " jobs", "gave up", false);
        return "the swap function was still continuing after " + MAX_CONTINUATIONS + " jobs";
    }

    /** Whether no rule of the live listener forwards any traffic to {@code targetGroupArn}. */
    private boolean liveSendsNothingTo(String targetGroupArn) {
        return env.dataPlane().refresh().listener(Emulator.LIVE_PORT).rules().stream()
                .filter(rule -> rule.forward() != null)
                .allMatch(rule -> rule.forward().percentOf(targetGroupArn) == 0.0);
    }

    /** The swap's UserParameters for the sandbox's strategy: short bakes, judged as the ECS mode's hook judges. */
    String progressiveParameters() {
        String type = strategy == ReleaseStrategy.SWAP_LINEAR
                ? "{\"type\": \"linear\", \"stepPercent\": 25, \"stepBakeSeconds\": 10}"
                : "{\"type\": \"canary\", \"percent\": 10, \"bakeSeconds\": 10}";
        return "{\"ElbName\": \"" + env.names().loadBalancer() + "\", \"strategy\": " + type + ", \"analysis\": "
                + PROGRESSIVE_ANALYSIS + "}";
    }

    /**
     * Green against blue and green's own 5xx ratio every 5 s, three times. A 10 % canary of 20 requests/s gives green about 10
     * requests in 5 s: an interval with fewer than 8 is inconclusive, and {@code wait} measures on instead of failing
     * (a real canary sizes {@code minRequests} and {@code interval} to its traffic the same way).
     */
    static final String PROGRESSIVE_ANALYSIS = """
            {"interval": 5, "count": 3, "inconclusive": "wait", "metrics": [\
            {"name": "green vs blue", "greenVersusBlue": {"errorRatioMargin": 0.01, "latencyStat": "Average", \
            "latencyMargin": 1.0, "latencyFloor": 0.05, "minRequests": 8}}, \
            {"name": "green 5xx", "preset": "green-5xx-ratio", "max": 0.02, "minRequests": 8}]}""";

    /** Prints the measurements the swap function logged in this invocation; returns how many. */
    private int printMeasurements(FunctionRunner.Invocation invocation) {
        int count = 0;
        for (String line : invocation.log()) {
            if (!line.startsWith("{") || !line.contains("measurement")) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line);
                if (!"measurement".equals(node.path("message").asText()) && !"analysis-measurement".equals(node.path("event").asText())) {
                    continue;
                }
                out.println("     measurement " + node.path("metric").asText() + ": " + node.path("phase").asText()
                        + " — " + node.path("summary").asText());
                count++;
            } catch (IOException e) {
                // not a JSON line of the function's: the runtime's own
            }
        }
        return count;
    }


    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
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
