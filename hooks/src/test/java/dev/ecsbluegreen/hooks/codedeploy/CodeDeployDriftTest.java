package dev.ecsbluegreen.hooks.codedeploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.TargetWeight;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CodeDeployDriftTest {
    static final String PREFIX = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/";
    static final String BLUE = PREFIX + "shop-blue/1111";
    static final String GREEN = PREFIX + "shop-green/2222";

    static Topology topology(Map<String, Integer> live) {
        return new Topology("shop/web",
                new Topology.Route("arn:test", URI.create("http://lb:8080"), GREEN, "arn:lb", forward(Map.of(GREEN, 1))),
                new Topology.Route("arn:live", URI.create("http://lb"), BLUE, "arn:lb", forward(live)),
                "cluster", "web", List.of("shop-blue", "shop-green"));
    }

    @Test
    void theProductionListenerAsCodeDeployLeftItHasNoDrift() {
        assertEquals(Optional.empty(), CodeDeployDrift.difference(topology(Map.of(BLUE, 1))));
        // CodeDeploy leaves weighted forwards such as blue 100 / green 0 behind
        assertEquals(Optional.empty(), CodeDeployDrift.difference(topology(Map.of(BLUE, 100, GREEN, 0))));
    }

    @Test
    void greenTakingProductionTrafficBeforeAllowTrafficIsDrift() {
        String drift = CodeDeployDrift.difference(topology(Map.of(BLUE, 90, GREEN, 10))).orElseThrow();
        assertTrue(drift.contains("already sends 10 % to green (shop-green)"), drift);
    }

    @Test
    void aTargetGroupOutsideTheDeploymentGroupIsDrift() {
        String drift = CodeDeployDrift.difference(topology(Map.of(BLUE, 1, PREFIX + "hotfix/3333", 1))).orElseThrow();
        assertTrue(drift.contains("sends 50 % to hotfix, which is not one of the deployment group's target groups"
                + " [shop-blue, shop-green]"), drift);
    }

    static Forward forward(Map<String, Integer> weights) {
        return new Forward(weights.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new TargetWeight(e.getKey(), e.getValue())).toList());
    }
}
