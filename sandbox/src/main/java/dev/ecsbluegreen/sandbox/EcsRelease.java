package dev.ecsbluegreen.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.sandbox.aws.Emulator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A release as Amazon ECS's own blue/green deployment drives it with a {@code LINEAR} or {@code CANARY} strategy,
 * no CodeDeploy and no approval: the sandbox plays ECS. It points the test rule at green and calls the hook function
 * at {@code POST_TEST_TRAFFIC_SHIFT}; then at every step {@code PRE_PRODUCTION_TRAFFIC_SHIFT} (the weights before
 * the step), the live rule's weighted forward moved to blue 100 − p / green p ({@code ModifyRule}), and
 * {@code PRODUCTION_TRAFFIC_SHIFT} (the weights after it); after 100 % {@code POST_PRODUCTION_TRAFFIC_SHIFT}.
 *
 * <p>The hook's answer is its return value. {@code IN_PROGRESS} makes the sandbox wait {@code callBackDelay}
 * (at most {@link #MAX_CALLBACK_WAIT}) and call the same stage again with the returned {@code hookDetails} merged
 * over the original ones; {@code FAILED}, a function error or an answer without a valid status rolls back as ECS
 * does: both rules back to blue 100 / green 0, then {@code PRODUCTION_TRAFFIC_SHIFT} once more with green's weight
 * at 0, and the release has failed. Prints each step with the weights, the live requests each version served
 * (from the {@link LoadGenerator}), the measurements the hook logged and its verdict.
 */
public final class EcsRelease {
    private static final ObjectMapper JSON = Json.newMapper();
    /** The Lambda function's name in the sandbox. */
    public static final String HOOK_FUNCTION = "ecs-bluegreen-hook";
    static final Duration MAX_CALLBACK_WAIT = Duration.ofSeconds(15);
    /** Calls of one stage before the sandbox gives up on a hook that keeps answering IN_PROGRESS. */
    static final int MAX_CALLS_PER_STAGE = 20;
    /** ECS's {@code stepBakeTimeInMinutes}, shortened: the live traffic a step gets before the next one. */
    static final Duration STEP_BAKE = Duration.ofSeconds(2);
    /** The hook's {@code callBackDelay} when it answers IN_PROGRESS (30 s in a deployed hook). */
    static final int CALLBACK_DELAY_SECONDS = 2;
    /** How long the hook answers a failing validation IN_PROGRESS before FAILED (10 min in a deployed hook). */
    static final int RETRY_WINDOW_SECONDS = 6;

    /**
     * Invokes the hook function once with its environment and the ECS hook request (JSON); never throws for what
     * the function does. Default: {@link #hooksJar}.
     */
    @FunctionalInterface
    public interface HookFunction {
        FunctionRunner.Invocation invoke(Map<String, String> environment, String request);
    }

    /** One invocation of the hook: the request ECS sent and what came back (null when no JSON object did). */
    public record Call(String stage, JsonNode request, JsonNode answer, Map<String, String> environment) {
        public Call {
            environment = Map.copyOf(environment);
        }
    }

    private final SandboxEnvironment env;
    private final ReleaseStrategy strategy;
    private final HookFunction hook;
    private final LoadGenerator load;
    private final TrafficSinceLastRow liveTraffic;
    private final PrintStream out;
    private final boolean verbose;
    private final Timeline timeline;
    private final List<Call> calls = new ArrayList<>();
    private final String blueRevision;
    private final String greenRevision;
    private final String resourceArn;
    private String serviceArn;
    private String liveRule;
    private String testRule;

    public EcsRelease(SandboxEnvironment env, ReleaseStrategy strategy, HookFunction hook, LoadGenerator load,
                      PrintStream out, boolean verbose) {
        if (!strategy.ecs()) {
            throw new IllegalArgumentException(strategy + " is not an Amazon ECS strategy");
        }
        this.env = env;
        this.strategy = strategy;
        this.hook = hook;
        this.load = load;
        this.liveTraffic = new TrafficSinceLastRow(load, env);
        this.out = out;
        this.verbose = verbose;
        this.timeline = new Timeline(env, out);
        Names names = env.names();
        String revisions = "arn:aws:ecs:" + Emulator.REGION.id() + ":" + Emulator.ACCOUNT + ":service-revision/"
                + names.cluster() + "/" + names.service() + "/";
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.blueRevision = revisions + Math.abs(random.nextLong());
        this.greenRevision = revisions + Math.abs(random.nextLong());
        this.resourceArn = "arn:aws:ecs:" + Emulator.REGION.id() + ":" + Emulator.ACCOUNT + ":service-deployment/"
                + names.cluster() + "/" + names.service() + "/" + UUID.randomUUID().toString().replace("-", "").substring(0, 21);
    }

    /** The real hook function: {@code hooks.jar} in a fresh JVM per call, as Lambda runs it. */
    public static HookFunction hooksJar(SandboxEnvironment env, FunctionRunner runner) {
        return (environment, request) -> runner.invoke(new FunctionRunner.LambdaFunction(HOOK_FUNCTION, env.hooksJar(),
                SandboxEnvironment.HOOK_HANDLER, Release.FUNCTION_TIMEOUT, 512, environment), request);
    }

    /**
     * The analysis the hook is configured with ({@code ANALYSIS}): green against blue on the same live traffic,
     * and green's own 5xx ratio, measured every 5 s, twice.
     */
    static String analysis() {
        return """
                {"interval": 5, "count": 2, "metrics": [\
                {"name": "green vs blue", "greenVersusBlue": {"errorRatioMargin": 0.01, "latencyStat": "Average", \
                "latencyMargin": 1.0, "latencyFloor": 0.05, "minRequests": 20}}, \
                {"name": "green 5xx", "preset": "green-5xx-ratio", "max": 0.02, "minRequests": 20}]}""";
    }

    /** Every call of the hook so far, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public Release.Result run() {
        Emulator.Created created = env.created();
        String blue = created.blueTargetGroupArn();
        String green = created.greenTargetGroupArn();
        timeline.header();
        timeline.record("before the release", "-", true);
        liveRule = env.emulator().ruleArn(created.liveListenerArn(), "1");
        testRule = env.emulator().ruleArn(created.testListenerArn(), "1");
        String ecsStrategy = strategy == ReleaseStrategy.ECS_LINEAR ? "LINEAR" : "CANARY";
        serviceArn = env.emulator().configureEcsBlueGreen(liveRule, testRule, ecsStrategy, strategy.steps().get(0));
        out.println("     ECS service " + env.names().cluster() + "/" + env.names().service() + ": strategy " + ecsStrategy
                + " " + steps() + "; loadBalancers[0] " + env.names().blueTargetGroup() + ", alternate "
                + env.names().greenTargetGroup() + ", production rule " + liveRule.substring(liveRule.lastIndexOf('/') + 1)
                + " (live :" + Emulator.LIVE_PORT + " priority 1), test rule " + testRule.substring(testRule.lastIndexOf('/') + 1)
                + " (test :" + Emulator.TEST_PORT + " priority 1)");

        env.emulator().forward(testRule, weights(blue, 0, green, 100));
        Map<String, Integer> testWeights = revisions(0, 100);
        if (!stage("POST_TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT", testWeights, revisions(100, 0), 0)) {
            return rollBack("POST_TEST_TRAFFIC_SHIFT");
        }
        int before = 0;
        for (int i = 0; i < strategy.steps().size(); i++) {
            int percent = strategy.steps().get(i);
            String step = "step " + (i + 1) + ": ";
            if (!stage(step + "PRE_PRODUCTION_TRAFFIC_SHIFT", "PRE_PRODUCTION_TRAFFIC_SHIFT", testWeights,
                    revisions(100 - before, before), before)) {
                return rollBack(step + "PRE_PRODUCTION_TRAFFIC_SHIFT (" + before + " %)");
            }
            env.emulator().forward(liveRule, weights(blue, 100 - percent, green, percent));
            timeline.record(step + "live rule to " + percent + " %", "ModifyRule", true);
            explainShift(percent);
            if (!stage(step + "PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", testWeights,
                    revisions(100 - percent, percent), percent)) {
                return rollBack(step + "PRODUCTION_TRAFFIC_SHIFT (" + percent + " %)");
            }
            if (percent < 100) {
                bake(STEP_BAKE);
            }
            before = percent;
        }
        if (!stage("POST_PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", testWeights, revisions(0, 100), 100)) {
            return rollBack("POST_PRODUCTION_TRAFFIC_SHIFT");
        }
        return new Release.Result(true, false, false, null, timeline.steps());
    }

    /** As ECS rolls back: both rules to blue, then the production shift hook once more with green's weight at 0. */
    private Release.Result rollBack(String failedAt) {
        Emulator.Created created = env.created();
        out.println("     " + failedAt + " did not succeed: rolling back, as Amazon ECS does");
        env.emulator().forward(liveRule, weights(created.blueTargetGroupArn(), 100, created.greenTargetGroupArn(), 0));
        env.emulator().forward(testRule, weights(created.blueTargetGroupArn(), 100, created.greenTargetGroupArn(), 0));
        timeline.record("rollback: live and test rules to blue", "ModifyRule", true);
        explainShift(0);
        boolean answered = stage("rollback: PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", revisions(100, 0),
                revisions(100, 0), 0);
        Routing routing = env.emulator().read();
        boolean onBlue = greenPercent(routing, Emulator.LIVE_PORT) == 0 && greenPercent(routing, Emulator.TEST_PORT) == 0;
        if (!answered) {
            out.println("     the hook did not answer the rollback call SUCCEEDED: Amazon ECS would report the rollback failed");
        }
        return new Release.Result(false, false, onBlue && answered, failedAt, timeline.steps());
    }

    /**
     * Calls the hook at {@code stage} until it answers something other than IN_PROGRESS, then prints the row.
     *
     * @param greenLive green's share of live traffic now, which decides where the hook's checks go
     */
    private boolean stage(String title, String stage, Map<String, Integer> testWeights, Map<String, Integer> productionWeights,
                          int greenLive) {
        ObjectNode configured = JSON.createObjectNode();
        ObjectNode request = request(stage, testWeights, productionWeights, configured);
        Map<String, String> environment = hookEnvironment(greenLive);
        List<FunctionRunner.Invocation> invocations = new ArrayList<>();
        String status;
        while (true) {
            FunctionRunner.Invocation invocation = hook.invoke(environment, request.toString());
            invocations.add(invocation);
            JsonNode answer = parse(invocation.answer());
            calls.add(new Call(stage, request.deepCopy(), answer, environment));
            status = invocation.functionError() ? "function error"
                    : answer == null ? "no answer" : answer.path("hookStatus").asText("no hookStatus");
            if (!status.equals("IN_PROGRESS") || invocations.size() >= MAX_CALLS_PER_STAGE) {
                break;
            }
            long delay = answer.path("callBackDelay").asLong(30);
            bake(Duration.ofSeconds(Math.max(0, Math.min(delay, MAX_CALLBACK_WAIT.toSeconds()))));
            ObjectNode merged = configured.deepCopy();
            if (answer.path("hookDetails").isObject()) {
                merged.setAll((ObjectNode) answer.get("hookDetails"));
            }
            request.set("hookDetails", merged);
        }
        boolean passed = status.equals("SUCCEEDED");
        String verdict = status + (invocations.size() > 1 ? " (" + invocations.size() + " calls)" : "");
        timeline.record(title, verdict, passed);
        out.println("     weights: production " + describe(productionWeights) + "; test " + describe(testWeights));
        liveTraffic.print(out);
        for (FunctionRunner.Invocation invocation : invocations) {
            explain(invocation);
        }
        if (status.equals("IN_PROGRESS")) {
            out.println("     still IN_PROGRESS after " + MAX_CALLS_PER_STAGE + " calls: the sandbox stops waiting");
        }
        return passed;
    }

    private ObjectNode request(String stage, Map<String, Integer> testWeights, Map<String, Integer> productionWeights,
                               ObjectNode hookDetails) {
        ObjectNode request = (ObjectNode) env.readEvent("ecs-hook-production-traffic-shift.json");
        request.put("executionId", UUID.randomUUID().toString());
        request.put("lifecycleStage", stage);
        request.put("resourceArn", resourceArn);
        ObjectNode details = request.putObject("executionDetails");
        details.set("testTrafficWeights", JSON.valueToTree(testWeights));
        details.set("productionTrafficWeights", JSON.valueToTree(productionWeights));
        details.put("serviceArn", serviceArn);
        details.put("targetServiceRevisionArn", greenRevision);
        request.set("hookDetails", hookDetails.deepCopy());
        return request;
    }

    /**
     * The hook function's variables. Its checks want green's answers, so they go through a listener that sends
     * everything to green: the test listener until green has all live traffic, then the live one.
     */
    Map<String, String> hookEnvironment(int greenLive) {
        Map<String, String> environment = new HashMap<>();
        int listener = greenLive == 100 ? Emulator.LIVE_PORT : Emulator.TEST_PORT;
        environment.put("TARGET_BASE_URL", env.dataPlane().url(listener).toString());
        String checks = Release.checks(env.green());
        if (checks != null) {
            environment.put("CHECKS", checks);
        }
        environment.put("ANALYSIS", analysis());
        environment.put("MAX_VALIDATION_SECONDS", String.valueOf(Release.MAX_VALIDATION_SECONDS));
        environment.put("ECS_CALLBACK_DELAY_SECONDS", String.valueOf(CALLBACK_DELAY_SECONDS));
        environment.put("ECS_RETRY_WINDOW_SECONDS", String.valueOf(RETRY_WINDOW_SECONDS));
        String moto = env.moto().endpoint().toString();
        environment.put("AWS_ENDPOINT_URL_CLOUDWATCH", moto);
        environment.put("AWS_ENDPOINT_URL_ECS", moto);
        environment.put("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", moto);
        return environment;
    }

    /** Blue's and green's revisions with their weights. */
    private Map<String, Integer> revisions(int blue, int green) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put(blueRevision, blue);
        weights.put(greenRevision, green);
        return weights;
    }

    private static Map<String, Integer> weights(String blue, int blueWeight, String green, int greenWeight) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        weights.put(blue, blueWeight);
        weights.put(green, greenWeight);
        return weights;
    }

    private String describe(Map<String, Integer> revisionWeights) {
        return "blue " + revisionWeights.getOrDefault(blueRevision, 0) + " / green "
                + revisionWeights.getOrDefault(greenRevision, 0);
    }

    private void explainShift(int percent) {
        out.println("     live rule: forward " + env.names().blueTargetGroup() + " " + (100 - percent) + " / "
                + env.names().greenTargetGroup() + " " + percent);
        liveTraffic.print(out);
    }


    private void explain(FunctionRunner.Invocation invocation) {
        out.printf("     %s ran in a fresh JVM in %.1f s%s → %s%n", invocation.function(),
                invocation.took().toMillis() / 1000.0,
                invocation.functionError() ? ", exit " + invocation.exitCode() + " (function error)" : "",
                invocation.answer().isBlank() ? "(nothing)" : invocation.answer().strip());
        for (String line : invocation.log()) {
            JsonNode node = line.startsWith("{") && line.contains("\"analysis-measurement\"") ? parse(line) : null;
            if (node != null) {
                out.println("     measurement " + node.path("metric").asText() + ": " + node.path("phase").asText()
                        + " — " + (node.path("summary").isTextual() ? node.path("summary").asText() : node.path("summary")));
            }
        }
        String reason = Release.hookReason(invocation);
        if (reason != null) {
            out.println("     verdict: " + reason);
        }
        if (verbose || invocation.functionError()) {
            List<String> log = invocation.log();
            List<String> shown = verbose ? log : log.subList(Math.max(0, log.size() - 20), log.size());
            shown.forEach(line -> out.println("       | " + line));
        }
    }

    /** The versions' names in the load generator's tally: "blue v1", "green v2" (or the target groups of apps of yours). */
    static Map<String, String> versionLabels(SandboxEnvironment env) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(env.blue().version() != null ? env.blue().version() : env.names().blueTargetGroup(),
                "blue" + (env.blue().version() != null ? " " + env.blue().version() : ""));
        labels.put(env.green().version() != null ? env.green().version() : env.names().greenTargetGroup(),
                "green" + (env.green().version() != null ? " " + env.green().version() : ""));
        return labels;
    }

    /** Green's share of the listener's priority-1 rule, in percent (0 when the rule does not forward to it). */
    int greenPercent(Routing routing, int port) {
        String green = env.created().greenTargetGroupArn();
        Routing.Rule first = routing.listener(port).rules().get(0);
        return first.forward() == null ? 0 : (int) Math.round(first.forward().percentOf(green));
    }

    private String steps() {
        return String.join(" → ", strategy.steps().stream().map(p -> p + " %").toList());
    }

    /** The last line of the run. */
    static String conclusion(Release.Result result, ReleaseStrategy strategy, String blue) {
        String steps = String.join(" → ", strategy.steps().stream().map(p -> p + " %").toList());
        if (result.released()) {
            return "release SUCCEEDED: Amazon ECS shifted live traffic to green in steps (" + steps
                    + ") and the hook answered SUCCEEDED at every stage";
        }
        return "release FAILED at " + result.stoppedAt() + (result.rolledBack()
                ? "; rolled back: live traffic is on " + blue + " again"
                : "; the ROLLBACK FAILED: live traffic is not all on " + blue);
    }

    private static void bake(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }
}
