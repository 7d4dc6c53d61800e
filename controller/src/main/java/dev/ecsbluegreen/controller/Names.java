package dev.ecsbluegreen.controller;

import dev.ecsbluegreen.core.routing.TargetGroups;

/** ARNs as people read them in progress lines and reports. */
final class Names {
    private Names() {}

    static String targetGroup(String arn) {
        return arn == null ? "no target group" : TargetGroups.name(arn);
    }

    /** {@code arn:aws:ecs:…:task-definition/app:3} → {@code app:3}. */
    static String taskDefinition(String arn) {
        if (arn == null) {
            return "no task definition";
        }
        int slash = arn.lastIndexOf('/');
        return slash < 0 ? arn : arn.substring(slash + 1);
    }

    static String percent(double value) {
        return value == Math.rint(value) ? (long) value + " %" : value + " %";
    }
}
