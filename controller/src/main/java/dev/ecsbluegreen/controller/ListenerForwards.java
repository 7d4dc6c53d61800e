package dev.ecsbluegreen.controller;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.routing.Forward;

/**
 * Where a listener's default action forwards, read and written. Only the first forward action of the default
 * actions is read and changed; rules are left alone (the controller routes with the default actions). Throws
 * {@link AwsCallException} when a call fails; a write whose answer was lost may have been applied. Thread-safe.
 * Default implementation: {@code dev.ecsbluegreen.controller.aws.ElbListenerForwards}.
 */
public interface ListenerForwards {
    ListenerForwards within(Deadline deadline);

    /** {@code DescribeListeners}: the listener's first forward among its default actions (no targets: none forwards). */
    Forward read(String listenerArn);

    /**
     * {@code ModifyListener}: the first forward default action now sends to {@code forward}'s targets (its stickiness,
     * or the action's own when null); every other default action kept as it is.
     */
    void write(String listenerArn, Forward forward);
}
