package dev.ecsbluegreen.controller.aws;

import dev.ecsbluegreen.controller.ListenerForwards;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.aws.AwsCalls;
import dev.ecsbluegreen.core.aws.ElbForwards;
import dev.ecsbluegreen.core.routing.Forward;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AuthenticateOidcActionConfig;

/** {@link ListenerForwards} over ELBv2's DescribeListeners / ModifyListener, through core's {@link ElbForwards}. Thread-safe. */
public final class ElbListenerForwards implements ListenerForwards {
    private final ElasticLoadBalancingV2Client elb;
    private final Deadline deadline;

    public ElbListenerForwards(ElasticLoadBalancingV2Client elb) {
        this(elb, null);
    }

    private ElbListenerForwards(ElasticLoadBalancingV2Client elb, Deadline deadline) {
        this.elb = elb;
        this.deadline = deadline;
    }

    @Override
    public ListenerForwards within(Deadline bound) {
        return new ElbListenerForwards(elb, deadline == null ? bound : deadline.earliest(bound));
    }

    @Override
    public Forward read(String listenerArn) {
        return ElbForwards.firstForward(defaultActions(listenerArn));
    }

    @Override
    public void write(String listenerArn, Forward forward) {
        List<Action> actions = new ArrayList<>();
        boolean replaced = false;
        for (Action action : defaultActions(listenerArn)) {
            if (!replaced && action.type() == ActionTypeEnum.FORWARD) {
                actions.add(ElbForwards.write(action, forward));
                replaced = true;
            } else if (action.type() == ActionTypeEnum.AUTHENTICATE_OIDC) {
                // Describe never returns the client secret; writing the action back must say to keep it (AWS enforces, moto not)
                AuthenticateOidcActionConfig oidc = action.authenticateOidcConfig().toBuilder().clientSecret(null)
                        .useExistingClientSecret(true).build();
                actions.add(action.toBuilder().authenticateOidcConfig(oidc).build());
            } else {
                actions.add(action);
            }
        }
        if (!replaced) {
            throw new IllegalStateException("listener " + listenerArn + " has no forward default action to point at a target group");
        }
        AwsCalls.call("elasticloadbalancing:ModifyListener", deadline, t -> elb.modifyListener(b -> b
                .overrideConfiguration(t).listenerArn(listenerArn).defaultActions(actions)));
    }

    private List<Action> defaultActions(String listenerArn) {
        var listeners = AwsCalls.call("elasticloadbalancing:DescribeListeners", deadline, t -> elb.describeListeners(b -> b
                .overrideConfiguration(t).listenerArns(listenerArn))).listeners();
        if (listeners.isEmpty()) {
            throw new IllegalStateException("listener " + listenerArn + " not found");
        }
        return listeners.get(0).defaultActions();
    }
}
