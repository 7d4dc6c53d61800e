package dev.ecsbluegreen.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.sandbox.aws.Emulator;
import dev.ecsbluegreen.testing.Moto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.ScaleUnit;

/**
 * The demo apps standing in for the tasks, against moto: the external mode's service from {@link Emulator#createExternal},
 * its task sets created, scaled and deleted here as the controller would, the target groups' targets as moto answers them.
 */
class TaskSetTargetsIT {
    @RegisterExtension
    static final Moto moto = new Moto();

    private final DemoApp blue = new DemoApp("blue", "v1", DemoApp.Mode.HEALTHY, Emulator.LIVE_PORT);
    private final DemoApp green = new DemoApp("green", "v2", DemoApp.Mode.HEALTHY, Emulator.LIVE_PORT);
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private Emulator emulator;
    private Emulator.Created created;
    private EcsClient ecs;
    private TaskSetTargets targets;

    @BeforeEach
    void createTheService() {
        emulator = new Emulator(moto.endpoint(), Names.of(""));
        created = emulator.createExternal("v1");
        ecs = moto.client(EcsClient.builder());
        targets = new TaskSetTargets(emulator, List.of(created.blueTargetGroupArn(), created.greenTargetGroupArn()),
                List.of(blue, green), warnings::add);
    }

    @AfterEach
    void stop() {
        targets.close();
        emulator.close();
        ecs.close();
        blue.close();
        green.close();
    }

    @Test
    void blueTaskSetHasBlueAsItsTargetAndGreensGroupHasNoneBeforeADeploy() {
        assertEquals(Set.of(blue.port()), emulator.registeredPorts(created.blueTargetGroupArn()));
        assertEquals(Set.of(), emulator.registeredPorts(created.greenTargetGroupArn()));
        assertEquals(List.of(), warnings);
    }

    @Test
    void greensTaskSetRegistersGreenWithinAFewRoundsAndScaledToZeroDeregistersIt() throws Exception {
        String greenTaskSet = createTaskSet("v2", created.greenTargetGroupArn());

        awaitPorts(created.greenTargetGroupArn(), Set.of(green.port()));
        assertEquals(Set.of(blue.port()), emulator.registeredPorts(created.blueTargetGroupArn()));

        ecs.updateTaskSet(b -> b.cluster("app-cluster").service("web").taskSet(greenTaskSet)
                .scale(s -> s.unit(ScaleUnit.PERCENT).value(0.0)));
        awaitPorts(created.greenTargetGroupArn(), Set.of());

        ecs.updateTaskSet(b -> b.cluster("app-cluster").service("web").taskSet(greenTaskSet)
                .scale(s -> s.unit(ScaleUnit.PERCENT).value(100.0)));
        awaitPorts(created.greenTargetGroupArn(), Set.of(green.port()));
        ecs.deleteTaskSet(b -> b.cluster("app-cluster").service("web").taskSet(greenTaskSet));
        awaitPorts(created.greenTargetGroupArn(), Set.of());
    }

    @Test
    void anImageNamingNoDemoAppGetsNoTargetAndAWarningOnce() throws Exception {
        createTaskSet("v9", created.greenTargetGroupArn());

        targets.sync();
        Thread.sleep(TaskSetTargets.INTERVAL.toMillis() * 3);

        assertEquals(Set.of(), emulator.registeredPorts(created.greenTargetGroupArn()));
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).contains("runs sandbox/demo:v9, which names none of the demo apps"), warnings::toString);
    }

    /** A task set of a new revision of {@code web} running {@code sandbox/demo:VERSION}, as the controller's deploy makes it. */
    private String createTaskSet(String version, String targetGroupArn) {
        String definition = ecs.registerTaskDefinition(b -> b.family("web").containerDefinitions(c -> c.name("web")
                .image(Emulator.image(version)).memory(256).portMappings(p -> p.containerPort(8080))))
                .taskDefinition().taskDefinitionArn();
        return ecs.createTaskSet(b -> b.cluster("app-cluster").service("web").taskDefinition(definition)
                .launchType(LaunchType.FARGATE).scale(s -> s.unit(ScaleUnit.PERCENT).value(100.0))
                .loadBalancers(l -> l.targetGroupArn(targetGroupArn).containerName("web").containerPort(8080)))
                .taskSet().taskSetArn();
    }

    /** Waits, on the daemon thread's rounds alone, until the group's targets are {@code ports}: at most 5 s. */
    private void awaitPorts(String targetGroupArn, Set<Integer> ports) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Set<Integer> now = emulator.registeredPorts(targetGroupArn);
        while (!now.equals(ports) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            now = emulator.registeredPorts(targetGroupArn);
        }
        assertEquals(ports, now, "targets of " + targetGroupArn + " after 5 s; warnings " + warnings);
    }
}
