package dev.ecsbluegreen.swap;

import static dev.ecsbluegreen.swap.AlbFixture.fixedResponse;
import static dev.ecsbluegreen.swap.AlbFixture.forward;
import static dev.ecsbluegreen.swap.AlbFixture.hostHeader;
import static dev.ecsbluegreen.swap.AlbFixture.pathPattern;
import static dev.ecsbluegreen.swap.AlbFixture.redirectToHttps;
import static dev.ecsbluegreen.swap.AlbFixture.weighted;
import static dev.ecsbluegreen.swap.CodePipelineRecorder.FAILURE;
import static dev.ecsbluegreen.swap.CodePipelineRecorder.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.aws.CodePipelineJobResults;
import dev.ecsbluegreen.core.routing.Strategy;
import dev.ecsbluegreen.swap.aws.Adapters;
import dev.ecsbluegreen.swap.aws.ElbLoadBalancers;
import dev.ecsbluegreen.testing.EventFiles;
import dev.ecsbluegreen.testing.FaultInjectingProxy;
import dev.ecsbluegreen.testing.LogSchema;
import dev.ecsbluegreen.testing.Moto;
import dev.ecsbluegreen.testing.TestLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/** The swap handler end to end: real SDK on the wire to moto (ELB) and to a recorder standing in for CodePipeline. */
class SwapHandlerIT {
    @RegisterExtension
    static final Moto moto = new Moto();
    private static final ObjectMapper MAPPER = Json.newMapper();

    private CodePipelineRecorder codePipeline;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void startCodePipeline() throws Exception {
        codePipeline = new CodePipelineRecorder();
    }

    @AfterEach
    void stopCodePipeline() {
        codePipeline.close();
    }

    // ------------------------------------------------------------------ helpers

    private SwapHandler handler(URI elbEndpoint) {
        ElasticLoadBalancingV2Client elb = moto.client(ElasticLoadBalancingV2Client.builder(), elbEndpoint);
        CodePipelineClient cp = moto.client(CodePipelineClient.builder(), codePipeline.endpoint());
        return new SwapHandler(new ElbLoadBalancers(elb), new CodePipelineJobResults(cp), env::get);
    }

    private SwapHandler handler() {
        return handler(moto.endpoint());
    }

    /** The reference event with another job id and UserParameters. */
    static String event(String jobId, String userParameters) throws Exception {
        return MAPPER.writeValueAsString(job("codepipeline-job.json", jobId, userParameters));
    }

    /** The events/ file's job event with another job id and UserParameters. */
    static ObjectNode job(String file, String jobId, String userParameters) throws Exception {
        ObjectNode root = (ObjectNode) MAPPER.readTree(EventFiles.read(file));
        ObjectNode job = (ObjectNode) root.get("CodePipeline.job");
        job.put("id", jobId);
        ((ObjectNode) job.at("/data/actionConfiguration/configuration")).put("UserParameters", userParameters);
        return root;
    }

    private static String invoke(SwapHandler handler, String event, TestLambdaContext context) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
        return out.toString(StandardCharsets.UTF_8);
    }

    private CodePipelineRecorder.Report run(SwapHandler handler, String jobId, String userParameters) throws Exception {
        codePipeline.answerOk();
        invoke(handler, event(jobId, userParameters), new TestLambdaContext());
        CodePipelineRecorder.Report report = codePipeline.take();
        codePipeline.assertNoMoreReports();
        return report;
    }

    private CodePipelineRecorder.Report run(String jobId, String userParameters) throws Exception {
        return run(handler(), jobId, userParameters);
    }

    private static void assertFailure(CodePipelineRecorder.Report report, FailureType type, String... fragments) {
        assertEquals(FAILURE, report.target(), report.body().toString());
        assertEquals(type.name(), report.failureType(), report.failureMessage());
        for (String fragment : fragments) {
            assertTrue(report.failureMessage().contains(fragment), "\"" + fragment + "\" not in: " + report.failureMessage());
        }
    }

    // ------------------------------------------------------------------ layouts

    @Test
    void referenceLayoutSwapsAndTheNextApprovalSwapsBack() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        String blue = alb.targetGroupArn("app-blue");
        String green = alb.targetGroupArn("app-green");

        CodePipelineRecorder.Report report = run("job-1", "{\"ElbName\": \"app-alb\"}");
        assertEquals(SUCCESS, report.target(), report.body().toString());
        assertEquals("job-1", report.body().get("jobId").asText());
        assertEquals("live :80 → app-green (was app-blue); test :8080 → app-blue; IsProduction flipped "
                + "(2 live and 2 test route(s) rewritten)", report.summary());
        assertEquals(100, report.body().at("/executionDetails/percentComplete").asInt());
        assertEquals(Map.of("LiveTargetGroup", "app-green", "TestTargetGroup", "app-blue",
                        "PreviousLiveTargetGroup", "app-blue", "LiveTargetGroupArn", green, "TestTargetGroupArn", blue),
                MAPPER.convertValue(report.body().get("outputVariables"), Map.class));
        assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(80));
        assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(8080));
        assertEquals("true", alb.isProduction(green));
        assertEquals("false", alb.isProduction(blue));
        assertEquals("done", alb.tags(alb.loadBalancerArn).get("ecs-bluegreen:job-state"));

        CodePipelineRecorder.Report back = run("job-2", "{\"ElbName\": \"app-alb\"}");
        assertEquals(SUCCESS, back.target());
        assertTrue(back.summary().startsWith("live :80 → app-blue (was app-green)"), back.summary());
        assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(80));
        assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(8080));
        assertEquals("true", alb.isProduction(blue));
        assertEquals("false", alb.isProduction(green));
    }

    @Test
    void sameJobDeliveredThreeTimesSwapsOnce() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            SwapHandler handler = handler(proxy.endpoint());
            assertEquals(SUCCESS, run(handler, "job-1", "app-alb").target());
            for (int delivery = 2; delivery <= 3; delivery++) {
                codePipeline.answerAlreadyReported();
                invoke(handler, event("job-1", "app-alb"), new TestLambdaContext());
                CodePipelineRecorder.Report again = codePipeline.take();
                assertEquals(SUCCESS, again.target());
                assertTrue(again.summary().contains("already in place"), again.summary());
            }
            assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(80));
            assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(8080));
            assertEquals(2, proxy.count("ModifyListener"), proxy.actions().toString());
            assertEquals(2, proxy.count("ModifyRule"), proxy.actions().toString());
        }
    }

    @Test
    void defaultActionOnlyListenersSwap() throws Exception {
        AlbFixture alb = AlbFixture.create(moto, "app-alb");
        String blue = alb.targetGroup("app-blue", "true", "10.0.1.10");
        String green = alb.targetGroup("app-green", "false", "10.0.2.10");
        alb.listener(80, forward(blue));
        alb.listener(8080, forward(green));
        assertEquals(SUCCESS, run("job-1", "{\"ElbName\": \"app-alb\"}").target());
        assertEquals(List.of("default=app-green"), alb.routing(80));
        assertEquals(List.of("default=app-blue"), alb.routing(8080));
    }

    @Test
    void rulesToUnrelatedTargetGroupsAndOtherActionsAreUntouched() throws Exception {
        AlbFixture alb = AlbFixture.create(moto, "app-alb");
        String blue = alb.targetGroup("app-blue", "true", "10.0.1.10");
        String green = alb.targetGroup("app-green", "false", "10.0.2.10");
        String admin = alb.targetGroup("admin", null, "10.0.3.10");
        String live = alb.listener(80, forward(blue));
        String test = alb.listener(8080, forward(green));
        alb.rule(live, 1, forward(admin), hostHeader("admin.example.com"));
        alb.rule(live, 2, fixedResponse(403), pathPattern("/internal/*"));
        alb.rule(live, 3, forward(blue), pathPattern("/api/*"));
        alb.rule(test, 1, forward(admin), hostHeader("admin.example.com"));
        List<Rule> liveBefore = alb.rules(80);

        assertEquals(SUCCESS, run("job-1", "app-alb").target());

        assertEquals(List.of("default=app-green", "1=admin", "2=fixed-response", "3=app-green"), alb.routing(80));
        assertEquals(List.of("default=app-blue", "1=admin"), alb.routing(8080));
        List<Rule> liveAfter = alb.rules(80);
        for (int i = 0; i < liveBefore.size(); i++) {
            assertEquals(liveBefore.get(i).conditions(), liveAfter.get(i).conditions(), "conditions of rule " + i);
        }
        assertEquals(liveBefore.get(2).actions(), liveAfter.get(2).actions(), "fixed response kept as it was");
    }

    @Test
    void weightedForwardsLeftByCodeDeploySwapWeightsAndKeepStickiness() throws Exception {
        AlbFixture alb = AlbFixture.create(moto, "app-alb");
        String blue = alb.targetGroup("app-blue", "true", "10.0.1.10");
        String green = alb.targetGroup("app-green", "false", "10.0.2.10");
        String live = alb.listener(80, weighted(blue, 100, green, 0, true));
        alb.listener(8080, weighted(green, 100, blue, 0, false));
        alb.rule(live, 1, weighted(blue, 90, green, 10, true), pathPattern("/canary/*"));

        assertEquals(SUCCESS, run("job-1", "app-alb").target());

        assertEquals(List.of("default=app-blue:0,app-green:100", "1=app-blue:10,app-green:90"), alb.routing(80));
        assertEquals(List.of("default=app-green:0,app-blue:100"), alb.routing(8080));
        var stickiness = alb.rules(80).get(0).actions().get(0).forwardConfig().targetGroupStickinessConfig();
        assertTrue(stickiness.enabled());
        assertEquals(3600, stickiness.durationSeconds());
    }

    @Test
    void oidcAuthenticatedLiveListenerIsWrittenBackWithUseExistingClientSecret() throws Exception {
        AlbFixture alb = AlbFixture.create(moto, "app-alb");
        String blue = alb.targetGroup("app-blue", "true", "10.0.1.10");
        String green = alb.targetGroup("app-green", "false", "10.0.2.10");
        software.amazon.awssdk.services.elasticloadbalancingv2.model.Action oidc =
                software.amazon.awssdk.services.elasticloadbalancingv2.model.Action.builder()
                        .type("authenticate-oidc").order(1)
                        .authenticateOidcConfig(c -> c.issuer("https://idp.example.com").clientId("app")
                                .clientSecret("s3cret").authorizationEndpoint("https://idp.example.com/auth")
                                .tokenEndpoint("https://idp.example.com/token").userInfoEndpoint("https://idp.example.com/me"))
                        .build();
        software.amazon.awssdk.services.elasticloadbalancingv2.model.Action toBlue = forward(blue).toBuilder().order(2).build();
        alb.httpsListener(443, oidc);
        alb.elb.modifyListener(b -> b.listenerArn(alb.listenerOnPort(443)).defaultActions(oidc, toBlue));
        alb.httpsListener(8443, forward(green));
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            CodePipelineRecorder.Report report = run(handler(proxy.endpoint()), "job-1", "{\"ElbName\": \"app-alb\"}");
            assertEquals(SUCCESS, report.target(), report.body().toString());
            // AWS's Describe never returns ClientSecret and refuses the action back without UseExistingClientSecret;
            // moto enforces neither, so the request on the wire is what this test checks
            FaultInjectingProxy.Call write = proxy.calls().stream()
                    .filter(c -> c.action().equals("ModifyListener") && alb.listenerOnPort(443).equals(c.param("ListenerArn")))
                    .findFirst().orElseThrow();
            assertEquals("true", write.param("DefaultActions.member.1.AuthenticateOidcConfig.UseExistingClientSecret"),
                    write.form().toString());
            assertEquals(null, write.param("DefaultActions.member.1.AuthenticateOidcConfig.ClientSecret"), write.form().toString());
        }
        assertEquals(List.of("default=authenticate-oidc+app-green"), alb.routing(443));
    }

    @Test
    void httpsLiveListenerIsPreferredAndTheRedirectListenerIsLeftAlone() throws Exception {
        AlbFixture alb = AlbFixture.create(moto, "app-alb");
        String blue = alb.targetGroup("app-blue", "true", "10.0.1.10");
        String green = alb.targetGroup("app-green", "false", "10.0.2.10");
        alb.httpsListener(443, forward(blue));
        alb.listener(80, redirectToHttps());
        alb.httpsListener(8443, forward(green));

        CodePipelineRecorder.Report report = run("job-1", "{\"ElbName\": \"app-alb\"}");
        assertEquals(SUCCESS, report.target(), report.body().toString());
        assertTrue(report.summary().startsWith("live :443 → app-green (was app-blue); test :8443 → app-blue"), report.summary());
        assertEquals(List.of("default=app-green"), alb.routing(443));
        assertEquals(List.of("default=app-blue"), alb.routing(8443));
        assertEquals(List.of("default=redirect"), alb.routing(80));
    }

    @Test
    void richParametersNameListenersByPortAndArn() throws Exception {
        AlbFixture alb = AlbFixture.create(moto, "shop-alb");
        String blue = alb.targetGroup("shop-blue", "true", "10.0.1.10");
        String green = alb.targetGroup("shop-green", "false", "10.0.2.10");
        alb.listener(9000, forward(blue));
        String test = alb.listener(9001, forward(green));
        CodePipelineRecorder.Report report = run("job-1", "{\"loadBalancer\": \"" + alb.loadBalancerArn
                + "\", \"liveListener\": 9000, \"testListener\": \"" + test + "\"}");
        assertEquals(SUCCESS, report.target(), report.body().toString());
        assertEquals(List.of("default=shop-green"), alb.routing(9000));
    }

    @Test
    void richEventFromTheEventsFolderSwapsTheNamedPairOnTheNamedListeners() throws Exception {
        AlbFixture alb = AlbFixture.create(moto, "app-alb");
        String blue = alb.targetGroup("app-blue", "true", "10.0.1.10");
        String green = alb.targetGroup("app-green", "false", "10.0.2.10");
        String reports = alb.targetGroup("reports", null, "10.0.3.10");
        String live = alb.httpsListener(443, forward(blue));
        alb.httpsListener(8443, forward(green));
        alb.rule(live, 7, forward(reports), pathPattern("/reports/*"));
        codePipeline.answerOk();
        invoke(handler(), EventFiles.read("codepipeline-job-rich.json"), new TestLambdaContext());
        CodePipelineRecorder.Report report = codePipeline.take();
        assertEquals(SUCCESS, report.target(), report.body().toString());
        assertEquals("22222222-abcd-2222-abcd-222222abcdef", report.body().get("jobId").asText());
        assertEquals(List.of("default=app-green", "7=reports"), alb.routing(443));
        assertEquals(List.of("default=app-blue"), alb.routing(8443));
    }

    @Test
    void listenersWithManyRulesAreReadPageByPage() throws Exception {
        AlbFixture alb = AlbFixture.create(moto, "app-alb");
        String blue = alb.targetGroup("app-blue", "true", "10.0.1.10");
        String green = alb.targetGroup("app-green", "false", "10.0.2.10");
        String live = alb.listener(80, forward(blue));
        alb.listener(8080, forward(green));
        for (int priority = 1; priority <= 25; priority++) {
            alb.rule(live, priority, forward(blue), pathPattern("/p" + priority + "/*"));
        }
        ElasticLoadBalancingV2Client elb = moto.client(ElasticLoadBalancingV2Client.builder());
        CodePipelineClient cp = moto.client(CodePipelineClient.builder(), codePipeline.endpoint());
        SwapHandler handler = new SwapHandler(Adapters.loadBalancers(elb, 10), new CodePipelineJobResults(cp), env::get);

        assertEquals(SUCCESS, run(handler, "job-1", "app-alb").target());
        assertTrue(alb.routing(80).stream().allMatch(r -> r.endsWith("=app-green")), alb.routing(80).toString());
        assertEquals(26, alb.routing(80).size());
    }

    // ------------------------------------------------------------------ failures that change nothing

    private AlbFixture referenceWithSnapshot(Map<Integer, List<String>> before) {
        AlbFixture alb = AlbFixture.reference(moto);
        before.put(80, alb.routing(80));
        before.put(8080, alb.routing(8080));
        return alb;
    }

    private static void assertUnchanged(AlbFixture alb, Map<Integer, List<String>> before) {
        assertEquals(before.get(80), alb.routing(80));
        assertEquals(before.get(8080), alb.routing(8080));
        assertEquals("true", alb.isProduction(alb.targetGroupArn("app-blue")));
        assertEquals("false", alb.isProduction(alb.targetGroupArn("app-green")));
    }

    /** Job data CodePipeline would not send: one failure report naming the member, and the load balancer untouched. */
    @Test
    void jobDataInTheWrongShapeIsReportedOnceAndChangesNothing() throws Exception {
        Map<Integer, List<String>> before = new HashMap<>();
        AlbFixture alb = referenceWithSnapshot(before);
        ObjectNode root = job("codepipeline-job.json", "job-shape", "{\"ElbName\": \"app-alb\"}");
        ((ObjectNode) root.at("/CodePipeline.job/data")).put("inputArtifacts", "not a list");
        codePipeline.answerOk();
        invoke(handler(), MAPPER.writeValueAsString(root), new TestLambdaContext());
        CodePipelineRecorder.Report report = codePipeline.take();
        codePipeline.assertNoMoreReports();
        assertFailure(report, FailureType.ConfigurationError, "CodePipeline.job.data.inputArtifacts is a string, not an array",
                "Nothing was changed");
        assertUnchanged(alb, before);
    }

    @Test
    void userParametersThatAreNotJsonAreAConfigurationError() throws Exception {
        Map<Integer, List<String>> before = new HashMap<>();
        AlbFixture alb = referenceWithSnapshot(before);
        assertFailure(run("job-1", "{\"ElbName\": app-alb}"), FailureType.ConfigurationError,
                "UserParameters is not valid JSON", "Nothing was changed");
        assertUnchanged(alb, before);
    }

    @Test
    void unknownLoadBalancerIsAConfigurationError() throws Exception {
        Map<Integer, List<String>> before = new HashMap<>();
        AlbFixture alb = referenceWithSnapshot(before);
        assertFailure(run("job-1", "{\"ElbName\": \"no-such-alb\"}"), FailureType.ConfigurationError,
                "load balancer \"no-such-alb\" was not found", "Nothing was changed");
        assertUnchanged(alb, before);
    }

    @Test
    void networkLoadBalancerIsAConfigurationError() throws Exception {
        AlbFixture alb = AlbFixture.create(moto, "app-alb");
        String subnet = alb.elb.describeLoadBalancers(b -> b.names("app-alb")).loadBalancers().get(0)
                .availabilityZones().get(0).subnetId();
        alb.elb.createLoadBalancer(b -> b.name("app-nlb").type("network").subnets(subnet));
        assertFailure(run("job-1", "app-nlb"), FailureType.ConfigurationError,
                "\"app-nlb\" is a network load balancer", "Nothing was changed");
    }

    @Test
    void missingListenerPortIsAConfigurationErrorListingTheListeners() throws Exception {
        AlbFixture alb = AlbFixture.create(moto, "app-alb");
        String blue = alb.targetGroup("app-blue", "true", "10.0.1.10");
        String green = alb.targetGroup("app-green", "false", "10.0.2.10");
        alb.listener(80, forward(blue));
        alb.listener(9090, forward(green));
        assertFailure(run("job-1", "app-alb"), FailureType.ConfigurationError,
                "has no test listener on port 8443 or 8080", ":80 (HTTP), :9090 (HTTP)", "\"testListener\"");
        assertFailure(run("job-2", "{\"ElbName\": \"app-alb\", \"testListener\": 9999}"), FailureType.ConfigurationError,
                "has no listener :9999");
        assertEquals(List.of("default=app-blue"), alb.routing(80));
    }

    @Test
    void oneTargetGroupBehindBothListenersIsRefused() throws Exception {
        AlbFixture alb = AlbFixture.create(moto, "app-alb");
        String only = alb.targetGroup("app-only", "true", "10.0.1.10");
        alb.listener(80, forward(only));
        alb.listener(8080, forward(only));
        assertFailure(run("job-1", "app-alb"), FailureType.ConfigurationError,
                "both listeners send traffic to the same target group [app-only]", "Nothing was changed");
        assertEquals(List.of("default=app-only"), alb.routing(80));
    }

    @Test
    void greenWithoutHealthyTargetIsNotPromotedUnlessTheOperatorSaysSo() throws Exception {
        AlbFixture alb = AlbFixture.create(moto, "app-alb");
        String blue = alb.targetGroup("app-blue", "true", "10.0.1.10");
        String green = alb.targetGroup("app-green", "false");
        alb.listener(80, forward(blue));
        alb.listener(8080, forward(green));
        assertFailure(run("job-1", "app-alb"), FailureType.JobFailed,
                "target group app-green has no healthy target", "no target is registered", "\"requireHealthyGreen\": false",
                "Nothing was changed");
        assertEquals(List.of("default=app-blue"), alb.routing(80));

        assertEquals(SUCCESS, run("job-2", "{\"ElbName\": \"app-alb\", \"requireHealthyGreen\": false}").target());
        assertEquals(List.of("default=app-green"), alb.routing(80));
    }

    @Test
    void eventThatIsNotJsonFailsTheInvocationWithoutReporting() throws Exception {
        TestLambdaContext context = new TestLambdaContext();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> invoke(handler(), "this is not json", context));
        assertTrue(e.getMessage().contains("the event is not JSON"), e.getMessage());
        assertTrue(context.log().contains("the event is not JSON"), context.log());
        assertEquals(0, codePipeline.count());
    }

    @Test
    void eventWithoutCodePipelineJobFailsTheInvocationWithoutReporting() throws Exception {
        TestLambdaContext context = new TestLambdaContext();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> invoke(handler(), EventFilesForOtherTriggers.CODEDEPLOY_HOOK, context));
        assertTrue(e.getMessage().contains("\"CodePipeline.job\""), e.getMessage());
        assertEquals(0, codePipeline.count());
    }

    @Test
    void runningOutOfTimeBeforeTheFirstWriteChangesNothing() throws Exception {
        Map<Integer, List<String>> before = new HashMap<>();
        AlbFixture alb = referenceWithSnapshot(before);
        codePipeline.answerOk();
        // 5 s left is less than the report's own reserve: not even a read is sent
        invoke(handler(), event("job-1", "app-alb"), new TestLambdaContext(5_000));
        assertFailure(codePipeline.take(), FailureType.JobFailed, "was not called", "raise the function's timeout",
                "Nothing was changed");
        assertUnchanged(alb, before);
    }

    @Test
    void tooLittleTimeToWriteAndPutBackIsRefusedBeforeTheFirstWrite() throws Exception {
        Map<Integer, List<String>> before = new HashMap<>();
        AlbFixture alb = referenceWithSnapshot(before);
        codePipeline.answerOk();
        // 7.5 s: 1.5 s after the report's reserve, less than 7 writes and their restore are assumed to take
        invoke(handler(), event("job-1", "app-alb"), new TestLambdaContext(7_500));
        assertFailure(codePipeline.take(), FailureType.JobFailed, "not enough time left", "Raise the function's timeout",
                "Nothing was changed");
        assertUnchanged(alb, before);
    }

    // ------------------------------------------------------------------ failures mid-swap

    @Test
    void writeFailingMidSwapRestoresEverythingAndReports() throws Exception {
        Map<Integer, List<String>> before = new HashMap<>();
        AlbFixture alb = referenceWithSnapshot(before);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            // the live listener's default action and rule are written at once; the rule's write fails
            proxy.failQueryAction("ModifyRule", 0, 1, 400, "ValidationError", "injected failure");
            CodePipelineRecorder.Report report = run(handler(proxy.endpoint()), "job-1", "app-alb");
            assertFailure(report, FailureType.JobFailed, "elasticloadbalancing:ModifyRule failed", "injected failure",
                    "reading back confirms traffic is as before: live :80 [default action → app-blue, rule priority 1 → app-blue]");
            // the default action's write, in flight beside it, went through and was put back (or, had the failure
            // come first, was never started); the refused rule write did not happen and needs no undo
            assertTrue(proxy.count("ModifyListener") == 2 || proxy.count("ModifyListener") == 0, proxy.actions().toString());
            assertEquals(1, proxy.count("ModifyRule"), proxy.actions().toString());
        }
        assertUnchanged(alb, before);
        assertEquals("restored", alb.tags(alb.loadBalancerArn).get("ecs-bluegreen:job-state"));

        // a late duplicate of the failed job must not swap now
        CodePipelineRecorder.Report duplicate = run("job-1", "app-alb");
        assertFailure(duplicate, FailureType.JobFailed, "an earlier delivery of this job failed");
        assertUnchanged(alb, before);
    }

    @Test
    void ruleWriteFailingAmongConcurrentWritesRestoresEveryRuleThatWasWritten() throws Exception {
        AlbFixture alb = AlbFixture.create(moto, "app-alb");
        String blue = alb.targetGroup("app-blue", "true", "10.0.1.10");
        String green = alb.targetGroup("app-green", "false", "10.0.2.10");
        String live = alb.listener(80, forward(blue));
        String test = alb.listener(8080, forward(green));
        for (int priority = 1; priority <= 20; priority++) {
            alb.rule(live, priority, forward(blue), pathPattern("/p" + priority + "/*"));
            alb.rule(test, priority, forward(green), pathPattern("/p" + priority + "/*"));
        }
        List<String> liveBefore = alb.routing(80);
        List<String> testBefore = alb.routing(8080);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            // writes go out several at a time: the 13th rule write fails while others are in flight
            proxy.failQueryAction("ModifyRule", 12, 1, 400, "ValidationError", "injected failure");
            CodePipelineRecorder.Report report = run(handler(proxy.endpoint()), "job-1", "app-alb");
            assertFailure(report, FailureType.JobFailed, "injected failure", "was put back",
                    "reading back confirms traffic is as before");
            // K rule writes went through (12 before the failing one, maybe a few in flight beside it), one failed,
            // and the restore wrote each of the K back: 2K + 1 ModifyRule calls
            long ruleCalls = proxy.count("ModifyRule");
            assertTrue(ruleCalls >= 25 && ruleCalls % 2 == 1, ruleCalls + " ModifyRule calls: " + proxy.actions());
        }
        assertEquals(liveBefore, alb.routing(80));
        assertEquals(testBefore, alb.routing(8080));
        assertEquals("true", alb.isProduction(blue));
    }

    @Test
    void throttlingAndServerErrorsAreRetriedBySdk() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            proxy.failQueryAction("ModifyListener", 0, 1, 400, "Throttling", "Rate exceeded");
            proxy.failQueryAction("AddTags", 1, 1, 503, "ServiceUnavailable", "injected blip");
            assertEquals(SUCCESS, run(handler(proxy.endpoint()), "job-1", "app-alb").target());
            assertEquals(3, proxy.count("ModifyListener"), "one throttled attempt, then the two writes");
            assertEquals(5, proxy.count("AddTags"), "job record, a failed and a retried flip, the second flip, done");
        }
        assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(80));
    }

    @Test
    void tagWriteFailingMovesNoTraffic() throws Exception {
        Map<Integer, List<String>> before = new HashMap<>();
        AlbFixture alb = referenceWithSnapshot(before);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            // AddTags #0 records the job; from #1 on (the IsProduction flips, written before any route) it is down
            proxy.failQueryAction("AddTags", 1, Integer.MAX_VALUE, 503, "ServiceUnavailable", "injected outage");
            CodePipelineRecorder.Report report = run(handler(proxy.endpoint()), "job-1", "app-alb");
            assertFailure(report, FailureType.JobFailed, "elasticloadbalancing:AddTags", "injected outage",
                    "reading back confirms traffic is as before");
            assertEquals(0, proxy.count("ModifyListener") + proxy.count("ModifyRule"), proxy.actions().toString());
        }
        assertUnchanged(alb, before);
    }

    @Test
    void tagWriteRefusedByIamChangesNoRouting() throws Exception {
        Map<Integer, List<String>> before = new HashMap<>();
        AlbFixture alb = referenceWithSnapshot(before);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            // the role may tag the load balancer (the job record) but not the target groups
            proxy.failQueryAction("AddTags", 1, Integer.MAX_VALUE, 403, "AccessDenied", "not authorized to perform: "
                    + "elasticloadbalancing:AddTags on resource: targetgroup/app-green");
            CodePipelineRecorder.Report report = run(handler(proxy.endpoint()), "job-1", "app-alb");
            assertFailure(report, FailureType.PermissionError, "not allowed to call elasticloadbalancing:AddTags");
            assertEquals(0, proxy.count("ModifyListener") + proxy.count("ModifyRule"), proxy.actions().toString());
        }
        assertUnchanged(alb, before);
    }

    @Test
    void targetGroupOutsideTheRolesScopeIsRefusedBeforeAnyWrite() throws Exception {
        Map<Integer, List<String>> before = new HashMap<>();
        AlbFixture alb = referenceWithSnapshot(before);
        env.put("TARGET_GROUP_ARNS", alb.targetGroupArn("app-blue") + ",arn:aws:elasticloadbalancing:*:*:targetgroup/other-*/*");
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            CodePipelineRecorder.Report report = run(handler(proxy.endpoint()), "job-1", "app-alb");
            assertFailure(report, FailureType.ConfigurationError, "app-green", "TargetGroupArns", "Nothing was changed");
            assertEquals(0, proxy.count("ModifyListener") + proxy.count("ModifyRule"), proxy.actions().toString());
        }
        assertUnchanged(alb, before);
        env.put("TARGET_GROUP_ARNS", "arn:aws:elasticloadbalancing:*:*:targetgroup/app-*/*");
        assertEquals(SUCCESS, run("job-2", "app-alb").target());
    }

    @Test
    void failedRestoreSaysExactlyWhereTrafficIs() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            proxy.failQueryAction("ModifyRule", 0, Integer.MAX_VALUE, 400, "ValidationError", "rule write refused");
            proxy.failQueryAction("ModifyListener", 1, Integer.MAX_VALUE, 400, "ValidationError", "listener write refused");
            CodePipelineRecorder.Report report = run(handler(proxy.endpoint()), "job-1", "app-alb");
            assertFailure(report, FailureType.JobFailed, "RESTORE INCOMPLETE",
                    "Could not put back live :80 default action",
                    "The listeners are now: live :80 [default action → app-green, rule priority 1 → app-blue]",
                    "Before the swap they were: live :80 [default action → app-blue, rule priority 1 → app-blue]");
            assertEquals("restore-incomplete", alb.tags(alb.loadBalancerArn).get("ecs-bluegreen:job-state"));
        }
    }

    @Test
    void permissionDeniedIsAPermissionErrorNamingTheAction() throws Exception {
        Map<Integer, List<String>> before = new HashMap<>();
        AlbFixture alb = referenceWithSnapshot(before);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            proxy.failQueryAction("ModifyListener", 0, 1, 403, "AccessDenied",
                    "User: arn:aws:sts::123456789012:assumed-role/swap/fn is not authorized to perform: elasticloadbalancing:ModifyListener");
            assertFailure(run(handler(proxy.endpoint()), "job-1", "app-alb"), FailureType.PermissionError,
                    "not allowed to call elasticloadbalancing:ModifyListener");
        }
        assertUnchanged(alb, before);
    }

    @Test
    void failureMessagesAreCutToWhatCodePipelineAccepts() throws Exception {
        Map<Integer, List<String>> before = new HashMap<>();
        AlbFixture alb = referenceWithSnapshot(before);
        try (FaultInjectingProxy proxy = new FaultInjectingProxy(moto.endpoint())) {
            proxy.failQueryAction("DescribeLoadBalancers", 0, 1, 400, "ValidationError", "x".repeat(8000));
            CodePipelineRecorder.Report report = run(handler(proxy.endpoint()), "job-1", "app-alb");
            assertFailure(report, FailureType.JobFailed, "elasticloadbalancing:DescribeLoadBalancers");
            assertEquals(SwapHandler.MAX_MESSAGE, report.failureMessage().length(), "PutJobFailureResult allows 5000");
            assertTrue(report.failureMessage().endsWith("…"), report.failureMessage());
        }
        assertUnchanged(alb, before);
    }

    @Test
    void interruptedSwapOfTheSameJobIsPutBackOnRedeliveryNeverFinished() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        String blue = alb.targetGroupArn("app-blue");
        String green = alb.targetGroupArn("app-green");
        // what a delivery killed after flipping the tags and rewriting the live listener leaves behind
        alb.elb.addTags(b -> b.resourceArns(alb.loadBalancerArn).tags(
                t -> t.key("ecs-bluegreen:job-id").value("job-1"), t -> t.key("ecs-bluegreen:job-state").value("swapping"),
                t -> t.key("ecs-bluegreen:live-target-group").value(green), t -> t.key("ecs-bluegreen:test-target-group").value(blue),
                t -> t.key("ecs-bluegreen:live-target-group-was-production").value("false"),
                t -> t.key("ecs-bluegreen:test-target-group-was-production").value("true"),
                t -> t.key("ecs-bluegreen:unswapped-routes").value("")));
        alb.elb.addTags(b -> b.resourceArns(green).tags(t -> t.key("IsProduction").value("true")));
        alb.elb.addTags(b -> b.resourceArns(blue).tags(t -> t.key("IsProduction").value("false")));
        alb.elb.modifyListener(b -> b.listenerArn(alb.listenerOnPort(80)).defaultActions(forward(green)));
        alb.elb.modifyRule(b -> b.ruleArn(alb.rules(80).get(1).ruleArn()).actions(forward(green)));

        // a new approval must refuse, and say why
        assertFailure(run("job-2", "app-alb"), FailureType.ConfigurationError, "same target group [app-green]",
                "job job-1 ended swapping");
        // the redelivered interrupted job puts back instead of finishing the swap nobody reported
        CodePipelineRecorder.Report report = run("job-1", "app-alb");
        assertFailure(report, FailureType.JobFailed, "interrupted while swapping", "puts back what it changed",
                "reading back confirms traffic is as before");
        assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(80));
        assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(8080));
        assertEquals("true", alb.isProduction(blue));
        assertEquals("false", alb.isProduction(green));
        assertEquals("restored", alb.tags(alb.loadBalancerArn).get("ecs-bluegreen:job-state"));
        // and a third delivery changes nothing
        assertFailure(run("job-1", "app-alb"), FailureType.JobFailed, "does not swap");
        assertEquals(List.of("default=app-blue", "1=app-blue"), alb.routing(80));
    }

    // ------------------------------------------------------------------ reporting

    @Test
    void reportThatDoesNotGoThroughFailsTheInvocationAndTheRetryDoesNotSwapBack() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        codePipeline.answerServerError(3);
        assertThrows(AwsCallException.class, () -> invoke(handler(), event("job-1", "app-alb"), new TestLambdaContext()));
        assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(80));
        codePipeline.take();
        codePipeline.take();
        codePipeline.take();

        CodePipelineRecorder.Report retry = run("job-1", "app-alb");
        assertEquals(SUCCESS, retry.target());
        assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(80));
    }

    @Test
    void rawEventAndCredentialsNeverReachTheLogs() throws Exception {
        AlbFixture.reference(moto);
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        TestLambdaContext context = new TestLambdaContext();
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
            codePipeline.answerOk();
            invoke(handler(), EventFiles.read("codepipeline-job.json"), context);
            codePipeline.answerOk();
            invoke(handler(), event("job-bad", "{not json"), context);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        String everything = context.log() + "\n" + console.toString(StandardCharsets.UTF_8);
        assertTrue(context.log().contains("\"message\":\"swapped\""), context.log());
        for (String secret : List.of("artifactCredentials", "ASIAEXAMPLEEXAMPLE01", "EXAMPLEKEY", "SESSIONTOKEN",
                "secretAccessKey", "sessionToken", "encryptionKey")) {
            assertFalse(everything.contains(secret), secret + " leaked into the logs:\n" + everything);
        }
        LogSchema.Lines lines = LogSchema.check(context.logLines(), SwapHandler.SERVICE, context.getAwsRequestId());
        assertTrue(lines.logs().stream().anyMatch(l -> l.path("jobId").asText().equals("job-bad")), context.log());
        assertTrue(lines.logs().stream().anyMatch(l -> l.path("message").asText().equals("routing changed")
                && l.path("cutoverMillis").asDouble() > 0), context.log());
        assertEquals(List.of(1.0), lines.values("Succeeded"));
        assertEquals("allAtOnce", lines.lineOf("Succeeded").path("Strategy").asText());
        assertEquals("app-alb", lines.lineOf("Succeeded").path("LoadBalancer").asText());
        assertEquals(List.of(1.0), lines.values("Failed"));
        assertEquals("ConfigurationError", lines.lineOf("Failed").path("Reason").asText());
        assertEquals(1, lines.values("CutoverMillis").size());
        assertEquals(2, lines.values("Duration").size());
        assertTrue(lines.values("RestoreIncomplete").isEmpty());
    }

    @Test
    void continuationEventIsHandledAsTheSameKindOfJob() throws Exception {
        AlbFixture alb = AlbFixture.reference(moto);
        codePipeline.answerOk();
        invoke(handler(), EventFiles.read("codepipeline-job-continuation.json"), new TestLambdaContext());
        CodePipelineRecorder.Report report = codePipeline.take();
        assertEquals(SUCCESS, report.target());
        assertEquals("33333333-abcd-3333-abcd-333333abcdef", report.body().get("jobId").asText());
        assertFalse(report.body().has("continuationToken"), "the swap finishes in one invocation");
        assertEquals(List.of("default=app-green", "1=app-green"), alb.routing(80));
    }
}
