package dev.ecsbluegreen.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.testing.Moto;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The command-line tool against moto: what it prints and its exit status. */
class CliIT {
    @RegisterExtension
    static final Moto moto = new Moto();

    EcsFixture fx;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        fx = new EcsFixture(moto);
        env = Map.of("LIVE_LISTENER_ARN", fx.live, "TEST_LISTENER_ARN", fx.test,
                "TARGET_GROUP_ARNS", fx.blueGroup + "," + fx.greenGroup, "ECS_CLUSTER", EcsFixture.CLUSTER);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    record Run(int status, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    Run answering(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(args, env::get, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                () -> new Cli.Wiring(fx.controllerEcs(moto), fx.controllerListeners(moto), Clock.systemUTC(),
                        d -> Thread.sleep(d.toMillis())));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Run cli(String... args) {
        return answering("", args);
    }

    @Test
    void deployPrintsEachReadAndWriteAndExitsZero() {
        Run run = cli("deploy", "--service", "app", "--image", "registry.example.com/app:2.0");

        assertEquals(0, run.status(), run.out() + run.err());
        String release = Images.parse(List.of("registry.example.com/app:2.0")).releaseId();
        List<String> lines = run.lines();
        assertEquals("[   0s] deploy release " + release + " of service app in cluster prod", lines.get(0));
        assertTrue(lines.get(1).matches("\\[ +\\d+s\\]   desired 2; ecs-svc/\\d+ PRIMARY app:1 → app-blue, \\?/\\? running, "
                + "STEADY_STATE; live → app-blue, test → app-blue"), lines.get(1));
        List<String> writes = lines.stream().filter(l -> l.contains("] → ")).map(l -> l.substring(l.indexOf("→ ") + 2)).toList();
        assertEquals(List.of(
                "register a task definition from app:1 with {web=registry.example.com/app:2.0} (release " + release + ")",
                "create task set of app:2 on app-green at 100 % (release " + release + ")",
                "test listener → app-green"), writes);
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("deploy succeeded: green ecs-svc/\\d+ ACTIVE release " + release + " app:2 → app-green, \\?/\\? running, "
                + "STEADY_STATE; test listener → app-green, live listener → app-blue \\(blue ecs-svc/\\d+\\)"), last);
    }

    @Test
    void jsonOutputIsOneDocumentOnStdoutWithProgressOnStderr() throws Exception {
        assertEquals(0, cli("deploy", "--service", "app", "--image", "app:2").status());

        Run run = cli("promote", "--service", "app", "--image", "app:2", "--output", "json");

        assertEquals(0, run.status(), run.err());
        JsonNode doc = Json.newMapper().readTree(run.out());
        assertEquals(1, run.lines().size());
        assertEquals("promote", doc.path("action").asText());
        assertEquals("succeeded", doc.path("result").asText());
        assertEquals(0, doc.path("exitStatus").asInt());
        assertEquals("app-green", doc.path("live").asText());
        assertEquals("app-blue", doc.path("test").asText());
        assertEquals(Images.parse(List.of("app:2")).releaseId(), doc.path("outputs").path("release").asText());
        List<String> primaries = new ArrayList<>();
        doc.path("taskSets").forEach(t -> {
            if ("PRIMARY".equals(t.path("status").asText())) {
                primaries.add(t.path("release").asText());
            }
        });
        assertEquals(List.of(Images.parse(List.of("app:2")).releaseId()), primaries);
        assertTrue(run.err().contains("] → live listener → app-green"), run.err());
    }

    @Test
    void aGreenThatNeverStabilisesExitsOneRolledBack() {
        fx.neverStabilises(Images.parse(List.of("app:2")).releaseId());

        Run run = cli("deploy", "--service", "app", "--image", "app:2", "--wait-timeout", "1s", "--poll-interval", "1s");

        assertEquals(1, run.status(), run.out());
        assertTrue(run.out().contains("waiting: green ecs-svc/"), run.out());
        String last = run.lines().get(run.lines().size() - 1);
        assertTrue(last.startsWith("deploy rolled back: green did not reach STEADY_STATE within 1 s"), last);
        assertTrue(last.contains("Its task set was scaled to 0 and deleted"), last);
        assertEquals(List.of("PRIMARY app-blue app:1"), fx.taskSets());
    }

    @Test
    void cleanupBeforePromoteIsRefusedWithExitOne() {
        assertEquals(0, cli("deploy", "--service", "app", "--image", "app:2").status());

        Run run = cli("cleanup", "--service", "app", "--image", "app:2");

        assertEquals(1, run.status());
        assertTrue(run.lines().get(run.lines().size() - 1).startsWith("cleanup refused: release "), run.out());
        assertEquals(2, fx.taskSets().size());
    }

    @Test
    void badUsageExitsTwoWithTheUsageAndCallsNoAws() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(new String[] {"deploy", "--service", "app"}, env::get, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), () -> {
                    throw new AssertionError("no AWS client may be built for bad usage");
                });
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("ecs-bluegreen: deploy needs the new image"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: java -jar controller.jar ACTION"));
        assertEquals(2, cli("ship", "--service", "app").status());
    }

    @Test
    void aServiceThatIsNotExternalIsAConfigurationErrorWithExitTwo() {
        fx.ecs.createService(b -> b.cluster(EcsFixture.CLUSTER).serviceName("rolling").desiredCount(1));

        Run run = cli("status", "--service", "rolling");

        assertEquals(2, run.status());
        assertTrue(run.out().contains("deploymentController EXTERNAL"), run.out());
    }

    @Test
    void waitForApprovalPromotesOnlyWhenTheOperatorSaysPromote() {
        Run approved = answering("promote\n", "deploy", "--service", "app", "--image", "app:2", "--wait-for-approval");
        assertEquals(0, approved.status(), approved.out());
        assertEquals("app-green", fx.routing(fx.live));
        assertTrue(approved.lines().get(approved.lines().size() - 1).startsWith("promote succeeded: release "), approved.out());

        assertEquals(0, cli("cleanup", "--service", "app", "--image", "app:2").status());
        Run declined = answering("no\n", "deploy", "--service", "app", "--image", "app:3", "--wait-for-approval");
        assertEquals(1, declined.status(), declined.out());
        assertTrue(declined.lines().get(declined.lines().size() - 1).startsWith("deploy rolled back: not approved (\"no\")"),
                declined.out());
        assertEquals("app-green", fx.routing(fx.live));
        assertEquals("app-green", fx.routing(fx.test));
        assertEquals(List.of("PRIMARY app-green app:2"), fx.taskSets());
    }
}
