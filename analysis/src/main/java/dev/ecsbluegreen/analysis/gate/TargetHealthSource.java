package dev.ecsbluegreen.analysis.gate;

import dev.ecsbluegreen.analysis.gate.Gate;
import java.util.List;

/**
 * Reads the health of every registered target of a target group ({@code DescribeTargetHealth}). The default
 * implementation is {@link dev.ecsbluegreen.hooks.aws.ElbTargetHealth}. Thread-safe.
 */
public interface TargetHealthSource {
    /** @throws dev.ecsbluegreen.core.AwsCallException when the call fails */
    List<Gate.TargetState> targets(String targetGroupArn);
}
