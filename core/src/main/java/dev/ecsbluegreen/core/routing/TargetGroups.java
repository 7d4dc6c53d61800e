package dev.ecsbluegreen.core.routing;

/** Target group ARNs as people read them. */
public final class TargetGroups {
    private TargetGroups() {}

    /** {@code arn:aws:elasticloadbalancing:…:targetgroup/app-blue/0123456789abcdef} → {@code app-blue}. */
    public static String name(String targetGroupArn) {
        int start = targetGroupArn.indexOf(":targetgroup/");
        if (start < 0) {
            return targetGroupArn;
        }
        String rest = targetGroupArn.substring(start + ":targetgroup/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /** Whether {@code nameOrArn} (as an operator wrote it) names {@code targetGroupArn}. */
    public static boolean matches(String nameOrArn, String targetGroupArn) {
        return nameOrArn.equals(targetGroupArn) || nameOrArn.equals(name(targetGroupArn));
    }
}
