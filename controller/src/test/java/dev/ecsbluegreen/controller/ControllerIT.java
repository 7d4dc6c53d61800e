package dev.ecsbluegreen.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecsbluegreen.controller.Outcome.Failed;
import dev.ecsbluegreen.controller.Outcome.Reason;
import dev.ecsbluegreen.controller.Outcome.Succeeded;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.testing.Moto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The controller against moto through the real SDK: the whole release, repeated steps, a green that never stabilises. */
class ControllerIT {
    static final ObjectMapper MAPPER = Json.newMapper();
    @RegisterExtension
    static final Moto moto = new Moto();
    static final String IMAGE = "registry.example.com/app:2.0";

    EcsFixture fx;
    Controller controller;

    @BeforeEach
    void setUp() throws Exception {
        fx = new EcsFixture(moto);
        controller = fx.controller(moto);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    Outcome run(Action action) {
        return run(fx.request(action, IMAGE));
    }

    Outcome run(Request request) {
        return controller.run(request, Deadline.after(Duration.ofSeconds(60)), System.currentTimeMillis());
    }

    @Test
    void deployPromoteCleanupReleasesGreenAndRemovesBlue() {
        Outcome deployed = run(Action.DEPLOY);
        assertInstanceOf(Succeeded.class, deployed, deployed.message());
        assertEquals(List.of("PRIMARY app-blue app:1", "ACTIVE app-green app:2"), fx.taskSets());
        assertEquals("app-blue", fx.routing(fx.live));
        assertEquals("app-green", fx.routing(fx.test));
        assertEquals(IMAGE, fx.ecs
                .describeTaskDefinition(b -> b.taskDefinition("app:2")).taskDefinition().containerDefinitions().get(0).image());
        assertEquals(Images.parse(List.of(IMAGE)).releaseId(), ((Succeeded) deployed).outputs().get("release"));

        Outcome promoted = run(Action.PROMOTE);
        assertInstanceOf(Succeeded.class, promoted, promoted.message());
        assertEquals(List.of("ACTIVE app-blue app:1", "PRIMARY app-green app:2"), fx.taskSets());
        assertEquals("app-green", fx.routing(fx.live));
        assertEquals("app-blue", fx.routing(fx.test));

        Outcome cleaned = run(Action.CLEANUP);
        assertInstanceOf(Succeeded.class, cleaned, cleaned.message());
        assertEquals(List.of("PRIMARY app-green app:2"), fx.taskSets());
        assertEquals("INACTIVE", fx.definitionStatus("app:1"));
        assertEquals("ACTIVE", fx.definitionStatus("app:2"));
        assertEquals("app-green", fx.routing(fx.live));
    }

    @Test
    void everyStepRunTwiceWritesNothingTheSecondTime() {
        for (Action action : List.of(Action.DEPLOY, Action.PROMOTE, Action.CLEANUP)) {
            assertInstanceOf(Succeeded.class, run(action));
            int writes = fx.writes().size();
            Outcome again = run(action);
            assertInstanceOf(Succeeded.class, again, again.message());
            assertEquals(writes, fx.writes().size(), action + " wrote again: " + fx.writes().subList(writes, fx.writes().size()));
        }
        assertEquals(List.of("PRIMARY app-green app:2"), fx.taskSets());
    }

    @Test
    void aSecondDeployOfTheSameReleaseReusesItsTaskSetAndTaskDefinition() {
        assertInstanceOf(Succeeded.class, run(Action.DEPLOY));
        assertInstanceOf(Succeeded.class, run(Action.DEPLOY));
        assertEquals(1, fx.proxy.count("RegisterTaskDefinition"));
        assertEquals(1, fx.proxy.count("CreateTaskSet"));
        assertEquals(List.of("PRIMARY app-blue app:1", "ACTIVE app-green app:2"), fx.taskSets());
    }

    @Test
    void greenThatNeverStabilisesIsScaledToZeroAndDeletedWhileBlueServes() {
        String release = fx.request(Action.DEPLOY, IMAGE).releaseId();
        fx.neverStabilises(release);
        Request deploy = new Request(Action.DEPLOY, fx.target(), null, Images.parse(List.of(IMAGE)), Duration.ofSeconds(1), null);

        Outcome outcome = run(deploy);

        Failed failed = assertInstanceOf(Failed.class, outcome);
        assertEquals(Reason.ROLLED_BACK, failed.reason(), failed.message());
        assertTrue(failed.message().contains("did not reach STEADY_STATE within 1 s"), failed.message());
        assertEquals(List.of("PRIMARY app-blue app:1"), fx.taskSets());
        assertEquals("app-blue", fx.routing(fx.live));
        assertEquals("app-blue", fx.routing(fx.test));
        assertEquals("INACTIVE", fx.definitionStatus("app:2"));
        // green was scaled to 0 before it was deleted, and live traffic was never touched
        List<String> writes = fx.writes();
        assertTrue(writes.indexOf("UpdateTaskSet") < writes.indexOf("DeleteTaskSet"), writes.toString());
        assertTrue(fx.proxy.calls().stream().noneMatch(c -> "ModifyListener".equals(c.action()) && fx.live.equals(c.param("ListenerArn"))));
        assertTrue(fx.progress.stream().anyMatch(l -> l.contains("0/2 running, 2 pending") && l.contains("STABILIZING")),
                String.join("\n", fx.progress));
    }

    @Test
    void rollbackBeforePromoteDeletesGreenAndPointsTestBackAtBlue() {
        assertInstanceOf(Succeeded.class, run(Action.DEPLOY));

        Outcome outcome = run(Action.ROLLBACK);

        assertInstanceOf(Succeeded.class, outcome, outcome.message());
        assertEquals(List.of("PRIMARY app-blue app:1"), fx.taskSets());
        assertEquals("app-blue", fx.routing(fx.live));
        assertEquals("app-blue", fx.routing(fx.test));
        assertEquals("INACTIVE", fx.definitionStatus("app:2"));
        int writes = fx.writes().size();
        assertInstanceOf(Succeeded.class, run(Action.ROLLBACK));
        assertEquals(writes, fx.writes().size(), "a second rollback wrote");
    }

    @Test
    void rollbackAfterPromoteSwapsBackAndMakesBluePrimaryAgain() {
        assertInstanceOf(Succeeded.class, run(Action.DEPLOY));
        assertInstanceOf(Succeeded.class, run(Action.PROMOTE));
        int before = fx.writes().size();

        Outcome outcome = run(Action.ROLLBACK);

        assertInstanceOf(Succeeded.class, outcome, outcome.message());
        assertEquals(List.of("PRIMARY app-blue app:1"), fx.taskSets());
        assertEquals("app-blue", fx.routing(fx.live));
        assertEquals("app-blue", fx.routing(fx.test));
        // live moves back in one write, then blue is primary again, and only then green goes
        assertEquals(List.of("ModifyListener", "UpdateServicePrimaryTaskSet", "UpdateTaskSet", "DeregisterTaskDefinition",
                "DeleteTaskSet"), fx.writes().subList(before, fx.writes().size()));
        assertEquals("ACTIVE", fx.definitionStatus("app:1"));
        assertEquals("INACTIVE", fx.definitionStatus("app:2"));
    }

    @Test
    void cleanupRefusesWhileTheReleaseIsNotPrimaryAndDeletesNothing() {
        assertInstanceOf(Succeeded.class, run(Action.DEPLOY));
        int writes = fx.writes().size();

        Outcome outcome = run(Action.CLEANUP);

        Failed failed = assertInstanceOf(Failed.class, outcome);
        assertEquals(Reason.REFUSED, failed.reason());
        assertTrue(failed.message().contains("is not promoted"), failed.message());
        assertEquals(writes, fx.writes().size());
        assertEquals(List.of("PRIMARY app-blue app:1", "ACTIVE app-green app:2"), fx.taskSets());
    }

    @Test
    void promoteRefusesWhenTheTestListenerDrifted() {
        assertInstanceOf(Succeeded.class, run(Action.DEPLOY));
        fx.elb.modifyListener(b -> b.listenerArn(fx.test).defaultActions(EcsFixture.forwardTo(fx.blueGroup)));
        int writes = fx.writes().size();

        Failed failed = assertInstanceOf(Failed.class, run(Action.PROMOTE));

        assertEquals(Reason.REFUSED, failed.reason());
        assertTrue(failed.message().contains("the listeners drifted"), failed.message());
        assertEquals(writes, fx.writes().size());
        assertEquals("app-blue", fx.routing(fx.live));
    }

    @Test
    void promoteRefusesAGreenThatIsNotSteady() {
        Request deploy = fx.request(Action.DEPLOY, IMAGE);
        assertInstanceOf(Succeeded.class, run(deploy));
        fx.neverStabilises(deploy.releaseId());

        Failed failed = assertInstanceOf(Failed.class, run(Action.PROMOTE));

        assertEquals(Reason.REFUSED, failed.reason());
        assertTrue(failed.message().contains("green is not ready"), failed.message());
        assertEquals("app-blue", fx.routing(fx.live));
        assertEquals("app-green", fx.routing(fx.test));
    }

    @Test
    void aLiveListenerWriteThatLandedButLostItsAnswerIsPutBackAndTheReadBackDecidesTheReport() {
        assertInstanceOf(Succeeded.class, run(Action.DEPLOY));
        // every attempt of the live listener's write lands in moto and answers 500: the SDK gives up, the write is in
        fx.proxy.on("ModifyListener").where(c -> fx.live.equals(c.param("ListenerArn"))).times(3)
                .landThenFail(500, "InternalFailure", "answer lost");

        Failed failed = assertInstanceOf(Failed.class, run(Action.PROMOTE));

        assertEquals(Reason.ROLLED_BACK, failed.reason(), failed.message());
        assertTrue(failed.message().contains("Put back, as read back: live → app-blue, test → app-green"), failed.message());
        assertEquals("app-blue", fx.routing(fx.live));
        assertEquals("app-green", fx.routing(fx.test));
        assertEquals(List.of("PRIMARY app-blue app:1", "ACTIVE app-green app:2"), fx.taskSets());
        // and a promote once ELB answers again goes through
        assertInstanceOf(Succeeded.class, run(Action.PROMOTE));
        assertEquals("app-green", fx.routing(fx.live));
    }

    @Test
    void aPrimaryTaskSetSwitchThatLandedButLostItsAnswerIsPutBackToBlue() {
        assertInstanceOf(Succeeded.class, run(Action.DEPLOY));
        // ECS makes green primary, every answer is lost: the controller must assume it happened
        fx.proxy.on("UpdateServicePrimaryTaskSet").times(3).landThenFail(500, "ServerException", "answer lost");

        Failed failed = assertInstanceOf(Failed.class, run(Action.PROMOTE));

        assertEquals(Reason.ROLLED_BACK, failed.reason(), failed.message());
        assertTrue(failed.message().contains("Put back, as read back: live → app-blue, test → app-green, primary ecs-svc/"),
                failed.message());
        assertEquals(List.of("PRIMARY app-blue app:1", "ACTIVE app-green app:2"), fx.taskSets());
        assertEquals("app-blue", fx.routing(fx.live));
        assertEquals("app-green", fx.routing(fx.test));
    }

    @Test
    void aDeployWhoseRegistrationAnswersWereLostReusesWhatLandedWhenRunAgain() {
        // every attempt registers a revision in moto and loses the answer: the deploy fails, blue untouched
        fx.proxy.on("RegisterTaskDefinition").times(3).landThenDrop();
        Failed failed = assertInstanceOf(Failed.class, run(Action.DEPLOY));
        assertEquals(Reason.ERROR, failed.reason(), failed.message());
        assertEquals(List.of("PRIMARY app-blue app:1"), fx.taskSets());
        assertEquals("app-blue", fx.routing(fx.live));

        Outcome again = run(Action.DEPLOY);

        assertInstanceOf(Succeeded.class, again, again.message());
        assertEquals(3, fx.proxy.landed("RegisterTaskDefinition"), "the second deploy registered nothing new");
        assertEquals(List.of("PRIMARY app-blue app:1", "ACTIVE app-green app:4"), fx.taskSets());
    }

    @Test
    void aTaskSetThatDoesNotShowInTheNextReadsIsNotCreatedTwice() {
        String release = fx.request(Action.DEPLOY, IMAGE).releaseId();
        // as an eventually consistent DescribeTaskSets may: the new task set is missing from the first two reads after it
        AtomicInteger hidden = new AtomicInteger(2);
        fx.proxy.rewriteAnswers("DescribeTaskSets", body -> {
            String text = new String(body, StandardCharsets.UTF_8);
            if (!text.contains("\"" + release + "\"") || hidden.getAndDecrement() <= 0) {
                return body;
            }
            try {
                ObjectNode root = (ObjectNode) MAPPER.readTree(body);
                var kept = MAPPER.createArrayNode();
                root.path("taskSets").forEach(t -> {
                    if (!t.path("externalId").asText().equals(release)) {
                        kept.add(t);
                    }
                });
                root.set("taskSets", kept);
                return MAPPER.writeValueAsBytes(root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        Outcome outcome = run(Action.DEPLOY);

        assertInstanceOf(Succeeded.class, outcome, outcome.message());
        assertTrue(hidden.get() <= 0, "the new task set was left out of two reads");
        assertEquals(1, fx.proxy.count("CreateTaskSet"));
        assertEquals(List.of("PRIMARY app-blue app:1", "ACTIVE app-green app:2"), fx.taskSets());
    }

    @Test
    void aServiceWithTheEcsDeploymentControllerIsAConfigurationError() {
        fx.ecs.createService(b -> b.cluster(EcsFixture.CLUSTER).serviceName("rolling").desiredCount(1));
        Target rolling = new Target(EcsFixture.CLUSTER, "rolling", fx.live, fx.test, List.of(fx.blueGroup, fx.greenGroup));

        Failed failed = assertInstanceOf(Failed.class, run(new Request(Action.DEPLOY, rolling, null,
                Images.parse(List.of(IMAGE)), null, null)));

        assertEquals(Reason.CONFIGURATION, failed.reason());
        assertTrue(failed.message().contains("deploymentController EXTERNAL"), failed.message());
    }
}
