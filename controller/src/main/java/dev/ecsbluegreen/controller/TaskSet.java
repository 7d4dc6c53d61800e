package dev.ecsbluegreen.controller;

/**
 * One task set of the service, as ECS describes it.
 *
 * @param status {@code PRIMARY}, {@code ACTIVE} or {@code DRAINING}
 * @param targetGroupArn the target group of its (first) load balancer; null when it has none
 * @param stability {@code STEADY_STATE} or {@code STABILIZING}
 * @param scalePercent its scale, in percent of the service's desired count
 * @param computedDesired ECS's computed desired count; null when the answer has none (moto never sends it)
 * @param running running tasks; null when the answer has none
 * @param pending pending tasks; null when the answer has none
 * @param release the value of its {@link Tags#RELEASE} tag; null for a task set this controller did not create
 * @param createdAtMillis when ECS created it, in epoch milliseconds (0 when unknown)
 */
public record TaskSet(String arn, String id, String status, String taskDefinitionArn, String targetGroupArn,
                      String stability, double scalePercent, Integer computedDesired, Integer running, Integer pending,
                      String release, long createdAtMillis) {
    public static final String PRIMARY = "PRIMARY";
    public static final String STEADY_STATE = "STEADY_STATE";

    public boolean primary() {
        return PRIMARY.equals(status);
    }

    public boolean steady() {
        return STEADY_STATE.equals(stability);
    }

    public boolean ofRelease(String releaseId) {
        return releaseId != null && releaseId.equals(release);
    }

    /** For people: "ecs-svc/123 PRIMARY app:3 → app-blue, 2/2 running, STEADY_STATE". */
    public String describe() {
        return id + " " + status + (release == null ? "" : " release " + release) + " " + Names.taskDefinition(taskDefinitionArn)
                + " → " + Names.targetGroup(targetGroupArn) + ", " + count(running) + "/" + count(computedDesired)
                + " running" + (pending == null || pending == 0 ? "" : ", " + pending + " pending")
                + (scalePercent == 100 ? "" : ", scale " + Names.percent(scalePercent)) + ", " + stability;
    }

    private static String count(Integer n) {
        return n == null ? "?" : n.toString();
    }
}
