package dev.ecsbluegreen.swap;

import static dev.ecsbluegreen.swap.FailureType.ConfigurationError;

import dev.ecsbluegreen.core.Wildcards;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The resources this function's role may change, as the template tells it (the same ARNs its IAM policy names),
 * so that a swap its role would refuse half-way is refused before the first write instead. Empty lists: not
 * configured, everything is allowed (the role still decides).
 *
 * @param loadBalancers ARN patterns ({@code *} and {@code ?} as in IAM) of {@value #LOAD_BALANCERS_ENV}
 * @param targetGroups ARN patterns of {@value #TARGET_GROUPS_ENV}
 */
record Scope(List<String> loadBalancers, List<String> targetGroups) {
    static final String LOAD_BALANCERS_ENV = "LOAD_BALANCER_ARNS";
    static final String TARGET_GROUPS_ENV = "TARGET_GROUP_ARNS";
    static final Scope UNRESTRICTED = new Scope(List.of(), List.of());

    Scope {
        loadBalancers = List.copyOf(loadBalancers);
        targetGroups = List.copyOf(targetGroups);
    }

    /** From the function's environment: comma-separated ARN patterns. */
    static Scope fromEnvironment(UnaryOperator<String> env) {
        return new Scope(patterns(env.apply(LOAD_BALANCERS_ENV), LOAD_BALANCERS_ENV, ":loadbalancer/"),
                patterns(env.apply(TARGET_GROUPS_ENV), TARGET_GROUPS_ENV, ":targetgroup/"));
    }

    private static List<String> patterns(String value, String name, String resource) {
        List<String> patterns = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return patterns;
        }
        for (String item : value.split(",")) {
            String pattern = item.strip();
            if (pattern.isEmpty()) {
                continue;
            }
            if (!pattern.startsWith("arn:") || !pattern.contains(resource)) {
                throw new SwapException(ConfigurationError, "environment variable " + name + " must list "
                        + resource.substring(1, resource.length() - 1) + " ARNs separated by commas, not \""
                        + SwapRequest.abbreviate(pattern) + "\"");
            }
            patterns.add(pattern);
        }
        return patterns;
    }

    /** @throws SwapException ConfigurationError when the load balancer is not one this function may change */
    void checkLoadBalancer(String name, String arn) {
        if (!loadBalancers.isEmpty() && loadBalancers.stream().noneMatch(p -> matches(p, arn))) {
            throw new SwapException(ConfigurationError, "load balancer " + name + " (" + arn + ") is not one this "
                    + "function may change: its role may only modify listeners of " + loadBalancers + " (the stack "
                    + "parameter LoadBalancerArn, passed as " + LOAD_BALANCERS_ENV + "). Point UserParameters at that "
                    + "load balancer or update the stack");
        }
    }

    /** @throws SwapException ConfigurationError when either target group is one this function may not tag */
    void checkPair(Direction pair) {
        if (targetGroups.isEmpty()) {
            return;
        }
        List<String> outside = new ArrayList<>();
        for (String arn : List.of(pair.newLive(), pair.newTest())) {
            if (targetGroups.stream().noneMatch(p -> matches(p, arn))) {
                outside.add(arn);
            }
        }
        if (!outside.isEmpty()) {
            throw new SwapException(ConfigurationError, "the swap would flip the IsProduction tag of " + outside
                    + ", which this function's role may not tag: it may tag only " + targetGroups + " (the stack "
                    + "parameter TargetGroupArns, passed as " + TARGET_GROUPS_ENV + "). Add the target group to "
                    + "TargetGroupArns and update the stack");
        }
    }

    /** IAM's ARN matching: {@code *} any run of characters, {@code ?} any one. */
    static boolean matches(String pattern, String arn) {
        return Wildcards.matches(pattern, arn, false);
    }
}
