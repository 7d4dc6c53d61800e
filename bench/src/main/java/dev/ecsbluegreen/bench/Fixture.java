package dev.ecsbluegreen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecsbluegreen.core.aws.AwsCalls;
import dev.ecsbluegreen.core.aws.AwsClients;
import dev.ecsbluegreen.sandbox.DemoApp;
import dev.ecsbluegreen.sandbox.ReportRecorder;
import dev.ecsbluegreen.sandbox.Routing;
import dev.ecsbluegreen.sandbox.SandboxEnvironment;
import dev.ecsbluegreen.sandbox.aws.Emulator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;

/**
 * What the functions run against: the sandbox's environment (moto with the ALB, its live :80 and test :8080
 * listeners, the blue and green target groups and the CodeDeploy deployment; blue v1 and green v2 demo apps; the
 * report endpoint for the calls moto lacks), with a {@link CountingProxy} in front of moto and one in front of the
 * report endpoint, so every AWS call a function makes is counted. Makes the events (a new job or hook execution id
 * each time) and checks, against the emulator and the report endpoint, that each invocation really did its work.
 */
final class Fixture implements AutoCloseable {

    /** What a swap did: the job's report, and where live traffic was before and is after. */
    record SwapEvidence(String jobId, String reported, String liveBefore, String liveAfter, String testAfter,
                        String production) {}

    /** What a hook did: its report to CodeDeploy. */
    record HookEvidence(String executionId, String deploymentId, String reported, String status) {}

    /** An event to send, and the id by which its report is found. */
    record Event(String id, byte[] json) {}

    private final SandboxEnvironment sandbox;
    private final CountingProxy.Calls calls = new CountingProxy.Calls();
    private final CountingProxy awsProxy;
    private final CountingProxy reportProxy;
    private final ElasticLoadBalancingV2Client elb;
    private Routing routing;

    private Fixture(SandboxEnvironment sandbox, long awsLatencyMillis) {
        this.sandbox = sandbox;
        this.awsProxy = new CountingProxy(sandbox.moto().endpoint(), calls, awsLatencyMillis);
        this.reportProxy = new CountingProxy(sandbox.recorder().endpoint(), calls, awsLatencyMillis);
        this.elb = AwsClients.configure(ElasticLoadBalancingV2Client.builder())
                .endpointOverride(sandbox.moto().endpoint())
                .region(Emulator.REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .build();
        this.routing = sandbox.emulator().read();
    }

    /**
     * Starts moto (through {@code core.local.MotoServer}) and the sandbox's environment; every AWS call of the
     * functions waits {@code awsLatencyMillis} more (0: moto as it is).
     */
    static Fixture start(Path root, long awsLatencyMillis) {
        SandboxEnvironment sandbox = SandboxEnvironment.start(root, DemoApp.Mode.HEALTHY);
        try {
            return new Fixture(sandbox, awsLatencyMillis);
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    String describeMoto() {
        return sandbox.moto().describe();
    }

    /** The calls made through the proxies since the last time this was asked. */
    CountingProxy.Calls.Counted takeCalls() {
        return calls.take();
    }

    /** The swap function's environment: ELBv2 at moto, CodePipeline at the report endpoint, both counted. */
    Map<String, String> swapEnvironment() {
        return Map.of(
                "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", awsProxy.endpoint().toString(),
                "AWS_ENDPOINT_URL_CODEPIPELINE", reportProxy.endpoint().toString());
    }

    /**
     * A CodeDeploy hook function's environment. {@code TARGET_BASE_URL} is green's own address, because the ALB's
     * DNS name that discovery finds does not resolve here; with it alone the function would skip discovery, so a
     * {@code GATES} value that needs green's target group keeps discovery in the path.
     */
    Map<String, String> hookEnvironment(String gates) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOOK_STAGE", "AfterAllowTestTraffic");
        env.put("TARGET_BASE_URL", "http://127.0.0.1:" + sandbox.green().port());
        env.put("GATES", gates);
        env.put("AWS_ENDPOINT_URL_CODEDEPLOY", reportProxy.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", awsProxy.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_ECS", awsProxy.endpoint().toString());
        return env;
    }

    /** For the Python baseline: the same endpoints, under the names boto3 reads. */
    Map<String, String> baselineEnvironment() {
        return swapEnvironment();
    }

    /** A CodePipeline job event for the swap function (events/codepipeline-job.json with a new job id). */
    Event newSwapJob() {
        String jobId = UUID.randomUUID().toString();
        return new Event(jobId, sandbox.swapJobEvent(jobId).getBytes(StandardCharsets.UTF_8));
    }

    /** A CodeDeploy lifecycle hook event (events/codedeploy-hook.json) for the fixture's deployment. */
    Event newHookEvent() {
        String executionId = SandboxEnvironment.newHookExecutionId();
        return new Event(executionId, sandbox.hookEvent(executionId).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Checks that the swap for {@code jobId} reported success to CodePipeline, and that live and test traffic and
     * the {@code IsProduction} tag really changed sides in the emulator.
     *
     * @throws BenchFailure when it did not
     */
    SwapEvidence verifySwap(String jobId, String response) {
        String liveBefore = routing.summary(Emulator.LIVE_PORT);
        String testBefore = routing.summary(Emulator.TEST_PORT);
        List<ReportRecorder.Report> mine = sandbox.recorder().reports().stream()
                .filter(r -> jobId.equals(r.body().path("jobId").asText())).toList();
        routing = sandbox.emulator().read();
        String liveAfter = routing.summary(Emulator.LIVE_PORT);
        String testAfter = routing.summary(Emulator.TEST_PORT);
        String production = routing.production();
        String reported = mine.isEmpty() ? "nothing" : mine.get(0).operation()
                + (mine.get(0).error() == null ? "" : " (answered " + mine.get(0).error() + ")");
        SwapEvidence evidence = new SwapEvidence(jobId, reported, liveBefore, liveAfter, testAfter, production);
        if (mine.size() != 1 || mine.get(0).error() != null || !"PutJobSuccessResult".equals(mine.get(0).operation())) {
            throw new BenchFailure("swap job " + jobId + " reported " + (mine.isEmpty() ? "nothing" : mine.stream()
                    .map(ReportRecorder.Report::describe).toList()) + "; the function answered " + response);
        }
        if (!liveAfter.equals(testBefore) || !testAfter.equals(liveBefore) || !production.equals(testBefore)) {
            throw new BenchFailure("swap job " + jobId + " reported success but did not swap: live " + liveBefore
                    + " → " + liveAfter + ", test " + testBefore + " → " + testAfter + ", IsProduction=true on "
                    + production);
        }
        return evidence;
    }

    /**
     * Checks that the hook reported {@code Succeeded} for {@code executionId} to CodeDeploy, once.
     *
     * @throws BenchFailure when it did not
     */
    HookEvidence verifyHook(String executionId, String response) {
        List<ReportRecorder.Report> mine = sandbox.recorder().reports().stream()
                .filter(r -> r.operation().equals("PutLifecycleEventHookExecutionStatus")
                        && executionId.equals(r.body().path("lifecycleEventHookExecutionId").asText()))
                .toList();
        if (mine.size() != 1 || mine.get(0).error() != null
                || !"Succeeded".equals(mine.get(0).body().path("status").asText())) {
            throw new BenchFailure("hook execution " + executionId.substring(0, 12) + "… reported "
                    + (mine.isEmpty() ? "nothing" : mine.stream().map(ReportRecorder.Report::describe).toList())
                    + "; the function answered " + response);
        }
        JsonNode body = mine.get(0).body();
        return new HookEvidence(executionId, body.path("deploymentId").asText(), mine.get(0).operation(),
                body.path("status").asText());
    }

    /**
     * Gives each listener {@code rules} rules: the fixture's priority-1 {@code *} rule plus {@code /bench-<n>/*}
     * path-pattern rules, each forwarding to the target group the listener's default action forwards to.
     */
    void growRulesTo(int rules) {
        routing = sandbox.emulator().read();
        for (int port : List.of(Emulator.LIVE_PORT, Emulator.TEST_PORT)) {
            Routing.Listener listener = routing.listener(port);
            List<Routing.Rule> all = listener.rules();
            String group = all.get(all.size() - 1).forward().targets().get(0).targetGroupArn();
            int existing = all.size() - 1;
            Action forward = Action.builder().type(ActionTypeEnum.FORWARD).targetGroupArn(group).build();
            for (int priority = existing + 1; priority <= rules; priority++) {
                int p = priority;
                RuleCondition path = RuleCondition.builder().field("path-pattern").values("/bench-" + p + "/*").build();
                AwsCalls.call("elasticloadbalancing:CreateRule", () -> elb.createRule(b -> b
                        .listenerArn(listener.arn()).priority(p).conditions(path).actions(forward)));
            }
        }
        routing = sandbox.emulator().read();
        for (int port : List.of(Emulator.LIVE_PORT, Emulator.TEST_PORT)) {
            int have = routing.listener(port).rules().size() - 1;
            if (have < rules) {
                throw new BenchFailure("listener :" + port + " has " + have + " rules, not " + rules);
            }
        }
    }

    /**
     * Gives each listener exactly {@code rules} rules: the {@code /bench-<n>/*} rules above {@code rules} are deleted,
     * missing ones created ({@link #growRulesTo}).
     */
    void rulesTo(int rules) {
        routing = sandbox.emulator().read();
        for (int port : List.of(Emulator.LIVE_PORT, Emulator.TEST_PORT)) {
            String listener = routing.listener(port).arn();
            String marker = null;
            List<String> surplus = new java.util.ArrayList<>();
            do {
                String from = marker;
                var page = AwsCalls.call("elasticloadbalancing:DescribeRules",
                        () -> elb.describeRules(b -> b.listenerArn(listener).marker(from)));
                page.rules().stream().filter(r -> !r.isDefault() && Integer.parseInt(r.priority()) > rules)
                        .forEach(r -> surplus.add(r.ruleArn()));
                marker = page.nextMarker();
            } while (marker != null && !marker.isEmpty());
            for (String rule : surplus) {
                AwsCalls.call("elasticloadbalancing:DeleteRule", () -> elb.deleteRule(b -> b.ruleArn(rule)));
            }
        }
        growRulesTo(rules);
    }

    String loadBalancerName() {
        return sandbox.names().loadBalancer();
    }

    /** A job of a canary or linear release: the first ({@code token} null) or the one after a continued result. */
    Event newProgressiveJob(String userParameters, String token) {
        String jobId = UUID.randomUUID().toString();
        return new Event(jobId, sandbox.swapJobEvent(jobId, userParameters, token).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Checks that {@code jobId} reported once, a {@code PutJobSuccessResult} with a continuation token, and returns it.
     *
     * @throws BenchFailure when it did not
     */
    String verifyContinued(String jobId, String response) {
        List<ReportRecorder.Report> mine = sandbox.recorder().reports().stream()
                .filter(r -> jobId.equals(r.body().path("jobId").asText())).toList();
        String token = mine.size() == 1 ? mine.get(0).body().path("continuationToken").asText(null) : null;
        if (token == null || mine.get(0).error() != null || !"PutJobSuccessResult".equals(mine.get(0).operation())) {
            throw new BenchFailure("progressive job " + jobId + " reported " + mine.stream()
                    .map(ReportRecorder.Report::describe).toList() + " (a continued result expected); the function "
                    + "answered " + response);
        }
        return token;
    }

    /**
     * The release report's row for {@code jobId} (or, with null, the routing before a release): the routing as the
     * emulator reads now, and the job's reports.
     */
    dev.ecsbluegreen.sandbox.Release.Step step(String name, String verdict, boolean passed, String jobId) {
        Routing now = sandbox.emulator().read();
        List<ReportRecorder.Report> mine = jobId == null ? List.of() : sandbox.recorder().reports().stream()
                .filter(r -> jobId.equals(r.body().path("jobId").asText())).toList();
        return new dev.ecsbluegreen.sandbox.Release.Step(name, verdict, passed,
                new dev.ecsbluegreen.sandbox.Release.Served(now.summary(Emulator.LIVE_PORT), "-"),
                new dev.ecsbluegreen.sandbox.Release.Served(now.summary(Emulator.TEST_PORT), "-"), now.production(), mine,
                java.time.Instant.now());
    }

    /** Rules (besides the default action) on the live listener. */
    int rules() {
        return routing.listener(Emulator.LIVE_PORT).rules().size() - 1;
    }

    URI greenUrl() {
        return URI.create("http://127.0.0.1:" + sandbox.green().port());
    }

    @Override
    public void close() {
        try {
            elb.close();
            awsProxy.close();
            reportProxy.close();
        } finally {
            sandbox.close();
        }
    }
}
