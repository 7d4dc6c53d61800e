package dev.ecsbluegreen.hooks;

import dev.ecsbluegreen.analysis.check.Check;
import dev.ecsbluegreen.analysis.gate.Gate;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * Everything one validation needs to know about green.
 *
 * @param baseUrl          where the checks send their requests
 * @param checks           the checks
 * @param gates            the gates beyond HTTP
 * @param greenTargetGroup green's target group (for {@link Gate#TARGET_HEALTH}), or null when unknown
 * @param cluster          green's ECS cluster (for {@link Gate#TASK_COUNTS}), or null when unknown
 * @param service          green's ECS service, or null when unknown
 */
public record ValidationPlan(URI baseUrl, List<Check> checks, Set<Gate> gates, String greenTargetGroup,
                             String cluster, String service) {
    public ValidationPlan {
        checks = List.copyOf(checks);
        gates = Set.copyOf(gates);
    }
}
