package dev.ecsbluegreen.core.aws;

import dev.ecsbluegreen.core.routing.Forward;
import dev.ecsbluegreen.core.routing.Stickiness;
import dev.ecsbluegreen.core.routing.TargetWeight;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupStickinessConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * Between ELBv2's forward {@link Action}s and {@link Forward}: the one place that knows the action's two forms,
 * {@code {Type: forward, TargetGroupArn}} and {@code {Type: forward, ForwardConfig{TargetGroups[{TargetGroupArn,
 * Weight}], TargetGroupStickinessConfig}}}, which ELB often returns both at once.
 */
public final class ElbForwards {
    private ElbForwards() {}

    /**
     * Where a forward action sends traffic; empty for any other action. The weighted form wins when the action
     * has both; a target group without a weight counts as weight 1.
     */
    public static Optional<Forward> read(Action action) {
        if (action.type() != ActionTypeEnum.FORWARD) {
            return Optional.empty();
        }
        ForwardActionConfig config = action.forwardConfig();
        List<TargetWeight> targets;
        if (weighted(config)) {
            targets = config.targetGroups().stream()
                    .map(t -> new TargetWeight(t.targetGroupArn(), t.weight() == null ? 1 : t.weight()))
                    .toList();
        } else if (action.targetGroupArn() != null) {
            targets = List.of(new TargetWeight(action.targetGroupArn(), 1));
        } else {
            targets = List.of();
        }
        return Optional.of(new Forward(targets, config == null ? null : stickiness(config.targetGroupStickinessConfig())));
    }

    /**
     * Where a listener's default actions (or a rule's actions) send traffic: the first forward among them, as ELB
     * evaluates them; a forward to no target group when none forwards (a fixed response, a redirect).
     */
    public static Forward firstForward(List<Action> actions) {
        return actions.stream().flatMap(action -> read(action).stream()).findFirst().orElse(new Forward(List.of()));
    }

    /**
     * {@code original}, a forward action, sending its traffic to {@code forward}'s targets with {@code forward}'s
     * stickiness (or, when that is null, its own); every other field (order, the form it was written in) kept.
     * A forward that {@link #read} would give for {@code original} returns {@code original} itself.
     *
     * @throws IllegalArgumentException when {@code original} is not a forward action
     */
    public static Action write(Action original, Forward forward) {
        Forward current = read(original)
                .orElseThrow(() -> new IllegalArgumentException("a " + original.typeAsString() + " action does not forward"));
        if (current.equals(forward)) {
            return original;
        }
        List<TargetGroupTuple> tuples = forward.targets().stream()
                .map(t -> TargetGroupTuple.builder().targetGroupArn(t.targetGroupArn()).weight(t.weight()).build())
                .toList();
        ForwardActionConfig config = original.forwardConfig();
        TargetGroupStickinessConfig stickiness = stickinessConfig(config, forward.stickiness());
        boolean single = forward.targets().size() == 1;
        Action.Builder builder = original.toBuilder();
        // ELB accepts TargetGroupArn only for one target group, and then only if ForwardConfig agrees with it.
        builder.targetGroupArn(single && original.targetGroupArn() != null ? forward.targets().get(0).targetGroupArn() : null);
        if (weighted(config)) {
            builder.forwardConfig(config.toBuilder().targetGroups(tuples).targetGroupStickinessConfig(stickiness).build());
        } else if (!single || original.targetGroupArn() == null || stickiness != null) {
            builder.forwardConfig(ForwardActionConfig.builder().targetGroups(tuples).targetGroupStickinessConfig(stickiness).build());
        }
        return builder.build();
    }

    private static boolean weighted(ForwardActionConfig config) {
        return config != null && config.hasTargetGroups() && !config.targetGroups().isEmpty();
    }

    private static Stickiness stickiness(TargetGroupStickinessConfig config) {
        return config == null ? null : new Stickiness(Boolean.TRUE.equals(config.enabled()), config.durationSeconds());
    }

    /** What to write: the action's own setting when {@code wanted} is null or says the same, else {@code wanted}. */
    private static TargetGroupStickinessConfig stickinessConfig(ForwardActionConfig config, Stickiness wanted) {
        TargetGroupStickinessConfig own = config == null ? null : config.targetGroupStickinessConfig();
        if (wanted == null || Objects.equals(wanted, stickiness(own))) {
            return own;
        }
        return TargetGroupStickinessConfig.builder().enabled(wanted.enabled()).durationSeconds(wanted.durationSeconds()).build();
    }
}
