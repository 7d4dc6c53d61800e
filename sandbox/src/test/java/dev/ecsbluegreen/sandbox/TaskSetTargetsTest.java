package dev.ecsbluegreen.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ecsbluegreen.sandbox.aws.Emulator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which demo app each target group should have as its target, from the task sets as data. */
class TaskSetTargetsTest {
    private static final String BLUE = "arn:tg/app-blue";
    private static final String GREEN = "arn:tg/app-green";
    private static final Map<String, Integer> APPS = Map.of("v1", 4001, "v2", 4002);

    @Test
    void aScaledTaskSetRegistersTheAppItsImageNamesAndAGroupWithoutOneHasNoTargets() {
        assertEquals(Map.of(BLUE, Set.of(4001), GREEN, Set.of()),
                TaskSetTargets.desired(List.of(taskSet("PRIMARY", BLUE, 100, "v1")), List.of(BLUE, GREEN), APPS));
        assertEquals(Map.of(BLUE, Set.of(4001), GREEN, Set.of(4002)),
                TaskSetTargets.desired(List.of(taskSet("PRIMARY", BLUE, 100, "v1"), taskSet("ACTIVE", GREEN, 100, "v2")),
                        List.of(BLUE, GREEN), APPS));
    }

    @Test
    void aTaskSetScaledToZeroOrDrainingRegistersNothing() {
        assertEquals(Map.of(BLUE, Set.of(), GREEN, Set.of(4002)),
                TaskSetTargets.desired(List.of(taskSet("ACTIVE", BLUE, 0, "v1"), taskSet("PRIMARY", GREEN, 100, "v2")),
                        List.of(BLUE, GREEN), APPS));
        assertEquals(Map.of(BLUE, Set.of(4001), GREEN, Set.of()),
                TaskSetTargets.desired(List.of(taskSet("PRIMARY", BLUE, 100, "v1"), taskSet("DRAINING", GREEN, 100, "v2")),
                        List.of(BLUE, GREEN), APPS));
    }

    @Test
    void anImageNamingNoAppAndATargetGroupOutsideThePairAddNothing() {
        Emulator.TaskSet other = new Emulator.TaskSet("arn:ts/3", "ecs-svc/3", "ACTIVE", GREEN, 100, "arn:td/web:3",
                "registry.example.com/app:v2", "STEADY_STATE");
        assertEquals(Map.of(BLUE, Set.of(4001), GREEN, Set.of()),
                TaskSetTargets.desired(List.of(taskSet("PRIMARY", BLUE, 100, "v1"), other, taskSet("ACTIVE", GREEN, 100, "v7"),
                        taskSet("ACTIVE", "arn:tg/elsewhere", 100, "v2")), List.of(BLUE, GREEN), APPS));
    }

    private static Emulator.TaskSet taskSet(String status, String targetGroup, double scale, String version) {
        return new Emulator.TaskSet("arn:ts/" + version, "ecs-svc/" + version, status, targetGroup, scale,
                "arn:td/web:" + version, Emulator.image(version), "STEADY_STATE");
    }
}
