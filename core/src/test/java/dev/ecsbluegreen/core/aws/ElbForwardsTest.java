package dev.ecsbluegreen.core.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.Stickiness;
import dev.ecsbluegreen.core.routing.TargetWeight;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupStickinessConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/** The two forms of ELB's forward action, read into the routing model and written back. */
class ElbForwardsTest {
    private static final String BLUE = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-blue/1";
    private static final String GREEN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-green/2";
    private static final Stickiness OFF = new Stickiness(false, null);
    private static final Stickiness HOUR = new Stickiness(true, 3600);

    static Stream<Arguments> reads() {
        return Stream.of(
                argumentSet("TargetGroupArn", single(BLUE), forward(null, BLUE, 1)),
                argumentSet("ForwardConfig", weighted(HOUR, tuple(BLUE, 90), tuple(GREEN, 10)), forward(HOUR, BLUE, 90, GREEN, 10)),
                argumentSet("both at once, as AWS answers", both(BLUE), forward(OFF, BLUE, 1)),
                argumentSet("ForwardConfig wins over a TargetGroupArn it disagrees with",
                        single(BLUE).toBuilder().forwardConfig(config(null, tuple(GREEN, 1))).build(), forward(null, GREEN, 1)),
                argumentSet("weights absent count as 1",
                        weighted(null, TargetGroupTuple.builder().targetGroupArn(BLUE).build(),
                                TargetGroupTuple.builder().targetGroupArn(GREEN).build()), forward(null, BLUE, 1, GREEN, 1)),
                argumentSet("weight 0 is kept", weighted(OFF, tuple(BLUE, 0), tuple(GREEN, 100)), forward(OFF, BLUE, 0, GREEN, 100)),
                argumentSet("ForwardConfig without target groups: the TargetGroupArn",
                        single(BLUE).toBuilder().forwardConfig(config(OFF)).build(), forward(OFF, BLUE, 1)),
                argumentSet("a forward naming no target group", Action.builder().type(ActionTypeEnum.FORWARD).build(), forward(null)));
    }

    @ParameterizedTest
    @MethodSource
    void reads(Action action, Forward expected) {
        assertEquals(Optional.of(expected), ElbForwards.read(action));
    }

    static Stream<Arguments> otherActions() {
        return Stream.of(
                argumentSet("fixed-response", Action.builder().type(ActionTypeEnum.FIXED_RESPONSE)
                        .fixedResponseConfig(f -> f.statusCode("503")).build()),
                argumentSet("redirect", Action.builder().type(ActionTypeEnum.REDIRECT)
                        .redirectConfig(r -> r.protocol("HTTPS").port("443").statusCode("HTTP_301")).build()),
                argumentSet("authenticate-oidc", Action.builder().type(ActionTypeEnum.AUTHENTICATE_OIDC).order(1)
                        .authenticateOidcConfig(c -> c.issuer("https://idp.example.com").clientId("app")).build()),
                argumentSet("a type this SDK does not know", Action.builder().type("jwt-validation").build()));
    }

    @ParameterizedTest
    @MethodSource
    void otherActions(Action action) {
        assertEquals(Optional.empty(), ElbForwards.read(action));
        assertThrows(IllegalArgumentException.class, () -> ElbForwards.write(action, forward(null, BLUE, 1)));
    }

    @ParameterizedTest
    @MethodSource("reads")
    void writingBackWhatWasReadChangesNothing(Action action, Forward read) {
        assertEquals(action, ElbForwards.write(action, read));
    }

    static Stream<Arguments> asElbDescribesThem() {
        return Stream.of(
                argumentSet("TargetGroupArn", single(BLUE)),
                argumentSet("ForwardConfig", weighted(HOUR, tuple(BLUE, 90), tuple(GREEN, 10))),
                argumentSet("both at once", both(BLUE)));
    }

    @ParameterizedTest
    @MethodSource("asElbDescribesThem")
    void theSameTargetsWrittenWithoutStickinessGiveTheActionAsItWas(Action action) {
        Forward targetsOnly = new Forward(ElbForwards.read(action).orElseThrow().targets());

        assertEquals(action, ElbForwards.write(action, targetsOnly));
    }

    static Stream<Arguments> writes() {
        return Stream.of(
                argumentSet("TargetGroupArn to another group stays in its form",
                        single(BLUE), forward(null, GREEN, 1), single(GREEN)),
                argumentSet("TargetGroupArn to a weighted forward becomes a ForwardConfig",
                        single(BLUE), forward(null, BLUE, 90, GREEN, 10),
                        action(null, config(null, tuple(BLUE, 90), tuple(GREEN, 10)))),
                argumentSet("both forms to another group: both change, stickiness kept",
                        both(BLUE), forward(OFF, GREEN, 1), both(GREEN)),
                argumentSet("both forms to a weighted forward: ELB takes TargetGroupArn only for one group",
                        both(BLUE), forward(OFF, BLUE, 90, GREEN, 10),
                        action(null, config(OFF, tuple(BLUE, 90), tuple(GREEN, 10)))),
                argumentSet("weights swapped, stickiness kept",
                        weighted(HOUR, tuple(BLUE, 90), tuple(GREEN, 10)), forward(HOUR, BLUE, 10, GREEN, 90),
                        weighted(HOUR, tuple(BLUE, 10), tuple(GREEN, 90))),
                argumentSet("a forward that names no stickiness keeps the action's",
                        weighted(HOUR, tuple(BLUE, 100), tuple(GREEN, 0)), forward(null, BLUE, 50, GREEN, 50),
                        weighted(HOUR, tuple(BLUE, 50), tuple(GREEN, 50))),
                argumentSet("new stickiness is written",
                        weighted(OFF, tuple(BLUE, 100), tuple(GREEN, 0)), forward(HOUR, BLUE, 100, GREEN, 0),
                        weighted(HOUR, tuple(BLUE, 100), tuple(GREEN, 0))),
                argumentSet("stickiness on a TargetGroupArn forward needs a ForwardConfig",
                        single(BLUE), forward(HOUR, BLUE, 1),
                        action(BLUE, config(HOUR, tuple(BLUE, 1)))));
    }

    @ParameterizedTest
    @MethodSource
    void writes(Action original, Forward forward, Action expected) {
        assertEquals(expected, ElbForwards.write(original, forward));
    }

    @Test
    void everyOtherFieldOfTheActionIsKept() {
        Action original = weighted(HOUR, tuple(BLUE, 100), tuple(GREEN, 0)).toBuilder().order(2).build();

        Action written = ElbForwards.write(original, ElbForwards.read(original).orElseThrow()
                .withTargets(List.of(new TargetWeight(BLUE, 0), new TargetWeight(GREEN, 100))));

        assertEquals(2, written.order());
        assertEquals(ActionTypeEnum.FORWARD, written.type());
        assertNull(written.targetGroupArn());
        assertEquals(TargetGroupStickinessConfig.builder().enabled(true).durationSeconds(3600).build(),
                written.forwardConfig().targetGroupStickinessConfig());
    }

    // ------------------------------------------------------------------ fixtures

    private static Forward forward(Stickiness stickiness, Object... arnsAndWeights) {
        List<TargetWeight> targets = new java.util.ArrayList<>();
        for (int i = 0; i < arnsAndWeights.length; i += 2) {
            targets.add(new TargetWeight((String) arnsAndWeights[i], (Integer) arnsAndWeights[i + 1]));
        }
        return new Forward(targets, stickiness);
    }

    private static Action single(String targetGroupArn) {
        return Action.builder().type(ActionTypeEnum.FORWARD).order(1).targetGroupArn(targetGroupArn).build();
    }

    /** A single-group forward as AWS describes it: both forms, stickiness off. */
    private static Action both(String targetGroupArn) {
        return action(targetGroupArn, config(OFF, tuple(targetGroupArn, 1)));
    }

    private static Action weighted(Stickiness stickiness, TargetGroupTuple... tuples) {
        return action(null, config(stickiness, tuples));
    }

    private static Action action(String targetGroupArn, ForwardActionConfig config) {
        return Action.builder().type(ActionTypeEnum.FORWARD).order(1).targetGroupArn(targetGroupArn).forwardConfig(config).build();
    }

    private static ForwardActionConfig config(Stickiness stickiness, TargetGroupTuple... tuples) {
        ForwardActionConfig.Builder config = ForwardActionConfig.builder().targetGroups(tuples);
        if (stickiness != null) {
            config.targetGroupStickinessConfig(s -> s.enabled(stickiness.enabled()).durationSeconds(stickiness.durationSeconds()));
        }
        return config.build();
    }

    private static TargetGroupTuple tuple(String arn, int weight) {
        return TargetGroupTuple.builder().targetGroupArn(arn).weight(weight).build();
    }
}
