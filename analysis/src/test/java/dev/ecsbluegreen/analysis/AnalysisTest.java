package dev.ecsbluegreen.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ecsbluegreen.analysis.metrics.AlarmSource;
import dev.ecsbluegreen.analysis.metrics.MetricDataSource;
import dev.ecsbluegreen.analysis.metrics.Providers;
import dev.ecsbluegreen.core.AwsCallException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The runner on a fake time: when it measures, when it stops, and how a deadline cuts it. */
class AnalysisTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Subject SUBJECT = new Subject(null, null, null, null);

    private final FakeTime time = new FakeTime(T0);
    private final List<Measurement> measurements = new ArrayList<>();
    private final AtomicInteger alarmCalls = new AtomicInteger();
    /** The state the alarm is in at each call (the last one repeats). */
    private List<String> alarmStates = List.of("OK");

    private final AlarmSource alarms = (names, prefix, deadline) -> {
        int call = alarmCalls.getAndIncrement();
        String state = alarmStates.get(Math.min(call, alarmStates.size() - 1));
        if (state.equals("THROTTLED")) {
            throw new AwsCallException("cloudwatch:DescribeAlarms", AwsCallException.Kind.UNAVAILABLE, "Throttling",
                    "cloudwatch:DescribeAlarms failed (Throttling: Rate exceeded)", null);
        }
        return names.stream().map(name -> new AlarmSource.AlarmState(name, state, null)).toList();
    };
    private final MetricDataSource noMetrics = (queries, start, end, deadline) -> Map.of();
    private final Analysis analysis = new Analysis(new Providers(alarms, noMetrics), time.sleeper(), time.clock());

    private static MetricSpec alarm(String name, int intervalSeconds, int count, InconclusivePolicy policy) {
        return new MetricSpec(name, new ProviderSpec.Alarms(List.of(name), null), Duration.ofSeconds(intervalSeconds),
                count, 0, 2, 0, policy);
    }

    private AnalysisVerdict run(List<MetricSpec> metrics, Instant windowStart, Duration budget) {
        return analysis.runToVerdict(metrics, SUBJECT, windowStart, time.deadlineAfter(budget), measurements::add);
    }

    private List<Instant> times() {
        return measurements.stream().map(Measurement::at).toList();
    }

    @Test
    void passesAfterCountMeasurementsAnIntervalApartTheFirstAnIntervalIn() {
        AnalysisVerdict verdict = run(List.of(alarm("shop-5xx", 60, 3, InconclusivePolicy.FAIL)), T0,
                Duration.ofMinutes(10));

        assertEquals(Status.PASSED, verdict.status());
        assertEquals("shop-5xx: passed 3 of 3 measurements (0 failed, failureLimit 0): 1 alarm OK", verdict.reason());
        assertEquals(List.of(T0.plusSeconds(60), T0.plusSeconds(120), T0.plusSeconds(180)), times());
        assertEquals(List.of(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60)), time.sleeps());
    }

    @Test
    void measuresAtOnceWhenTheWindowBeganAnIntervalAgo() {
        run(List.of(alarm("shop-5xx", 60, 3, InconclusivePolicy.FAIL)), T0.minusSeconds(60), Duration.ofMinutes(10));

        assertEquals(List.of(T0, T0.plusSeconds(60), T0.plusSeconds(120)), times());
    }

    @Test
    void stopsAtTheMeasurementThatFails() {
        alarmStates = List.of("OK", "ALARM", "OK");

        AnalysisVerdict verdict = run(List.of(alarm("shop-5xx", 60, 3, InconclusivePolicy.FAIL)), T0,
                Duration.ofMinutes(10));

        assertEquals(Status.FAILED, verdict.status());
        assertEquals("shop-5xx: failed 1 of 2 (failureLimit 0): 1 of 1 alarms in ALARM: shop-5xx", verdict.reason());
        assertEquals(2, alarmCalls.get());
        assertEquals(T0.plusSeconds(120), time.now(), "no wait after the verdict");
    }

    @Test
    void aFailedMetricStopsTheOthersToo() {
        alarmStates = List.of("OK", "ALARM");

        AnalysisVerdict verdict = run(List.of(alarm("slow", 300, 1, InconclusivePolicy.FAIL),
                alarm("fast", 60, 3, InconclusivePolicy.FAIL)), T0, Duration.ofMinutes(10));

        assertEquals(Status.FAILED, verdict.status());
        assertEquals(List.of("fast", "fast"), measurements.stream().map(Measurement::metric).toList());
        assertEquals(Status.PENDING, verdict.metrics().get(0).status(), "slow was never measured");
        assertTrue(verdict.reason().startsWith("fast: failed 1 of 2"), verdict.reason());
    }

    @Test
    void metricsWithTheirOwnIntervalsAreMeasuredWhenEachIsDue() {
        run(List.of(alarm("every 40 s", 40, 2, InconclusivePolicy.FAIL), alarm("every 30 s", 30, 3,
                InconclusivePolicy.FAIL)), T0, Duration.ofMinutes(10));

        assertEquals(List.of("every 30 s@30", "every 40 s@40", "every 30 s@60", "every 40 s@80", "every 30 s@90"),
                measurements.stream().map(m -> m.metric() + "@" + Duration.between(T0, m.at()).toSeconds()).toList());
    }

    @Test
    void theDeadlineCutsAPendingMetricShortWithoutWaitingPastIt() {
        AnalysisVerdict verdict = run(List.of(alarm("shop-5xx", 60, 3, InconclusivePolicy.FAIL)), T0,
                Duration.ofSeconds(150));

        assertEquals(Status.FAILED, verdict.status());
        assertEquals("shop-5xx: window cut by the function's deadline after 2 of 3 measurements: 1 alarm OK",
                verdict.reason());
        assertEquals(T0.plusSeconds(120), time.now(), "it stopped waiting once the next measurement could not fit");
    }

    @Test
    void aMeasurementIsNotStartedWithoutRoomForItsCalls() {
        AnalysisVerdict verdict = run(List.of(alarm("shop-5xx", 60, 1, InconclusivePolicy.FAIL)), T0,
                Duration.ofSeconds(60).plus(Analysis.MEASUREMENT_ROOM).minusMillis(1));

        assertEquals(Status.FAILED, verdict.status());
        assertEquals(0, alarmCalls.get());
        assertEquals("shop-5xx: window cut by the function's deadline after 0 of 1 measurements: no measurement yet",
                verdict.reason());
    }

    @Test
    void providerErrorsInARowBeyondTheLimitFail() {
        alarmStates = List.of("THROTTLED");

        AnalysisVerdict verdict = run(List.of(alarm("shop-5xx", 10, 3, InconclusivePolicy.FAIL)), T0,
                Duration.ofMinutes(10));

        assertEquals(Status.FAILED, verdict.status());
        assertEquals("shop-5xx: provider failed 3 times in a row (consecutiveErrorLimit 2): cloudwatch:DescribeAlarms "
                + "failed (Throttling: Rate exceeded)", verdict.reason());
        assertEquals(List.of(Phase.ERROR, Phase.ERROR, Phase.ERROR),
                measurements.stream().map(Measurement::phase).toList());
    }

    @Test
    void inconclusiveMeasurementsWaitUnderWaitUntilTheDeadlineSaysSo() {
        alarmStates = List.of("INSUFFICIENT_DATA");

        AnalysisVerdict waiting = run(List.of(alarm("shop-5xx", 60, 1, InconclusivePolicy.WAIT)), T0,
                Duration.ofSeconds(200));

        assertEquals(Status.FAILED, waiting.status());
        assertEquals("shop-5xx: window cut by the function's deadline after 0 of 1 measurements (3 inconclusive): "
                + "1 of 1 alarms in INSUFFICIENT_DATA: shop-5xx", waiting.reason());
    }

    @Test
    void anInterruptedWaitEndsTheWindowAndKeepsTheInterrupt() {
        Analysis interrupted = new Analysis(new Providers(alarms, noMetrics), duration -> {
            throw new InterruptedException("stopping");
        }, time.clock());

        AnalysisVerdict verdict = interrupted.runToVerdict(List.of(alarm("shop-5xx", 60, 1, InconclusivePolicy.FAIL)),
                SUBJECT, T0, time.deadlineAfter(Duration.ofMinutes(5)), measurements::add);

        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertEquals("shop-5xx: window cut: the analysis was interrupted after 0 of 1 measurements: no measurement yet",
                verdict.reason());
    }

    @Test
    void anEmptyAnalysisPassesAtOnce() {
        AnalysisVerdict verdict = run(List.of(), T0, Duration.ofMinutes(1));

        assertEquals(Status.PASSED, verdict.status());
        assertEquals(List.of(), time.sleeps());
    }

    // ------------------------------------------------------------------ one round per invocation

    @Test
    void aRoundMeasuresEachPendingMetricOnceAndCarriesTheTallies() {
        MetricSpec first = alarm("first", 60, 2, InconclusivePolicy.FAIL);
        MetricSpec second = alarm("second", 60, 2, InconclusivePolicy.FAIL);
        Map<String, Tally> carried = Map.of("first", new Tally(2, 0, 0, 0, 0, "1 alarm OK"),
                "second", new Tally(1, 0, 0, 0, 0, "1 alarm OK"), "removed since", new Tally(0, 5, 0, 0, 0, "x"));

        Analysis.Round round = analysis.measureOnce(List.of(first, second), SUBJECT, carried, T0,
                time.deadlineAfter(Duration.ofSeconds(30)), measurements::add);

        assertEquals(List.of("second"), measurements.stream().map(Measurement::metric).toList(),
                "first passed already");
        assertEquals(Status.PASSED, round.verdict().status());
        assertEquals(List.of("first", "second"), List.copyOf(round.tallies().keySet()));
        assertEquals(new Tally(2, 0, 0, 0, 0, "1 alarm OK"), round.tallies().get("second"));
        assertEquals(List.of(), time.sleeps(), "a round does not wait");
    }

    @Test
    void aRoundStaysPendingUntilCountAndStopsAtAFailure() {
        alarmStates = List.of("ALARM");
        MetricSpec first = alarm("first", 60, 2, InconclusivePolicy.FAIL);
        MetricSpec second = alarm("second", 60, 2, InconclusivePolicy.FAIL);

        Analysis.Round round = analysis.measureOnce(List.of(first, second), SUBJECT, Map.of(), T0,
                time.deadlineAfter(Duration.ofSeconds(30)), measurements::add);

        assertEquals(Status.FAILED, round.verdict().status());
        assertEquals(1, alarmCalls.get(), "the analysis is decided: second is not measured");
        assertEquals(Tally.NONE, round.tallies().get("second"));
    }

    @Test
    void aFirstRoundIsPendingUntilCountIsReached() {
        Analysis.Round round = analysis.measureOnce(List.of(alarm("first", 60, 2, InconclusivePolicy.FAIL)), SUBJECT,
                Map.of(), T0, time.deadlineAfter(Duration.ofSeconds(30)), measurements::add);

        assertEquals(Status.PENDING, round.verdict().status());
        assertEquals(1, round.tallies().get("first").successful());
    }

    @Test
    void aRoundWithoutRoomForAMeasurementMeasuresNothing() {
        Analysis.Round round = analysis.measureOnce(List.of(alarm("first", 60, 2, InconclusivePolicy.FAIL)), SUBJECT,
                Map.of(), T0, time.deadlineAfter(Duration.ofMillis(100)), measurements::add);

        assertEquals(0, alarmCalls.get());
        assertEquals(Status.PENDING, round.verdict().status());
    }
}
