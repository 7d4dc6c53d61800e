package dev.ecsbluegreen.hooks.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.TargetWeight;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WeightDriftTest {
    static final String BLUE = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/1111111111111111";
    static final String GREEN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-green/2222222222222222";
    static final String OTHER = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/hotfix/3333333333333333";
    static final String RULE = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
    static final String LB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";

    static ServiceRouting routing(Map<String, Integer> production, Map<String, Integer> test) {
        return new ServiceRouting(BLUE, GREEN, new ServiceRouting.Forwarding(RULE, LB, forward(production)),
                test == null ? null : new ServiceRouting.Forwarding(RULE + "-test", LB, forward(test)));
    }

    static Forward forward(Map<String, Integer> weights) {
        return new Forward(weights.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new TargetWeight(e.getKey(), e.getValue())).toList());
    }

    @Test
    void aListenerThatRoutesAsReportedHasNoDrift() {
        ServiceRouting routing = routing(Map.of(BLUE, 67, GREEN, 33), Map.of(GREEN, 1));
        Sides sides = Sides.of(routing, 33.0);
        assertEquals(GREEN, sides.green());
        assertEquals(Optional.empty(), WeightDrift.difference(routing.production(), sides, 33.0));
        // ELB's whole-number weights: 33 of 100 is 33 %, 1 of 3 is 33.3 % — both within half a point of 33.3
        assertEquals(Optional.empty(), WeightDrift.difference(
                routing(Map.of(BLUE, 2, GREEN, 1), null).production(), sides, 100.0 / 3));
    }

    @Test
    void aListenerChangedByHandNamesTheDifference() {
        ServiceRouting routing = routing(Map.of(BLUE, 50, GREEN, 50), Map.of(GREEN, 1));
        Optional<String> drift = WeightDrift.difference(routing.production(), Sides.of(routing, 33.0), 33.0);
        assertTrue(drift.isPresent());
        assertEquals("the production listener rule " + RULE + " forwards green 50 % / blue 50 %, but the deployment "
                + "reports green 33 % / blue 67 % (green is web-green, blue web-blue): the listener was changed outside "
                + "the deployment; put it back, or stop the deployment", drift.get());
    }

    @Test
    void aThirdTargetGroupTakingTrafficIsDrift() {
        ServiceRouting routing = routing(Map.of(BLUE, 90, OTHER, 10, GREEN, 0), Map.of(GREEN, 1));
        Optional<String> drift = WeightDrift.difference(routing.production(), Sides.of(routing, 0.0), 0.0);
        assertTrue(drift.orElseThrow().contains("green 0 % / blue 90 % / hotfix 10 %"), drift.get());
    }

    @Test
    void greenIsTheTestRulesTargetElseTheShareThatMatchesTheReportedWeight() {
        assertEquals(GREEN, Sides.of(routing(Map.of(BLUE, 50, GREEN, 50), Map.of(GREEN, 100, BLUE, 0)), 50.0).green());
        Sides byShare = Sides.of(routing(Map.of(BLUE, 90, GREEN, 10), null), 10.0);
        assertEquals(GREEN, byShare.green());
        assertEquals(BLUE, byShare.blue());
        // 50/50 without a test rule: nothing tells them apart
        assertNull(Sides.of(routing(Map.of(BLUE, 50, GREEN, 50), null), 50.0).green());
    }

    @Test
    void greensShareIsReadFromTheRequestsWeightsWhateverTheirScale() throws Exception {
        JsonNode weights = Json.newMapper().readTree("{\"rev/blue\": 2, \"rev/green\": 1}");
        assertEquals(100.0 / 3, TrafficWeights.greenPercent(weights, "rev/green"), 1e-9);
        assertNull(TrafficWeights.greenPercent(Json.newMapper().readTree("{}"), "rev/green"));
        assertNull(TrafficWeights.greenPercent(Json.newMapper().readTree("{\"rev/green\": \"x\"}"), "rev/green"));
    }
}
