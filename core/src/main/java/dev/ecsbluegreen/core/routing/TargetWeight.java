package dev.ecsbluegreen.core.routing;

import java.util.Objects;

/**
 * One target group of a forward and the weight it gets. ELB's weights are relative: 90/10 and 9/1 send the same
 * shares; a forward that names a single target group without a weight counts as weight 1.
 */
public record TargetWeight(String targetGroupArn, int weight) {
    public TargetWeight {
        Objects.requireNonNull(targetGroupArn, "targetGroupArn");
        if (weight < 0) {
            throw new IllegalArgumentException("weight of " + targetGroupArn + " is " + weight + ": ELB weights are 0 or more");
        }
    }

    public TargetWeight withArn(String arn) {
        return new TargetWeight(arn, weight);
    }

    public TargetWeight withWeight(int newWeight) {
        return new TargetWeight(targetGroupArn, newWeight);
    }
}
