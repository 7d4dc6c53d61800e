package dev.ecsbluegreen.sandbox;

import dev.ecsbluegreen.sandbox.aws.Emulator;
import java.util.List;
import java.util.Set;

/**
 * The ECS service's task sets and the target groups' loopback targets, as {@link TaskSetTargets} reads and writes
 * them. Default implementation: {@link Emulator} (moto). Every method may throw a {@link RuntimeException} for a call
 * that failed; thread-safe.
 */
public interface TaskSetRegistry {
    /** The service's task sets, in ECS's order. */
    List<Emulator.TaskSet> taskSets();

    /** The ports of the target group's targets on 127.0.0.1. */
    Set<Integer> registeredPorts(String targetGroupArn);

    /** Registers 127.0.0.1 on each port as a target (nothing for an empty set). */
    void register(String targetGroupArn, Set<Integer> ports);

    /** Deregisters those targets (nothing for an empty set). */
    void deregister(String targetGroupArn, Set<Integer> ports);
}
