package dev.ecsbluegreen.controller;

import static dev.ecsbluegreen.controller.PlannerTest.BLUE;
import static dev.ecsbluegreen.controller.PlannerTest.BLUE_TG;
import static dev.ecsbluegreen.controller.PlannerTest.GREEN;
import static dev.ecsbluegreen.controller.PlannerTest.GREEN_TG;
import static dev.ecsbluegreen.controller.PlannerTest.IMAGES;
import static dev.ecsbluegreen.controller.PlannerTest.LIVE;
import static dev.ecsbluegreen.controller.PlannerTest.R;
import static dev.ecsbluegreen.controller.PlannerTest.TARGET;
import static dev.ecsbluegreen.controller.PlannerTest.TEST;
import static dev.ecsbluegreen.controller.PlannerTest.definitions;
import static dev.ecsbluegreen.controller.PlannerTest.green;
import static dev.ecsbluegreen.controller.PlannerTest.to;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.controller.Decision.Bake;
import dev.ecsbluegreen.controller.Decision.Refused;
import dev.ecsbluegreen.controller.Decision.Write;
import dev.ecsbluegreen.controller.Step.Route;
import dev.ecsbluegreen.controller.Step.SetPrimary;
import dev.ecsbluegreen.controller.Step.Weigh;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.Strategy;
import dev.ecsbluegreen.core.routing.TargetWeight;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A canary or linear promote as the planner decides it: which step the live listener's weights are at, and what next. */
class ProgressivePlannerTest {
    static final ObjectMapper MAPPER = Json.newMapper();
    static final Strategy CANARY = strategy("{\"type\": \"canary\", \"percent\": 10, \"bakeSeconds\": 300}");
    static final Strategy LINEAR = strategy("{\"type\": \"linear\", \"stepPercent\": 25, \"stepBakeSeconds\": 60}");

    static Strategy strategy(String json) {
        try {
            return Strategy.parse(MAPPER.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Forward weights(int blue, int green) {
        return new Forward(List.of(new TargetWeight(BLUE_TG, blue), new TargetWeight(GREEN_TG, green)));
    }

    static Observation at(Forward live, Forward test) {
        return new Observation(2, List.of(BLUE, GREEN), definitions(true, true), null, live, test);
    }

    static Decision next(Strategy strategy, Observation o, int baked) {
        return PlannerTest.plan(Action.PROMOTE, R, IMAGES, TARGET, o, false, strategy, baked);
    }

    @Test
    void aCanaryWeighsLiveBakesThenPromotesAsAllAtOnce() {
        assertEquals(new Write(new Weigh(LIVE, "live", BLUE_TG, GREEN_TG, 10)), next(CANARY, at(to(BLUE_TG), to(GREEN_TG)), 0));
        assertEquals(new Bake(1, 10), next(CANARY, at(weights(90, 10), to(GREEN_TG)), 0));
        assertEquals(new Write(new Route(TEST, "test", BLUE_TG)), next(CANARY, at(weights(90, 10), to(GREEN_TG)), 1));
        assertEquals(new Write(new Route(LIVE, "live", GREEN_TG)), next(CANARY, at(weights(90, 10), to(BLUE_TG)), 1));
        assertEquals(new Write(new SetPrimary("arn:ts/green", "ecs-svc/green")), next(CANARY, at(to(GREEN_TG), to(BLUE_TG)), 1));
    }

    @Test
    void aLinearPromoteTakesEveryStepInTurnAndBakesEach() {
        assertEquals(new Write(new Weigh(LIVE, "live", BLUE_TG, GREEN_TG, 25)), next(LINEAR, at(to(BLUE_TG), to(GREEN_TG)), 0));
        assertEquals(new Bake(1, 25), next(LINEAR, at(weights(75, 25), to(GREEN_TG)), 0));
        assertEquals(new Write(new Weigh(LIVE, "live", BLUE_TG, GREEN_TG, 50)), next(LINEAR, at(weights(75, 25), to(GREEN_TG)), 1));
        assertEquals(new Bake(2, 50), next(LINEAR, at(weights(50, 50), to(GREEN_TG)), 1));
        // the weights' scale does not matter, their shares do (ELB keeps what was written, 1/1 is 50 %)
        assertEquals(new Bake(2, 50), next(LINEAR, at(weights(1, 1), to(GREEN_TG)), 1));
        assertEquals(new Write(new Weigh(LIVE, "live", BLUE_TG, GREEN_TG, 75)), next(LINEAR, at(weights(50, 50), to(GREEN_TG)), 2));
        assertEquals(new Bake(3, 75), next(LINEAR, at(weights(25, 75), to(GREEN_TG)), 2));
        assertEquals(new Write(new Route(TEST, "test", BLUE_TG)), next(LINEAR, at(weights(25, 75), to(GREEN_TG)), 3));
    }

    @Test
    void aStepFoundInPlaceByALaterRunBakesBeforeAnythingMoves() {
        // a continuation, or a job retried after its answer was lost: the weights say the step; baked 0 holds it
        assertEquals(new Bake(2, 50), next(LINEAR, at(weights(50, 50), to(GREEN_TG)), 0));
    }

    @Test
    void weightsThatAreNoStepOfTheStrategyOrAThirdTargetGroupAreDrift() {
        Decision odd = next(CANARY, at(weights(80, 20), to(GREEN_TG)), 0);
        Refused refused = assertInstanceOf(Refused.class, odd);
        assertTrue(refused.message().startsWith("the listeners drifted: live → app-blue 80 % / app-green 20 %"), refused.message());
        Forward third = new Forward(List.of(new TargetWeight(BLUE_TG, 90), new TargetWeight(GREEN_TG, 5),
                new TargetWeight("arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/other/3", 5)));
        assertInstanceOf(Refused.class, next(CANARY, at(third, to(GREEN_TG)), 0));
        // test moved to blue during the bake (not by the promote): not read as the final step begun
        assertInstanceOf(Refused.class, next(CANARY, at(weights(90, 10), to(BLUE_TG)), 0));
    }

    @Test
    void aGreenThatStoppedBeingSteadyMidCanaryIsRefusedForTheCallerToPutBack() {
        Observation o = new Observation(2, List.of(BLUE, green("ACTIVE", 100, "STABILIZING")), definitions(true, true), null,
                weights(90, 10), to(GREEN_TG));
        Refused refused = assertInstanceOf(Refused.class, next(CANARY, o, 0));
        assertTrue(refused.message().startsWith("green is not ready"), refused.message());
    }

    @Test
    void stepOfReadsTheStepFromGreensShare() {
        assertEquals(0, Planner.stepOf(to(BLUE_TG), BLUE_TG, GREEN_TG, LINEAR));
        assertEquals(1, Planner.stepOf(weights(75, 25), BLUE_TG, GREEN_TG, LINEAR));
        assertEquals(3, Planner.stepOf(weights(250, 750), BLUE_TG, GREEN_TG, LINEAR));
        assertEquals(4, Planner.stepOf(to(GREEN_TG), BLUE_TG, GREEN_TG, LINEAR));
        assertEquals(-1, Planner.stepOf(weights(70, 30), BLUE_TG, GREEN_TG, LINEAR));
        assertEquals(-1, Planner.stepOf(weights(0, 0), BLUE_TG, GREEN_TG, LINEAR));
    }
}
