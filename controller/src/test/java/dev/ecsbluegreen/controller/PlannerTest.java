package dev.ecsbluegreen.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.controller.Decision.Done;
import dev.ecsbluegreen.controller.Decision.Refused;
import dev.ecsbluegreen.controller.Decision.Wait;
import dev.ecsbluegreen.controller.Decision.Write;
import dev.ecsbluegreen.controller.Step.CreateTaskSet;
import dev.ecsbluegreen.controller.Step.DeleteTaskSet;
import dev.ecsbluegreen.controller.Step.DeregisterTaskDefinition;
import dev.ecsbluegreen.controller.Step.RegisterTaskDefinition;
import dev.ecsbluegreen.controller.Step.Route;
import dev.ecsbluegreen.controller.Step.Scale;
import dev.ecsbluegreen.controller.Step.SetPrimary;
import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.TargetWeight;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The state machine as a table: state read × action → the next write, a wait, done or refused. */
class PlannerTest {
    static final String BLUE_TG = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/app-blue/1";
    static final String GREEN_TG = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/app-green/2";
    static final String LIVE = "arn:aws:elasticloadbalancing:us-east-1:1:listener/app/alb/1/80";
    static final String TEST = "arn:aws:elasticloadbalancing:us-east-1:1:listener/app/alb/1/8080";
    static final String TD1 = "arn:aws:ecs:us-east-1:1:task-definition/app:1";
    static final String TD2 = "arn:aws:ecs:us-east-1:1:task-definition/app:2";
    static final String R = "r-2";
    static final Target TARGET = new Target("prod", "app", LIVE, TEST, List.of(BLUE_TG, GREEN_TG));
    static final Images IMAGES = Images.parse(List.of("app:2.0"));

    static TaskSet blue(String status, double scale, String stability) {
        return new TaskSet("arn:ts/blue", "ecs-svc/blue", status, TD1, BLUE_TG, stability, scale, 2, 2, 0, null, 1);
    }

    static TaskSet green(String status, double scale, String stability) {
        return new TaskSet("arn:ts/green", "ecs-svc/green", status, TD2, GREEN_TG, stability, scale, 2, 2, 0, R, 2);
    }

    static final TaskSet BLUE = blue("PRIMARY", 100, "STEADY_STATE");
    static final TaskSet GREEN = green("ACTIVE", 100, "STEADY_STATE");

    static Forward to(String targetGroup) {
        return new Forward(List.of(new TargetWeight(targetGroup, 1)));
    }

    static Map<String, TaskDefinition> definitions(boolean td1Active, boolean td2Active) {
        Map<String, TaskDefinition> d = new HashMap<>();
        d.put(TD1, new TaskDefinition(TD1, "app", Map.of("web", "app:1.0"), null, td1Active));
        d.put(TD2, new TaskDefinition(TD2, "app", Map.of("web", "app:2.0"), R, td2Active));
        return d;
    }

    static Observation state(List<TaskSet> sets, String live, String test) {
        return state(sets, live, test, null);
    }

    static Observation state(List<TaskSet> sets, String live, String test, TaskDefinition latest) {
        return new Observation(2, sets, definitions(true, true), latest, to(live), to(test));
    }

    /** The planner's decision for a request of these (a deploy's images, the promote all at once). */
    static Decision plan(Action action, String release, Images images, Target target, Observation o, boolean wrote) {
        return plan(action, release, images, target, o, wrote, dev.ecsbluegreen.core.routing.Strategy.ALL_AT_ONCE, 0);
    }

    static Decision plan(Action action, String release, Images images, Target target, Observation o, boolean wrote,
                         dev.ecsbluegreen.core.routing.Strategy strategy, int bakedStep) {
        return Planner.next(new Request(action, target, release, images, null, null, null, strategy, null), o, wrote,
                bakedStep);
    }

    static Arguments row(String name, Action action, Observation o, boolean wrote, Decision expected) {
        return Arguments.of(name, action, o, wrote, expected);
    }

    static final TaskDefinition LATEST_IS_BLUE = definitions(true, true).get(TD1);
    static final TaskDefinition LATEST_OF_RELEASE = definitions(true, true).get(TD2);

    static Stream<Arguments> table() {
        return Stream.of(
                // deploy
                row("deploy registers a definition first", Action.DEPLOY, state(List.of(BLUE), BLUE_TG, BLUE_TG, LATEST_IS_BLUE), false,
                        new Write(new RegisterTaskDefinition(TD1, Map.of("web", "app:2.0"), R))),
                row("deploy reuses the release's definition", Action.DEPLOY, state(List.of(BLUE), BLUE_TG, BLUE_TG, LATEST_OF_RELEASE), false,
                        new Write(new CreateTaskSet(TD2, GREEN_TG, R, "arn:ts/blue"))),
                row("deploy waits for STEADY_STATE", Action.DEPLOY,
                        state(List.of(BLUE, green("ACTIVE", 100, "STABILIZING")), BLUE_TG, BLUE_TG), false,
                        new Wait("green " + green("ACTIVE", 100, "STABILIZING").describe())),
                row("deploy scales a scaled-down green back", Action.DEPLOY, state(List.of(BLUE, green("ACTIVE", 0, "STEADY_STATE")), BLUE_TG, BLUE_TG), false,
                        new Write(new Scale("arn:ts/green", "ecs-svc/green", 100))),
                row("deploy points the test listener at steady green", Action.DEPLOY, state(List.of(BLUE, GREEN), BLUE_TG, BLUE_TG), false,
                        new Write(new Route(TEST, "test", GREEN_TG))),
                // promote: test → blue, live → green, green primary
                row("promote moves test to blue first", Action.PROMOTE, state(List.of(BLUE, GREEN), BLUE_TG, GREEN_TG), false,
                        new Write(new Route(TEST, "test", BLUE_TG))),
                row("promote then moves live to green", Action.PROMOTE, state(List.of(BLUE, GREEN), BLUE_TG, BLUE_TG), true,
                        new Write(new Route(LIVE, "live", GREEN_TG))),
                row("promote then makes green primary", Action.PROMOTE, state(List.of(BLUE, GREEN), GREEN_TG, BLUE_TG), false,
                        new Write(new SetPrimary("arn:ts/green", "ecs-svc/green"))),
                // cleanup
                row("cleanup scales the old task set to 0", Action.CLEANUP,
                        state(List.of(blue("ACTIVE", 100, "STEADY_STATE"), green("PRIMARY", 100, "STEADY_STATE")), GREEN_TG, BLUE_TG), false,
                        new Write(new Scale("arn:ts/blue", "ecs-svc/blue", 0))),
                row("cleanup deregisters its definition", Action.CLEANUP,
                        state(List.of(blue("ACTIVE", 0, "STEADY_STATE"), green("PRIMARY", 100, "STEADY_STATE")), GREEN_TG, BLUE_TG), false,
                        new Write(new DeregisterTaskDefinition(TD1))),
                row("cleanup then deletes it", Action.CLEANUP,
                        new Observation(2, List.of(blue("ACTIVE", 0, "STEADY_STATE"), green("PRIMARY", 100, "STEADY_STATE")),
                                definitions(false, true), null, to(GREEN_TG), to(BLUE_TG)), false,
                        new Write(new DeleteTaskSet("arn:ts/blue", "ecs-svc/blue"))),
                // rollback before promote
                row("rollback before promote points live back first", Action.ROLLBACK, state(List.of(BLUE, GREEN), GREEN_TG, BLUE_TG), false,
                        new Write(new Route(LIVE, "live", BLUE_TG))),
                row("rollback before promote points test back", Action.ROLLBACK, state(List.of(BLUE, GREEN), BLUE_TG, GREEN_TG), false,
                        new Write(new Route(TEST, "test", BLUE_TG))),
                row("rollback before promote scales green to 0", Action.ROLLBACK, state(List.of(BLUE, GREEN), BLUE_TG, BLUE_TG), false,
                        new Write(new Scale("arn:ts/green", "ecs-svc/green", 0))),
                row("rollback before promote deregisters green's definition", Action.ROLLBACK,
                        state(List.of(BLUE, green("ACTIVE", 0, "STEADY_STATE")), BLUE_TG, BLUE_TG), false,
                        new Write(new DeregisterTaskDefinition(TD2))),
                row("rollback before promote deletes green", Action.ROLLBACK,
                        new Observation(2, List.of(BLUE, green("ACTIVE", 0, "STEADY_STATE")), definitions(true, false), null,
                                to(BLUE_TG), to(BLUE_TG)), false,
                        new Write(new DeleteTaskSet("arn:ts/green", "ecs-svc/green"))),
                // rollback after promote
                row("rollback after promote scales blue back up", Action.ROLLBACK,
                        state(List.of(blue("ACTIVE", 0, "STEADY_STATE"), green("PRIMARY", 100, "STEADY_STATE")), GREEN_TG, BLUE_TG), false,
                        new Write(new Scale("arn:ts/blue", "ecs-svc/blue", 100))),
                row("rollback after promote waits for blue", Action.ROLLBACK,
                        state(List.of(blue("ACTIVE", 100, "STABILIZING"), green("PRIMARY", 100, "STEADY_STATE")), GREEN_TG, BLUE_TG), false,
                        new Wait("blue " + blue("ACTIVE", 100, "STABILIZING").describe())),
                row("rollback after promote moves live back", Action.ROLLBACK,
                        state(List.of(blue("ACTIVE", 100, "STEADY_STATE"), green("PRIMARY", 100, "STEADY_STATE")), GREEN_TG, BLUE_TG), false,
                        new Write(new Route(LIVE, "live", BLUE_TG))),
                row("rollback after promote makes blue primary", Action.ROLLBACK,
                        state(List.of(blue("ACTIVE", 100, "STEADY_STATE"), green("PRIMARY", 100, "STEADY_STATE")), BLUE_TG, BLUE_TG), false,
                        new Write(new SetPrimary("arn:ts/blue", "ecs-svc/blue"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void nextStep(String name, Action action, Observation o, boolean wrote, Decision expected) {
        assertEquals(expected, plan(action, R, IMAGES, TARGET, o, wrote));
    }

    static Stream<Arguments> ends() {
        TaskSet promoted = green("PRIMARY", 100, "STEADY_STATE");
        return Stream.of(
                row("deploy is done when green is steady behind the test listener", Action.DEPLOY,
                        state(List.of(BLUE, GREEN), BLUE_TG, GREEN_TG), false, null),
                row("deploy of a live release is done", Action.DEPLOY, state(List.of(promoted), GREEN_TG, BLUE_TG), false, null),
                row("promote is done once green is primary and live", Action.PROMOTE,
                        state(List.of(blue("ACTIVE", 100, "STEADY_STATE"), promoted), GREEN_TG, BLUE_TG), false, null),
                row("cleanup is done when the release is alone", Action.CLEANUP, state(List.of(promoted), GREEN_TG, BLUE_TG), false, null),
                row("rollback is done when the release is gone", Action.ROLLBACK, state(List.of(BLUE), BLUE_TG, BLUE_TG), false, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ends")
    void done(String name, Action action, Observation o, boolean wrote, Decision ignored) {
        assertInstanceOf(Done.class, plan(action, R, IMAGES, TARGET, o, wrote));
    }

    static Stream<Arguments> refusals() {
        TaskSet promoted = green("PRIMARY", 100, "STEADY_STATE");
        TaskSet otherRelease = new TaskSet("arn:ts/x", "ecs-svc/x", "ACTIVE", TD2, GREEN_TG, "STEADY_STATE", 100, 2, 2, 0, "r-x", 3);
        return Stream.of(
                row("no primary: the controller does not act", Action.DEPLOY, state(List.of(blue("ACTIVE", 100, "STEADY_STATE")), BLUE_TG, BLUE_TG), false, null),
                row("two primaries: the controller does not act", Action.ROLLBACK,
                        state(List.of(BLUE, green("PRIMARY", 100, "STEADY_STATE")), BLUE_TG, BLUE_TG), false, null),
                row("deploy refuses when live does not serve the primary", Action.DEPLOY, state(List.of(BLUE), GREEN_TG, BLUE_TG), false, null),
                row("deploy refuses while another release's task set is there", Action.DEPLOY,
                        state(List.of(BLUE, otherRelease), BLUE_TG, GREEN_TG), false, null),
                row("promote refuses without green", Action.PROMOTE, state(List.of(BLUE), BLUE_TG, GREEN_TG), false, null),
                row("promote refuses a green still stabilising", Action.PROMOTE,
                        state(List.of(BLUE, green("ACTIVE", 100, "STABILIZING")), BLUE_TG, GREEN_TG), false, null),
                row("promote refuses when test was moved off green before it began", Action.PROMOTE,
                        state(List.of(BLUE, GREEN), BLUE_TG, BLUE_TG), false, null),
                row("promote refuses a live listener split between the two", Action.PROMOTE,
                        new Observation(2, List.of(BLUE, GREEN), definitions(true, true), null,
                                new Forward(List.of(new TargetWeight(BLUE_TG, 90), new TargetWeight(GREEN_TG, 10))), to(GREEN_TG)), false, null),
                row("cleanup refuses while blue is primary", Action.CLEANUP, state(List.of(BLUE, GREEN), BLUE_TG, GREEN_TG), false, null),
                row("rollback after cleanup has nothing to go back to", Action.ROLLBACK, state(List.of(promoted), GREEN_TG, BLUE_TG), false, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refused(String name, Action action, Observation o, boolean wrote, Decision ignored) {
        assertInstanceOf(Refused.class, plan(action, R, IMAGES, TARGET, o, wrote));
    }

    /**
     * Over every combination of two task sets' status, scale and stability and of both listeners: no action ever
     * deletes the primary, and a write that changes the primary names a task set that is not primary yet.
     */
    @Test
    void noActionEverDeletesThePrimaryTaskSet() {
        List<String> statuses = List.of("PRIMARY", "ACTIVE");
        List<Double> scales = List.of(0.0, 100.0);
        List<String> stabilities = List.of("STEADY_STATE", "STABILIZING");
        List<String> groups = List.of(BLUE_TG, GREEN_TG);
        int decided = 0;
        List<Observation> states = new ArrayList<>();
        for (String bs : statuses) for (String gs : statuses) for (double bScale : scales) for (double gScale : scales)
            for (String stab : stabilities) for (String live : groups) for (String test : groups) {
                states.add(state(List.of(blue(bs, bScale, "STEADY_STATE"), green(gs, gScale, stab)), live, test));
                states.add(state(List.of(blue(bs, bScale, stab)), live, test));
            }
        for (Observation o : states) {
            for (Action action : Action.values()) {
                for (boolean wrote : List.of(false, true)) {
                    Decision d = plan(action, R, IMAGES, TARGET, o, wrote);
                    decided++;
                    if (d instanceof Write(DeleteTaskSet delete)) {
                        assertTrue(o.taskSets().stream().noneMatch(t -> t.arn().equals(delete.taskSetArn()) && t.primary()),
                                action + " deletes the primary in " + o.describe());
                    }
                    if (d instanceof Write(SetPrimary primary)) {
                        assertTrue(o.taskSets().stream().anyMatch(t -> t.arn().equals(primary.taskSetArn()) && !t.primary()));
                    }
                    if (action == Action.STATUS) {
                        assertInstanceOf(Done.class, d, "status only reads, whatever the state");
                    } else if (o.primaries().size() != 1) {
                        assertInstanceOf(Refused.class, d, action + " acts without exactly one primary: " + o.describe());
                    }
                }
            }
        }
        assertEquals(states.size() * Action.values().length * 2, decided);
    }

    @Test
    void anImageForAContainerTheDefinitionDoesNotHaveIsAConfigurationError() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> plan(Action.DEPLOY, R,
                Images.parse(List.of("sidecar=envoy:1")), TARGET, state(List.of(BLUE), BLUE_TG, BLUE_TG, LATEST_IS_BLUE), false));
        assertTrue(e.getMessage().contains("has no container \"sidecar\""), e.getMessage());
    }
}
