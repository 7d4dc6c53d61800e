package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.core.routing.Forward;
import java.util.List;

/**
 * One place on a listener that routes traffic: the listener's default actions or one of its rules.
 *
 * @param listenerArn the listener it belongs to
 * @param ruleArn the rule, or {@code null} for the listener's default actions
 * @param priority the rule's priority, {@code "default"} for the default actions
 * @param forwards the forward actions among its actions, in action order (other actions are not the swap's business)
 * @param source the adapter's own copy of the actions as read: opaque here, handed back on writes so that
 *     every action and field the swap does not change is written back exactly as it was
 */
public record Route(String listenerArn, String ruleArn, String priority, List<Forward> forwards, Object source) {
    public Route {
        forwards = List.copyOf(forwards);
    }

    public boolean isDefault() {
        return ruleArn == null;
    }

    /** How an operator recognises it: "default action" or "rule priority 5". */
    public String describe() {
        return isDefault() ? "default action" : "rule priority " + priority;
    }
}
