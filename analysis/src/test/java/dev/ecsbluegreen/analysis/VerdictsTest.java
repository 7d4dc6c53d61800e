package dev.ecsbluegreen.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VerdictsTest {
    private static final ProviderSpec ALARMS = new ProviderSpec.Alarms(List.of("shop-5xx"), null);

    /** count 3, failureLimit 1, consecutiveErrorLimit 2, inconclusiveLimit 1. */
    private static MetricSpec spec(InconclusivePolicy policy) {
        return new MetricSpec("green 5xx", ALARMS, Duration.ofSeconds(60), 3, 1, 2, 1, policy);
    }

    private static Tally tally(String phases) {
        Tally tally = Tally.NONE;
        int n = 0;
        for (char c : phases.toCharArray()) {
            Phase phase = switch (c) {
                case 'S' -> Phase.SUCCESSFUL;
                case 'F' -> Phase.FAILED;
                case 'E' -> Phase.ERROR;
                case 'I' -> Phase.INCONCLUSIVE;
                default -> throw new IllegalArgumentException("phase " + c);
            };
            n++;
            tally = tally.plus(new Measurement("green 5xx", phase, Instant.EPOCH, phase + " #" + n, Map.of()));
        }
        return tally;
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // measurements (S, F, E, I)  policy  status  reason
                Arguments.of("", InconclusivePolicy.FAIL, Status.PENDING,
                        "green 5xx: pending after 0 of 3 measurements: no measurement yet"),
                Arguments.of("SS", InconclusivePolicy.FAIL, Status.PENDING,
                        "green 5xx: pending after 2 of 3 measurements: SUCCESSFUL #2"),
                Arguments.of("SSS", InconclusivePolicy.FAIL, Status.PASSED,
                        "green 5xx: passed 3 of 3 measurements (0 failed, failureLimit 1): SUCCESSFUL #3"),
                // one failure is within failureLimit 1 and counts towards count
                Arguments.of("SFS", InconclusivePolicy.FAIL, Status.PASSED,
                        "green 5xx: passed 3 of 3 measurements (1 failed, failureLimit 1): SUCCESSFUL #3"),
                Arguments.of("FF", InconclusivePolicy.FAIL, Status.FAILED,
                        "green 5xx: failed 2 of 2 (failureLimit 1): FAILED #2"),
                // failures are decided before count: the second failure fails even after count was reached
                Arguments.of("SSFF", InconclusivePolicy.FAIL, Status.FAILED,
                        "green 5xx: failed 2 of 4 (failureLimit 1): FAILED #4"),
                // errors do not count towards count
                Arguments.of("SESES", InconclusivePolicy.FAIL, Status.PASSED,
                        "green 5xx: passed 3 of 3 measurements (0 failed, failureLimit 1): SUCCESSFUL #5"),
                Arguments.of("SEE", InconclusivePolicy.FAIL, Status.PENDING,
                        "green 5xx: pending after 1 of 3 measurements (2 errors): ERROR #3"),
                Arguments.of("SEEE", InconclusivePolicy.FAIL, Status.FAILED,
                        "green 5xx: provider failed 3 times in a row (consecutiveErrorLimit 2): ERROR #4"),
                // a success resets the run of errors: 4 errors in all, never 3 in a row
                Arguments.of("EESEE", InconclusivePolicy.FAIL, Status.PENDING,
                        "green 5xx: pending after 1 of 3 measurements (4 errors): ERROR #5"),
                // so does an inconclusive measurement: the provider answered
                Arguments.of("EEIEE", InconclusivePolicy.WAIT, Status.PENDING,
                        "green 5xx: pending after 0 of 3 measurements (1 inconclusive, 4 errors): ERROR #5"),
                Arguments.of("SI", InconclusivePolicy.FAIL, Status.PENDING,
                        "green 5xx: pending after 1 of 3 measurements (1 inconclusive): INCONCLUSIVE #2"),
                Arguments.of("SII", InconclusivePolicy.FAIL, Status.FAILED,
                        "green 5xx: inconclusive 2 of 3 (inconclusiveLimit 1): INCONCLUSIVE #3"),
                Arguments.of("SII", InconclusivePolicy.WAIT, Status.PENDING,
                        "green 5xx: pending after 1 of 3 measurements (2 inconclusive): INCONCLUSIVE #3"),
                // inconclusive measurements do not count towards count, whatever the policy
                Arguments.of("IIIIS", InconclusivePolicy.WAIT, Status.PENDING,
                        "green 5xx: pending after 1 of 3 measurements (4 inconclusive): SUCCESSFUL #5"),
                Arguments.of("IISIISIS", InconclusivePolicy.WAIT, Status.PASSED,
                        "green 5xx: passed 3 of 3 measurements (0 failed, failureLimit 1): SUCCESSFUL #8"));
    }

    @ParameterizedTest(name = "{0} under {1} is {2}")
    @MethodSource("table")
    void decidesByTheLimitsInOrder(String phases, InconclusivePolicy policy, Status status, String reason) {
        MetricVerdict verdict = Verdicts.decide(spec(policy), tally(phases));

        assertEquals(status, verdict.status());
        assertEquals(reason, verdict.reason());
        assertEquals("green 5xx", verdict.metric());
    }

    @Test
    void zeroLimitsFailOnTheFirstOfEach() {
        MetricSpec strict = new MetricSpec("alarms", ALARMS, Duration.ofSeconds(60), 3, 0, 0, 0, InconclusivePolicy.FAIL);

        assertEquals(Status.FAILED, Verdicts.decide(strict, tally("F")).status());
        assertEquals(Status.FAILED, Verdicts.decide(strict, tally("E")).status());
        assertEquals(Status.FAILED, Verdicts.decide(strict, tally("I")).status());
        assertEquals(Status.PENDING, Verdicts.decide(strict, tally("S")).status());
    }

    @Test
    void aCutWindowFailsAPendingMetricSayingHowFarItGot() {
        MetricVerdict cut = Verdicts.cutShort(spec(InconclusivePolicy.FAIL), tally("S"),
                "window cut by the function's deadline");

        assertEquals(Status.FAILED, cut.status());
        assertEquals("green 5xx: window cut by the function's deadline after 1 of 3 measurements: SUCCESSFUL #1",
                cut.reason());
    }

    @Test
    void aCutWindowUnderWaitNamesTheInconclusiveMeasurements() {
        MetricVerdict cut = Verdicts.cutShort(spec(InconclusivePolicy.WAIT), tally("III"), "bake window bound reached");

        assertEquals("green 5xx: bake window bound reached after 0 of 3 measurements (3 inconclusive): INCONCLUSIVE #3",
                cut.reason());
    }

    @Test
    void aCutWindowKeepsAVerdictAlreadyReached() {
        assertEquals(Status.PASSED, Verdicts.cutShort(spec(InconclusivePolicy.FAIL), tally("SSS"), "cut").status());
        assertEquals(Status.FAILED, Verdicts.cutShort(spec(InconclusivePolicy.FAIL), tally("FF"), "cut").status());
        assertEquals("green 5xx: failed 2 of 2 (failureLimit 1): FAILED #2",
                Verdicts.cutShort(spec(InconclusivePolicy.FAIL), tally("FF"), "cut").reason());
    }

    private static MetricVerdict verdict(String metric, Status status) {
        return new MetricVerdict(metric, status, metric + " " + status, Tally.NONE);
    }

    static Stream<Arguments> combinations() {
        return Stream.of(
                Arguments.of(List.of(Status.PASSED, Status.PASSED), Status.PASSED, "a PASSED; b PASSED"),
                Arguments.of(List.of(Status.PASSED, Status.PENDING), Status.PENDING, "b PENDING; a PASSED"),
                Arguments.of(List.of(Status.PENDING, Status.FAILED, Status.PASSED), Status.FAILED,
                        "b FAILED; a PENDING; c PASSED"),
                Arguments.of(List.of(Status.FAILED, Status.PASSED, Status.FAILED), Status.FAILED,
                        "a FAILED; c FAILED; b PASSED"));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("combinations")
    void combinesFailedOverPendingOverPassedNamingTheFailedFirst(List<Status> statuses, Status status, String reason) {
        List<MetricVerdict> verdicts = new java.util.ArrayList<>();
        for (int i = 0; i < statuses.size(); i++) {
            verdicts.add(verdict(String.valueOf((char) ('a' + i)), statuses.get(i)));
        }

        AnalysisVerdict combined = Verdicts.combine(verdicts);

        assertEquals(status, combined.status());
        assertEquals(reason, combined.reason());
        assertEquals(verdicts, combined.metrics(), "the metrics stay in the analysis's order");
    }

    @Test
    void anEmptyAnalysisPasses() {
        AnalysisVerdict combined = Verdicts.combine(List.of());

        assertEquals(Status.PASSED, combined.status());
        assertEquals("no analysis configured", combined.reason());
    }
}
