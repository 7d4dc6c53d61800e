package dev.ecsbluegreen.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ForwardTest {
    private static final String BLUE = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-blue/1";
    private static final String GREEN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-green/2";
    private static final String ADMIN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-admin/3";

    static Stream<Arguments> heaviestAndDominant() {
        return Stream.of(
                argumentSet("one target", forward(BLUE, 1), BLUE, BLUE),
                argumentSet("100/0", forward(BLUE, 100, GREEN, 0), BLUE, BLUE),
                argumentSet("90/10", forward(BLUE, 90, GREEN, 10), BLUE, BLUE),
                argumentSet("10/90", forward(BLUE, 10, GREEN, 90), GREEN, GREEN),
                argumentSet("50/50: heaviest is the first, none dominates", forward(BLUE, 50, GREEN, 50), BLUE, null),
                argumentSet("30/50/50: a tie at the top", forward(ADMIN, 30, BLUE, 50, GREEN, 50), BLUE, null),
                argumentSet("0/0: nothing is sent", forward(BLUE, 0, GREEN, 0), BLUE, null),
                argumentSet("one target of weight 0", forward(BLUE, 0), BLUE, null),
                argumentSet("no target", forward(), null, null));
    }

    @ParameterizedTest
    @MethodSource
    void heaviestAndDominant(Forward forward, String heaviest, String dominant) {
        assertEquals(Optional.ofNullable(heaviest), forward.heaviestTarget(), "heaviest");
        assertEquals(Optional.ofNullable(dominant), forward.dominantTarget(), "dominant");
    }

    static Stream<Arguments> percentages() {
        return Stream.of(
                argumentSet("one target", forward(BLUE, 1), shares(BLUE, 100.0)),
                argumentSet("90/10", forward(BLUE, 90, GREEN, 10), shares(BLUE, 90.0, GREEN, 10.0)),
                argumentSet("relative weights 9/1", forward(BLUE, 9, GREEN, 1), shares(BLUE, 90.0, GREEN, 10.0)),
                argumentSet("1/2", forward(BLUE, 1, GREEN, 2), shares(BLUE, 100.0 / 3, GREEN, 200.0 / 3)),
                argumentSet("0/100", forward(BLUE, 0, GREEN, 100), shares(BLUE, 0.0, GREEN, 100.0)),
                argumentSet("0/0 sends nothing anywhere", forward(BLUE, 0, GREEN, 0), shares(BLUE, 0.0, GREEN, 0.0)),
                argumentSet("no target", forward(), shares()));
    }

    @ParameterizedTest
    @MethodSource
    void percentages(Forward forward, Map<String, Double> expected) {
        Map<String, Double> actual = forward.percentages();
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "in target order");
        expected.forEach((arn, share) -> assertEquals(share, actual.get(arn), 1e-9, arn));
        expected.forEach((arn, share) -> assertEquals(share, forward.percentOf(arn), 1e-9, arn));
        assertEquals(0.0, forward.percentOf("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/other/1"));
    }

    @Test
    void weightOfATargetGroupTheForwardDoesNotNameIsZero() {
        Forward forward = forward(BLUE, 90, GREEN, 10);
        assertEquals(90, forward.weightOf(BLUE));
        assertEquals(0, forward.weightOf(ADMIN));
        assertEquals(100, forward.totalWeight());
        assertEquals(Optional.of(new TargetWeight(GREEN, 10)), forward.target(GREEN));
        assertEquals(Optional.empty(), forward.target(ADMIN));
    }

    @Test
    void newTargetsKeepTheStickiness() {
        Forward sticky = new Forward(List.of(new TargetWeight(BLUE, 100), new TargetWeight(GREEN, 0)), new Stickiness(true, 3600));

        Forward canary = sticky.withTargets(List.of(new TargetWeight(BLUE, 90), new TargetWeight(GREEN, 10)));

        assertEquals(new Stickiness(true, 3600), canary.stickiness());
        assertEquals(List.of(new TargetWeight(BLUE, 90), new TargetWeight(GREEN, 10)), canary.targets());
    }

    @Test
    void aTargetNeedsATargetGroupAndAWeightElbAccepts() {
        assertThrows(NullPointerException.class, () -> new TargetWeight(null, 1));
        assertThrows(IllegalArgumentException.class, () -> new TargetWeight(BLUE, -1));
    }

    /** {@code forward(BLUE, 90, GREEN, 10)}. */
    static Forward forward(Object... arnsAndWeights) {
        List<TargetWeight> targets = new ArrayList<>();
        for (int i = 0; i < arnsAndWeights.length; i += 2) {
            targets.add(new TargetWeight((String) arnsAndWeights[i], (Integer) arnsAndWeights[i + 1]));
        }
        return new Forward(targets);
    }

    private static Map<String, Double> shares(Object... arnsAndShares) {
        Map<String, Double> shares = new LinkedHashMap<>();
        for (int i = 0; i < arnsAndShares.length; i += 2) {
            shares.put((String) arnsAndShares[i], (Double) arnsAndShares[i + 1]);
        }
        return shares;
    }
}
