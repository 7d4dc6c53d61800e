package dev.ecsbluegreen.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.analysis.InvalidConfigurationException;
import dev.ecsbluegreen.analysis.check.CheckResult;
import dev.ecsbluegreen.analysis.gate.Gate;
import dev.ecsbluegreen.analysis.gate.GateResult;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictAndGatesTest {
    private static final CheckResult PASSED = new CheckResult("health", true, List.of(), List.of());
    private static final CheckResult FAILED = new CheckResult("orders", false, List.of(), List.of("status 500, expected 2xx"));

    @Test
    void passesOnlyWhenEveryCheckAndGatePassed() {
        Verdict verdict = Verdict.decide(List.of(new GateResult(Gate.TASK_COUNTS, true, "runs 2 of 2")), List.of(PASSED));
        assertTrue(verdict.passed());
        assertEquals("1 check(s) and 1 gate(s) passed", verdict.reason());
    }

    @Test
    void namesTheFailedCheckInTheReason() {
        Verdict verdict = Verdict.decide(List.of(), List.of(PASSED, FAILED));
        assertFalse(verdict.passed());
        assertEquals("check 'orders': status 500, expected 2xx", verdict.reason());
    }

    @Test
    void listsEveryFailureWhenSeveralFailed() {
        Verdict verdict = Verdict.decide(List.of(new GateResult(Gate.TARGET_HEALTH, false, "1 of 2 targets not healthy")),
                List.of(FAILED));
        assertEquals("2 failures: gate TARGET_HEALTH: 1 of 2 targets not healthy | check 'orders': status 500, expected 2xx",
                verdict.reason());
    }

    @Test
    void targetHealthNeedsEveryTargetHealthyAndAtLeastOne() {
        assertTrue(Gate.judgeTargets("tg-green", List.of(new Gate.TargetState("10.0.1.7", 8080, "healthy", null))).passed());
        assertFalse(Gate.judgeTargets("tg-green", List.of()).passed());
        GateResult mixed = Gate.judgeTargets("tg-green", List.of(
                new Gate.TargetState("10.0.1.7", 8080, "healthy", null),
                new Gate.TargetState("10.0.2.9", 8080, "unhealthy", "Target.FailedHealthChecks"),
                new Gate.TargetState("10.0.3.4", 8080, "initial", "Elb.RegistrationInProgress")));
        assertFalse(mixed.passed());
        assertEquals("2 of 3 targets of tg-green are not healthy — initial (Elb.RegistrationInProgress): 10.0.3.4:8080; "
                + "unhealthy (Target.FailedHealthChecks): 10.0.2.9:8080", mixed.detail());
    }

    @Test
    void taskCountsNeedAllDesiredTasksRunning() {
        assertTrue(Gate.judgeCounts(new Gate.TaskCounts("task set ecs-svc/1", 3, 3)).passed());
        GateResult short1 = Gate.judgeCounts(new Gate.TaskCounts("task set ecs-svc/1", 3, 2));
        assertFalse(short1.passed());
        assertEquals("task set ecs-svc/1 runs 2 of 3 tasks", short1.detail());
        assertFalse(Gate.judgeCounts(new Gate.TaskCounts("task set ecs-svc/1", 0, 0)).passed());
        assertFalse(Gate.judgeCounts(new Gate.TaskCounts("task set ecs-svc/1", null, null)).passed());
    }

    @Test
    void parsesTheGateList() {
        assertEquals(EnumSet.allOf(Gate.class), Gate.parseList("target_health, TASK-COUNTS"));
        assertEquals(EnumSet.noneOf(Gate.class), Gate.parseList("none"));
        assertThrows(InvalidConfigurationException.class, () -> Gate.parseList("TARGET_HEALTH,LATENCY"));
    }
}
