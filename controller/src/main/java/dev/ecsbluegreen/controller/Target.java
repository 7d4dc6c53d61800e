package dev.ecsbluegreen.controller;

import java.util.List;

/**
 * What the controller acts on: the ECS service and the load balancer's two listeners and two target groups.
 *
 * @param targetGroups the pair blue and green alternate between; green is the one the live listener does not forward to
 */
public record Target(String cluster, String service, String liveListenerArn, String testListenerArn, List<String> targetGroups) {
    public Target {
        require(cluster, "cluster");
        require(service, "service");
        require(liveListenerArn, "live listener ARN");
        require(testListenerArn, "test listener ARN");
        targetGroups = List.copyOf(targetGroups);
        if (targetGroups.size() != 2 || targetGroups.get(0).equals(targetGroups.get(1))) {
            throw new ConfigurationException("name the two target groups blue and green alternate between (got "
                    + targetGroups.size() + ": " + targetGroups + ")");
        }
        if (liveListenerArn.equals(testListenerArn)) {
            throw new ConfigurationException("the live and the test listener must be two listeners");
        }
    }

    /** The other target group of the pair; null when {@code targetGroupArn} is not one of them. */
    String other(String targetGroupArn) {
        if (targetGroups.get(0).equals(targetGroupArn)) {
            return targetGroups.get(1);
        }
        return targetGroups.get(1).equals(targetGroupArn) ? targetGroups.get(0) : null;
    }

    private static void require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new ConfigurationException("no " + what + " given");
        }
    }
}
