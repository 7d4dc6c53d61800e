package dev.ecsbluegreen.hooks.ecs;

/**
 * Which of an Amazon ECS blue/green service's two target groups is green. ECS moves the test listener rule to green
 * before any production traffic shifts, so its sole target is green; without a test rule, the production rule's
 * shares are matched with the weights the deployment reports.
 *
 * @param green green's target group, or null when it cannot be told
 * @param blue  blue's target group, or null when it cannot be told
 * @param how   how green was told, for the verdict
 */
record Sides(String green, String blue, String how) {

    static Sides of(ServiceRouting routing, Double reportedGreenPercent) {
        String a = routing.primaryTargetGroupArn();
        String b = routing.alternateTargetGroupArn();
        if (routing.test() != null) {
            String sole = routing.test().soleTarget();
            if (sole != null && (sole.equals(a) || sole.equals(b))) {
                return new Sides(sole, sole.equals(a) ? b : a, "the test listener rule forwards to it");
            }
        }
        if (reportedGreenPercent != null && Math.abs(reportedGreenPercent - 50.0) > WeightDrift.TOLERANCE_POINTS) {
            double shareOfA = routing.production().percent(a);
            double shareOfB = routing.production().percent(b);
            if (Math.abs(shareOfA - reportedGreenPercent) <= WeightDrift.TOLERANCE_POINTS
                    && Math.abs(shareOfB - reportedGreenPercent) > WeightDrift.TOLERANCE_POINTS) {
                return new Sides(a, b, "its share of the production rule matches green's reported weight");
            }
            if (Math.abs(shareOfB - reportedGreenPercent) <= WeightDrift.TOLERANCE_POINTS
                    && Math.abs(shareOfA - reportedGreenPercent) > WeightDrift.TOLERANCE_POINTS) {
                return new Sides(b, a, "its share of the production rule matches green's reported weight");
            }
        }
        return new Sides(null, null, "neither the test listener rule nor the production rule's weights tell green "
                + "from blue");
    }
}
