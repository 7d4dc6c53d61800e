package dev.ecsbluegreen.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ecsbluegreen.sandbox.aws.Emulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end test of the project: the sandbox as {@code ./sandbox.sh} runs it — moto, the demo apps, the local
 * listeners, and the functions' real shaded jars in their own JVMs with the real events — through each scenario.
 */
class SandboxIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void functionJarsAreBuilt() {
        Path root = Sandbox.repositoryRoot();
        for (String jar : List.of("swap-function/target/swap-function.jar", "hooks/target/hooks.jar",
                "controller/target/controller.jar")) {
            assertTrue(Files.isRegularFile(root.resolve(jar)), () -> root.resolve(jar)
                    + " is missing: the reactor builds it before this module (./mvnw verify, or ./mvnw -DskipTests install first)");
        }
    }

    @Test
    void healthyGreenIsReleasedThroughEveryHookThenRolledBackByTheNextApproval() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        URI live;
        URI test;
        URI moto;
        boolean sharedMoto;
        String blue;
        String green;
        Release.Result result;
        List<ReportRecorder.Report> reports;
        try (SandboxEnvironment env = SandboxEnvironment.start(Sandbox.repositoryRoot(), DemoApp.Mode.HEALTHY)) {
            live = env.dataPlane().url(Emulator.LIVE_PORT);
            test = env.dataPlane().url(Emulator.TEST_PORT);
            moto = env.moto().endpoint();
            sharedMoto = env.moto().external();
            blue = env.names().blueTargetGroup();
            green = env.names().greenTargetGroup();
            assertEquals("hello from blue v1\n", get(live).body());
            assertEquals("hello from green v2\n", get(test).body());

            result = new Release(env, new FunctionRunner(), Approver.always(), print(printed), false).run(true);
            reports = env.recorder().reports();

            assertEquals("hello from blue v1\n", get(live).body(), "after the rollback live is blue again");
            assertEquals(blue, get(live).headers().firstValue(DataPlane.SERVED_BY).orElseThrow());
        }

        assertTrue(result.succeeded(), printed::toString);
        assertTrue(result.released());
        assertTrue(result.rolledBack());
        assertEquals(List.of("before the release", "hook AfterAllowTestTraffic", "hook BeforeAllowTraffic",
                "approval: release green", "swap (CodePipeline job) #1", "hook AfterAllowTraffic",
                "approval: roll back", "rollback (next CodePipeline job) #2"),
                result.steps().stream().map(Release.Step::name).toList());
        Release.Step beforeSwap = result.steps().get(3);
        assertEquals(new Release.Served(blue, "v1"), beforeSwap.live());
        assertEquals(new Release.Served(green, "v2"), beforeSwap.test());
        Release.Step swapped = result.steps().get(4);
        assertEquals("PutJobSuccessResult", swapped.verdict());
        assertEquals(new Release.Served(green, "v2"), swapped.live());
        assertEquals(new Release.Served(blue, "v1"), swapped.test());
        assertEquals(green, swapped.production());
        Release.Step rolledBack = result.steps().get(7);
        assertEquals(new Release.Served(blue, "v1"), rolledBack.live());
        assertEquals(blue, rolledBack.production());

        assertEquals(List.of("PutLifecycleEventHookExecutionStatus", "PutLifecycleEventHookExecutionStatus",
                "PutJobSuccessResult", "PutLifecycleEventHookExecutionStatus", "PutJobSuccessResult"),
                reports.stream().map(ReportRecorder.Report::operation).toList());
        reports.forEach(report -> assertNull(report.error(), report::describe));
        reports.stream().filter(r -> r.service().equals("codedeploy"))
                .forEach(r -> assertEquals("Succeeded", r.body().path("status").asText(), r::describe));
        assertEquals(2, reports.stream().map(r -> r.body().path("jobId").asText()).filter(id -> !id.isEmpty())
                .distinct().count(), "the rollback is a new CodePipeline job");
        assertTrue(printed.toString().contains("report endpoint ← codepipeline PutJobSuccessResult"), printed::toString);

        for (URI stopped : sharedMoto ? List.of(live, test) : List.of(live, test, moto)) {
            assertThrows(IOException.class, () -> get(stopped), stopped + " still answers after the sandbox stopped");
        }
    }

    @Test
    void yourOwnApplicationsAreReleasedWithTheHooksDefaultCheck() throws Exception {
        HttpServer yourBlue = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        HttpServer yourGreen = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> greenSaw = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        yourBlue.createContext("/", exchange -> answer(exchange, "my old version\n"));
        yourGreen.createContext("/", exchange -> {
            greenSaw.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            answer(exchange, "my new version\n");
        });
        yourBlue.start();
        yourGreen.start();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            Sandbox.Options options = Sandbox.Options.parse(List.of("demo", "--yes", "--no-rollback",
                    "--blue-url", "http://localhost:" + yourBlue.getAddress().getPort(),
                    "--green-url", "http://127.0.0.1:" + yourGreen.getAddress().getPort()));

            Release.Result result = Sandbox.run(options, Approver.always(), print(printed));

            assertTrue(result.succeeded(), printed::toString);
            assertTrue(result.released(), printed::toString);
            Release.Step swapped = result.steps().get(4);
            assertEquals("HTTP 200", swapped.live().answer(), "live is served by your green: " + printed);
            assertTrue(greenSaw.contains("GET /"), "the hooks' default check reached your green: " + greenSaw);
            assertTrue(printed.toString().contains("green yours"), printed::toString);
            // the sandbox stopped only what it started: your applications still answer
            assertEquals("my new version\n", get(URI.create("http://127.0.0.1:" + yourGreen.getAddress().getPort())).body());
        } finally {
            yourBlue.stop(0);
            yourGreen.stop(0);
        }
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void brokenGreenIsStoppedByTheFirstHookAndLiveTrafficNeverLeavesBlue() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Sandbox.Options options = Sandbox.Options.parse(List.of("demo", "--broken-green", "--yes"));

        Release.Result result = Sandbox.run(options, Approver.always(), print(printed));

        assertFalse(result.succeeded());
        assertEquals("AfterAllowTestTraffic", result.stoppedAt());
        assertEquals(List.of("before the release", "hook AfterAllowTestTraffic"),
                result.steps().stream().map(Release.Step::name).toList());
        String blue = blueOf(result);
        Release.Step hook = result.steps().get(1);
        assertEquals("Failed", hook.verdict());
        assertEquals("HTTP 500", hook.test().answer());
        result.steps().forEach(step -> {
            assertEquals(new Release.Served(blue, "v1"), step.live(), step.name());
            assertEquals(blue, step.production(), step.name());
        });
        assertEquals(List.of("codedeploy PutLifecycleEventHookExecutionStatus"),
                hook.reports().stream().map(r -> r.service() + " " + r.operation()).toList(),
                "one Failed report, and no CodePipeline job ever ran");
        assertEquals("Failed", hook.reports().get(0).body().path("status").asText());
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("release STOPPED at AfterAllowTestTraffic; the swap was never run; "
                + "live traffic never left " + blue), output);
        assertTrue(output.contains("status 500, expected 200"), "the hook's reason is shown:\n" + output);
    }

    @Test
    void slowGreenFailsTheLatencyLimitOfTheChecks() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Release.Result result = Sandbox.run(Sandbox.Options.parse(List.of("--slow-green", "--yes")),
                Approver.always(), print(printed));

        assertEquals("AfterAllowTestTraffic", result.stoppedAt());
        assertEquals("Failed", result.steps().get(1).verdict());
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("limit 1000 ms"), printed::toString);
        result.steps().forEach(step -> assertEquals(blueOf(result), step.live().routedTo(), step.name()));
    }

    @Test
    void greenFailingUnderLiveTrafficFailsAfterAllowTrafficAndIsRolledBackAtOnce() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Release.Result result = Sandbox.run(Sandbox.Options.parse(List.of("--green-fails-live", "--yes")),
                Approver.always(), print(printed));

        String blue = blueOf(result);
        assertFalse(result.succeeded());
        assertEquals("AfterAllowTraffic", result.stoppedAt());
        assertTrue(result.rolledBack(), printed::toString);
        assertEquals(List.of("-", "Succeeded", "Succeeded", "approved", "PutJobSuccessResult", "Failed", "PutJobSuccessResult"),
                result.steps().stream().map(Release.Step::verdict).toList(), printed::toString);
        assertEquals("HTTP 500", result.steps().get(5).live().answer(), "green fails only through the live listener");
        assertEquals("v2", result.steps().get(2).test().answer(), "and passed the hooks through the test listener");
        Release.Step rolledBack = result.steps().get(6);
        assertEquals(new Release.Served(blue, "v1"), rolledBack.live());
        assertEquals(blue, rolledBack.production());
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains(
                "release STOPPED at AfterAllowTraffic; rolled back at once: live traffic is on " + blue + " again"),
                printed::toString);
    }

    @Test
    void aRejectedApprovalStopsTheReleaseBeforeTheSwap() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Sandbox.Options options = Sandbox.Options.parse(List.of());

        Release.Result result = Sandbox.run(options, question -> false, print(printed));

        assertEquals("approval", result.stoppedAt());
        assertEquals(List.of("Succeeded", "Succeeded", "rejected"),
                result.steps().stream().skip(1).map(Release.Step::verdict).toList());
        assertTrue(result.steps().stream().flatMap(step -> step.reports().stream())
                .noneMatch(report -> report.service().equals("codepipeline")), printed::toString);
        result.steps().forEach(step -> assertEquals(blueOf(result), step.live().routedTo(), step.name()));
    }

    @Test
    void ecsLinearReleaseOfAHealthyGreenShiftsLiveTrafficInThreeStepsThroughTheRealHookUnderLoad() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Sandbox.Run run = Sandbox.execute(Sandbox.Options.parse(List.of("--ecs-linear")), Approver.always(), print(printed));

        Release.Result result = run.result();
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(result.succeeded(), output);
        assertEquals(List.of("before the release", "POST_TEST_TRAFFIC_SHIFT",
                "step 1: PRE_PRODUCTION_TRAFFIC_SHIFT", "step 1: live rule to 33 %", "step 1: PRODUCTION_TRAFFIC_SHIFT",
                "step 2: PRE_PRODUCTION_TRAFFIC_SHIFT", "step 2: live rule to 66 %", "step 2: PRODUCTION_TRAFFIC_SHIFT",
                "step 3: PRE_PRODUCTION_TRAFFIC_SHIFT", "step 3: live rule to 100 %", "step 3: PRODUCTION_TRAFFIC_SHIFT",
                "POST_PRODUCTION_TRAFFIC_SHIFT"), result.steps().stream().map(Release.Step::name).toList());
        result.steps().stream().skip(1).forEach(step -> assertTrue(step.verdict().equals("ModifyRule")
                        || step.verdict().matches("SUCCEEDED( \\(\\d+ calls\\))?"), step.name() + " " + step.verdict() + "\n" + output));
        // each production step baked: green was measured against blue while both took live traffic, then judged alone
        assertTrue(result.steps().get(4).verdict().startsWith("SUCCEEDED ("), result.steps().get(4).verdict());
        assertTrue(output.contains("measurement green vs blue: SUCCESSFUL — green 5xx ratio 0 %"), output);
        assertTrue(output.contains("green vs blue: not compared, green takes 100 % of live traffic"), output);
        String green = blueOf(result).replace("app-blue", "app-green");
        assertTrue(result.steps().get(4).live().routedTo().contains(":67,") && result.steps().get(4).live().routedTo().contains(green + ":33"),
                result.steps().get(4).live().routedTo());
        assertEquals("v2", result.steps().get(result.steps().size() - 1).live().answer(), "green serves all live traffic at the end");

        LoadGenerator.Tally traffic = run.traffic();
        assertTrue(traffic.served("v1") > 20 && traffic.served("v2") > 20, "both versions served live traffic: " + traffic);
        assertEquals(0, traffic.errors("v1") + traffic.errors("v2"), traffic::toString);
        Map<String, Double> greenMetrics = run.metrics().get(green);
        assertTrue(greenMetrics.get("RequestCount") >= traffic.served("v2"),
                "moto's CloudWatch counts every request green's target group served (the hooks' checks too): " + run.metrics());
        assertEquals(0.0, greenMetrics.get("HTTPCode_Target_5XX_Count"));
        assertTrue(output.contains("live traffic since the last row: blue v1 "), output);
        assertTrue(output.contains("release SUCCEEDED: Amazon ECS shifted live traffic to green in steps (33 % → 66 % → 100 %)"), output);
    }

    /**
     * A green failing 5 % of the API passes every smoke test; the load balancer's metrics in moto show its 5xx, the
     * hook's green-versus-blue analysis fails the first step on them, and live traffic rolls back to blue.
     */
    @Test
    void ecsLinearGreenFailingFivePercentOfTheApiPassesEverySmokeTestButFailsGreenVersusBlueAndRollsBack() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Sandbox.Run run = Sandbox.execute(Sandbox.Options.parse(List.of("--ecs-linear", "--green-error-rate", "5")),
                Approver.always(), print(printed));

        Release.Result result = run.result();
        String output = printed.toString(StandardCharsets.UTF_8);
        Release.Step smokeTests = result.steps().get(1);
        assertEquals("POST_TEST_TRAFFIC_SHIFT", smokeTests.name());
        assertEquals("SUCCEEDED", smokeTests.verdict(), output);
        assertTrue(output.contains("verdict: 2 check(s) and 0 gate(s) passed"), output);
        assertFalse(output.contains("expected 200"), "no smoke test saw a 500:\n" + output);

        LoadGenerator.Tally traffic = run.traffic();
        String blue = blueOf(result);
        String green = blue.replace("app-blue", "app-green");
        assertTrue(traffic.errors("v2") > 0, "green failed some live requests: " + traffic + "\n" + output);
        assertEquals(0, traffic.errors("v1"), traffic::toString);
        assertEquals((double) traffic.errors("v2"), run.metrics().get(green).get("HTTPCode_Target_5XX_Count"),
                "moto's CloudWatch holds every 5xx green answered, and only those: " + run.metrics());
        assertEquals(0.0, run.metrics().get(blue).get("HTTPCode_Target_5XX_Count"), run.metrics()::toString);
        assertTrue(output.contains("green v2 5xx "), output);
        // the hook's green-versus-blue analysis sees it at the first step, and Amazon ECS (the sandbox) rolls back
        assertFalse(result.succeeded(), output);
        assertEquals("step 1: PRODUCTION_TRAFFIC_SHIFT (33 %)", result.stoppedAt(), output);
        assertTrue(result.rolledBack(), output);
        assertTrue(output.contains("measurement green vs blue: FAILED — green 5xx ratio"), output);
        assertEquals("v1", result.steps().get(result.steps().size() - 1).live().answer(), output);
    }

    @Test
    void theSwapFunctionsCanaryBakesTenPercentJudgedAgainstBlueThenSwaps() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Sandbox.Run run = Sandbox.execute(Sandbox.Options.parse(List.of("--canary", "--yes", "--no-rollback")),
                Approver.always(), print(printed));

        Release.Result result = run.result();
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(result.succeeded(), output);
        String blue = blueOf(result);
        String green = blue.replace("app-blue", "app-green");
        Release.Step canary = result.steps().stream().filter(step -> step.name().startsWith("swap: step in place"))
                .findFirst().orElseThrow(() -> new AssertionError("no canary step:\n" + output));
        assertTrue(canary.live().routedTo().contains(blue + ":90,") && canary.live().routedTo().contains(green + ":10"),
                canary.live().routedTo());
        assertEquals(blue, canary.production(), "IsProduction stays on blue until the last step");
        assertTrue(output.contains("measurement green vs blue: SUCCESSFUL"), output);
        Release.Step last = result.steps().stream().filter(step -> step.name().startsWith("swap: last step")).findFirst()
                .orElseThrow(() -> new AssertionError("no last step:\n" + output));
        assertEquals(green, last.live().routedTo());
        assertEquals(green, last.production());
        assertTrue(run.traffic().served("v2") > 0 && run.traffic().errors("v2") == 0, run.traffic()::toString);
    }

    @Test
    void theSwapFunctionsCanaryCatchesAGreenFailingFivePercentOfLiveRequestsAndPutsTrafficBack() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Sandbox.Run run = Sandbox.execute(Sandbox.Options.parse(List.of("--canary", "--green-error-rate", "5", "--yes")),
                Approver.always(), print(printed));

        Release.Result result = run.result();
        String output = printed.toString(StandardCharsets.UTF_8);
        assertFalse(result.succeeded(), output);
        assertTrue(result.rolledBack(), output);
        assertTrue(output.contains("the analysis failed at step 1 of 2 (green 10 %): green vs blue: failed"), output);
        assertTrue(output.contains("Traffic is back on " + blueOf(result)), output);
        Release.Step last = result.steps().get(result.steps().size() - 1);
        assertEquals("PutJobFailureResult", last.verdict());
        assertEquals(blueOf(result), last.live().routedTo());
        assertTrue(run.traffic().errors("v2") > 0, "green failed live requests before it was judged: " + run.traffic());
    }

    @Test
    void anOperatorsPromoteFinishesTheCanaryAtOnce() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Sandbox.Run run = Sandbox.execute(Sandbox.Options.parse(List.of("--canary", "--operator", "promote", "--yes",
                "--no-rollback")), Approver.always(), print(printed));

        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(run.result().succeeded(), output);
        assertTrue(output.contains("Key=ecs-bluegreen:command,Value=promote"), output);
        assertEquals(blueOf(run.result()).replace("app-blue", "app-green"),
                run.result().steps().get(run.result().steps().size() - 1).live().routedTo(), output);
    }

    /**
     * The external controller's whole release, deploy → promote → cleanup, through controller.jar in its own JVM per
     * CodePipeline job, with the demo apps standing in for the task sets' tasks under live load.
     */
    @Test
    void theExternalControllerDeploysGreenAsATaskSetPromotesItAndCleansUpBlue() {
        ExternalRun run = external(DemoApp.Mode.HEALTHY, Approver.always());

        Release.Result result = run.result();
        assertTrue(result.succeeded(), run.output());
        assertEquals(List.of("before the release", "deploy (CodePipeline job #1)", "approval: promote green",
                "promote (CodePipeline job #2)", "approval: keep green, clean up blue", "cleanup (CodePipeline job #3)"),
                result.steps().stream().map(Release.Step::name).toList(), run.output());
        String blue = run.blue();
        String green = run.green();
        Release.Step before = result.steps().get(0);
        assertEquals(new Release.Served(blue, "v1"), before.live());
        assertEquals(new Release.Served(green, "HTTP 503"), before.test(), "green's target group has no targets before the deploy");
        assertEquals(blue, before.production(), "blue's task set is the primary");
        Release.Step deployed = result.steps().get(1);
        assertEquals(new Release.Served(blue, "v1"), deployed.live());
        assertEquals(new Release.Served(green, "v2"), deployed.test(), "green's task set serves through the test listener");
        assertEquals(blue, deployed.production());
        Release.Step promoted = result.steps().get(3);
        assertEquals(new Release.Served(green, "v2"), promoted.live());
        assertEquals(new Release.Served(blue, "v1"), promoted.test());
        assertEquals(green, promoted.production(), "green's task set is the primary");
        Release.Step cleaned = result.steps().get(5);
        assertEquals(new Release.Served(green, "v2"), cleaned.live());
        assertEquals(new Release.Served(blue, "HTTP 503"), cleaned.test(), "blue's target group has no targets after the cleanup");
        assertEquals(green, cleaned.production());
        result.steps().subList(0, 3).forEach(step -> assertEquals(new Release.Served(blue, "v1"), step.live(), step.name()));

        assertReportsOnePerJob(result, Map.of(1, "PutJobSuccessResult", 3, "PutJobSuccessResult", 5, "PutJobSuccessResult"));
        JsonNode outputs = result.steps().get(1).reports().get(0).body().path("outputVariables");
        assertTrue(outputs.path("release").asText().startsWith("r-"), outputs::toString);
        assertTrue(outputs.path("taskSet").asText().startsWith("ecs-svc/"), outputs::toString);
        assertTrue(result.steps().get(1).reports().get(0).body().path("executionDetails").path("summary").asText()
                .contains("validated: 2 checks through"), "the deploy ran the checks against green itself: " + run.output());

        assertEquals(1, run.taskSets().size(), run.taskSets()::toString);
        Emulator.TaskSet left = run.taskSets().get(0);
        assertTrue(left.primary(), left::toString);
        assertEquals(run.greenArn(), left.targetGroupArn());
        assertEquals(Emulator.image("v2"), left.image());
        assertEquals("INACTIVE", run.blueDefinitionStatus(), "cleanup deregisters blue's task definition");
        assertEquals(Set.of(), run.bluePorts(), "blue's target group is empty");
        assertEquals(1, run.greenPorts().size(), "green's target group has green's stand-in task");

        assertOnlySuccessfulAnswers(run.traffic(), Set.of("v1", "v2"));
        assertTrue(run.traffic().served("v1") > 0 && run.traffic().served("v2") > 0, run.traffic()::toString);
        String conclusion = Sandbox.conclusion(result, Sandbox.Options.parse(List.of("--external", "--yes")));
        assertEquals("release SUCCEEDED: the external controller deployed green as a task set, promoted it and cleaned up blue",
                conclusion);
    }

    /**
     * {@code --external --canary}: the controller's promote sends 10 % of live traffic to green by weight between the
     * target groups, bakes it with green's task set steady, judges it with the deploy's checks, then moves the rest.
     */
    @Test
    void theExternalControllersCanaryPromoteWeighsLiveTrafficBakesAndJudgesGreenThenPromotesIt() {
        ExternalRun run = external(DemoApp.Mode.HEALTHY, Approver.always(), true);

        Release.Result result = run.result();
        assertTrue(result.succeeded(), run.output());
        String blue = run.blue();
        String green = run.green();
        assertTrue(run.output().contains("controller: → live listener → " + blue + " 90 % / " + green + " 10 %"), run.output());
        assertTrue(run.output().contains("controller: step 1 of 2 (live 10 % to green) baked 8 s; green passed its 2 checks"),
                run.output());
        assertTrue(run.output().contains("\"strategy\":{\"type\":\"canary\",\"percent\":10,\"bakeSeconds\":8}"), run.output());
        Release.Step promoted = result.steps().get(3);
        assertEquals("promote (CodePipeline job #2)", promoted.name());
        assertEquals(new Release.Served(green, "v2"), promoted.live());
        assertEquals(green, promoted.production(), "green's task set is the primary");
        assertOnlySuccessfulAnswers(run.traffic(), Set.of("v1", "v2"));
        assertEquals(1, run.taskSets().size(), run.taskSets()::toString);
        assertTrue(Sandbox.conclusion(result, Sandbox.Options.parse(List.of("--external", "--canary", "--yes")))
                .startsWith("release SUCCEEDED: the external controller deployed green as a task set, promoted it as a canary"));
    }

    /** The second approval answered no: the rollback job puts live traffic and the primary back on blue and deletes green. */
    @Test
    void theExternalControllerRollsBackAfterThePromoteWhenTheSecondApprovalIsRejected() {
        ExternalRun run = external(DemoApp.Mode.HEALTHY, question -> question.startsWith("Promote"));

        Release.Result result = run.result();
        assertTrue(result.succeeded(), run.output());
        assertTrue(result.rollbackApproved());
        assertTrue(result.rolledBack(), run.output());
        assertEquals(List.of("before the release", "deploy (CodePipeline job #1)", "approval: promote green",
                "promote (CodePipeline job #2)", "approval: keep green, clean up blue", "rollback (CodePipeline job #3)"),
                result.steps().stream().map(Release.Step::name).toList(), run.output());
        assertEquals("rejected: roll back", result.steps().get(4).verdict());
        assertEquals(new Release.Served(run.green(), "v2"), result.steps().get(3).live(), "green was live after the promote");
        Release.Step rolledBack = result.steps().get(5);
        assertEquals(new Release.Served(run.blue(), "v1"), rolledBack.live());
        assertEquals(run.blue(), rolledBack.production(), "blue's task set is the primary again");
        assertReportsOnePerJob(result, Map.of(1, "PutJobSuccessResult", 3, "PutJobSuccessResult", 5, "PutJobSuccessResult"));

        assertEquals(1, run.taskSets().size(), run.taskSets()::toString);
        assertTrue(run.taskSets().get(0).primary());
        assertEquals(run.blueArn(), run.taskSets().get(0).targetGroupArn(), "green's task set is gone: " + run.taskSets());
        assertEquals("ACTIVE", run.blueDefinitionStatus());
        assertEquals(Set.of(), run.greenPorts(), "green's target group is empty again");
        assertOnlySuccessfulAnswers(run.traffic(), Set.of("v1", "v2"));
        assertTrue(Sandbox.conclusion(result, Sandbox.Options.parse(List.of("--external"))).startsWith("release SUCCEEDED: "
                + "the external controller deployed green as a task set, promoted it; rolled back at the second approval: "
                + "live traffic is on " + run.blue() + " again"), run.output());
    }

    /** The deploy's own checks through the test listener fail green; the controller rolls it back, live never left blue. */
    @Test
    void theExternalControllersDeployRollsABrokenGreenBackItselfAndLiveTrafficNeverLeavesBlue() {
        ExternalRun run = external(DemoApp.Mode.BROKEN, Approver.always());

        Release.Result result = run.result();
        assertFalse(result.succeeded(), run.output());
        assertEquals("deploy", result.stoppedAt());
        assertTrue(result.rolledBack(), run.output());
        assertEquals(List.of("before the release", "deploy (CodePipeline job #1)"),
                result.steps().stream().map(Release.Step::name).toList(), "promote is never run: " + run.output());
        Release.Step deploy = result.steps().get(1);
        assertEquals("PutJobFailureResult", deploy.verdict());
        assertFalse(deploy.passed());
        assertReportsOnePerJob(result, Map.of(1, "PutJobFailureResult"));
        String message = deploy.reports().get(0).body().path("failureDetails").path("message").asText();
        assertTrue(message.startsWith("green failed its checks through the test listener"), message);
        assertTrue(message.contains("Its task set was scaled to 0 and deleted"), "the failure says green was rolled back: " + message);
        assertEquals(new Release.Served(run.blue(), "v1"), deploy.test(), "the test listener is back on blue");
        result.steps().forEach(step -> {
            assertEquals(new Release.Served(run.blue(), "v1"), step.live(), step.name());
            assertEquals(run.blue(), step.production(), step.name());
        });

        assertEquals(1, run.taskSets().size(), "green's task set is gone: " + run.taskSets());
        assertEquals(run.blueArn(), run.taskSets().get(0).targetGroupArn());
        assertEquals(Set.of(), run.greenPorts());
        assertOnlySuccessfulAnswers(run.traffic(), Set.of("v1"));
        assertTrue(run.traffic().served("v1") > 0, run.traffic()::toString);
        assertEquals("release STOPPED at deploy: the controller rolled green back itself (its task set scaled to 0 and "
                + "deleted); promote was never run; live traffic never left " + run.blue() + " (green was started with "
                + "--broken-green)", Sandbox.conclusion(result, Sandbox.Options.parse(List.of("--external", "--broken-green"))));
    }

    /** {@code ./sandbox.sh --external --yes} as other tooling runs it: its last line says the release succeeded. */
    @Test
    void theExternalModeFromTheCommandLineEndsInReleaseSucceeded() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Sandbox.Run run = Sandbox.execute(Sandbox.Options.parse(List.of("--external", "--yes")), Approver.always(), print(printed));

        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(run.result().succeeded(), output);
        assertTrue(output.contains("\nrelease SUCCEEDED: the external controller deployed green as a task set, promoted it "
                + "and cleaned up blue\n"), output);
        assertTrue(output.contains("with deploymentController EXTERNAL"), output);
        assertTrue(output.contains("primary task set on"), output);
        assertOnlySuccessfulAnswers(run.traffic(), Set.of("v1", "v2"));
    }

    /**
     * What an external controller's release left behind, read before the sandbox stopped.
     *
     * @param taskSets      the service's task sets at the end
     * @param bluePorts     blue's target group's loopback targets at the end
     */
    private record ExternalRun(Release.Result result, LoadGenerator.Tally traffic, String output, String blue, String green,
                               String blueArn, String greenArn, List<Emulator.TaskSet> taskSets, Set<Integer> bluePorts,
                               Set<Integer> greenPorts, String blueDefinitionStatus) {}

    private static ExternalRun external(DemoApp.Mode greenMode, Approver approver) {
        return external(greenMode, approver, false);
    }

    private static ExternalRun external(DemoApp.Mode greenMode, Approver approver, boolean canary) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (SandboxEnvironment env = SandboxEnvironment.startExternal(Sandbox.repositoryRoot(), greenMode, 0);
             LoadGenerator load = new LoadGenerator(env.dataPlane().url(Emulator.LIVE_PORT), DemoApp.ORDERS_PATH,
                     LoadGenerator.DEFAULT_RATE)) {
            List<Emulator.TaskSet> before = env.emulator().taskSets();
            assertEquals(1, before.size(), before::toString);
            String blueDefinition = before.get(0).taskDefinitionArn();
            Release.Result result = new ExternalRelease(env, new FunctionRunner(), approver, load, print(printed), false, canary)
                    .run(true);
            LoadGenerator.Tally traffic = load.stop();
            env.taskSetTargets().sync();
            Emulator.Created created = env.created();
            return new ExternalRun(result, traffic, printed.toString(StandardCharsets.UTF_8), env.names().blueTargetGroup(),
                    env.names().greenTargetGroup(), created.blueTargetGroupArn(), created.greenTargetGroupArn(),
                    env.emulator().taskSets(), env.emulator().registeredPorts(created.blueTargetGroupArn()),
                    env.emulator().registeredPorts(created.greenTargetGroupArn()),
                    env.emulator().taskDefinitionStatus(blueDefinition));
        }
    }

    /** Every step with a job has exactly the one report of its job ({@code step → operation}), the others none. */
    private static void assertReportsOnePerJob(Release.Result result, Map<Integer, String> operations) {
        for (int i = 0; i < result.steps().size(); i++) {
            Release.Step step = result.steps().get(i);
            String expected = operations.get(i);
            assertEquals(expected == null ? List.of() : List.of("codepipeline " + expected),
                    step.reports().stream().map(r -> r.service() + " " + r.operation()).toList(), step.name());
            step.reports().forEach(report -> assertNull(report.error(), report::describe));
        }
        assertEquals(operations.size(), result.steps().stream().flatMap(step -> step.reports().stream())
                .map(r -> r.body().path("jobId").asText()).distinct().count(), "every action is a new CodePipeline job");
    }

    /** The load generator got only 200s, each from one of {@code versions}. */
    private static void assertOnlySuccessfulAnswers(LoadGenerator.Tally traffic, Set<String> versions) {
        assertTrue(versions.containsAll(traffic.answers().keySet()), "answered by " + traffic);
        traffic.answers().values().forEach(statuses -> assertEquals(Set.of(200), statuses.keySet(), traffic::toString));
        assertTrue(traffic.total() > 0, "the load generator sent live traffic: " + traffic);
    }

    /** Blue's target group: where live traffic went before the release (app-blue, suffixed on a shared moto). */
    private static String blueOf(Release.Result result) {
        String blue = result.steps().get(0).live().routedTo();
        assertTrue(blue.startsWith("app-blue"), blue);
        return blue;
    }

    private static PrintStream print(ByteArrayOutputStream sink) {
        return new PrintStream(sink, true, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(URI url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(url.resolve("/")).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
