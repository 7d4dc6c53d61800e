package dev.ecsbluegreen.swap;

/** One target group of a forward action and the weight it gets (a single-target forward counts as weight 1). */
public record TargetWeight(String targetGroupArn, int weight) {
    public TargetWeight withArn(String arn) {
        return new TargetWeight(arn, weight);
    }

    public TargetWeight withWeight(int newWeight) {
        return new TargetWeight(targetGroupArn, newWeight);
    }
}
