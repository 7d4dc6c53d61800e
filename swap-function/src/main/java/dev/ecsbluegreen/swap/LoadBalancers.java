package dev.ecsbluegreen.swap;

import dev.ecsbluegreen.core.AwsCallException;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.routing.Forward;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The swap's view of Elastic Load Balancing: reads of the routing state and the few writes a swap makes.
 *
 * <p>Every method either succeeds or throws {@link AwsCallException} (naming the IAM action); reads return
 * every page. A write that throws may still have been applied unless the exception
 * {@linkplain AwsCallException#provesNotApplied() proves otherwise}. Implementations are thread-safe. The default
 * implementation is {@code dev.ecsbluegreen.swap.aws.ElbLoadBalancers} (AWS SDK v2).
 */
public interface LoadBalancers {
    /**
     * The same load balancers, with every call (all its attempts and retries) bounded by {@code deadline}: a
     * call that would start after it is not sent ({@link AwsCallException#notSent}), one still running at it
     * is abandoned and throws.
     */
    LoadBalancers within(Deadline deadline);

    /** A load balancer; {@code type} as ELB names it: {@code application}, {@code network}, {@code gateway}. */
    record LoadBalancer(String arn, String name, String type) {}

    /** A listener of it. */
    record Listener(String arn, int port, String protocol) {
        @Override
        public String toString() {
            return ":" + port;
        }
    }

    /** One registered target's health as ELB reports it ({@code healthy}, {@code unhealthy}, {@code initial}, …). */
    record TargetHealth(String id, Integer port, String state, String reason) {
        public boolean healthy() {
            return "healthy".equals(state);
        }
    }

    /** By name or ARN; {@link AwsCallException.Kind#NOT_FOUND} when there is none. */
    LoadBalancer find(String nameOrArn);

    List<Listener> listeners(String loadBalancerArn);

    /** The listener's default actions followed by its rules in priority order. */
    List<Route> routes(Listener listener);

    /** Tags of each resource (up to any number of ARNs: batched as ELB requires). */
    Map<String, Map<String, String>> tags(Collection<String> arns);

    List<TargetHealth> targetHealth(String targetGroupArn);

    /**
     * Writes {@code route}'s actions with its forward actions replaced by {@code forwards} (one for each of
     * {@link Route#forwards()}, in the same order), all else as read.
     */
    void rewrite(Route route, List<Forward> forwards);

    /** Writes {@code route}'s actions back exactly as they were read. */
    void restore(Route route);

    /** Adds or overwrites tags on one resource. */
    void putTags(String arn, Map<String, String> tags);

    void removeTags(String arn, Collection<String> keys);
}
